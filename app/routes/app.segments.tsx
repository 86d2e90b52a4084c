import { useLoaderData } from "@remix-run/react";
import { NotYetBuilt } from "../components/NotYetBuilt";
import { placeholderLoader } from "../placeholder-page.server";

export const loader = placeholderLoader("nav.segments", 8, "the RFM grid and lifecycle groups");

export default function SegmentsPage() {
  return <NotYetBuilt {...useLoaderData<typeof loader>()} />;
}
