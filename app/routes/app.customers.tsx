import { useLoaderData } from "@remix-run/react";
import { NotYetBuilt } from "../components/NotYetBuilt";
import { placeholderLoader } from "../placeholder-page.server";

export const loader = placeholderLoader("nav.customers", 8, "the customer index and customer pages");

export default function CustomersPage() {
  return <NotYetBuilt {...useLoaderData<typeof loader>()} />;
}
