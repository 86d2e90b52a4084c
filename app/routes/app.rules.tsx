import { useLoaderData } from "@remix-run/react";
import { NotYetBuilt } from "../components/NotYetBuilt";
import { placeholderLoader } from "../placeholder-page.server";

export const loader = placeholderLoader("nav.rules", 6, "discount rules and issuance");

export default function RulesPage() {
  return <NotYetBuilt {...useLoaderData<typeof loader>()} />;
}
