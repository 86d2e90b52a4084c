import { useLoaderData } from "@remix-run/react";
import { NotYetBuilt } from "../components/NotYetBuilt";
import { placeholderLoader } from "../placeholder-page.server";

export const loader = placeholderLoader("nav.settings", 8, "settings, data sync and imports");

export default function SettingsPage() {
  return <NotYetBuilt {...useLoaderData<typeof loader>()} />;
}
