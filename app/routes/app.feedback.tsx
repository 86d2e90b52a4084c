import { useLoaderData } from "@remix-run/react";
import { NotYetBuilt } from "../components/NotYetBuilt";
import { placeholderLoader } from "../placeholder-page.server";

export const loader = placeholderLoader("nav.feedback", 7, "the feedback survey and follow-up queue");

export default function FeedbackPage() {
  return <NotYetBuilt {...useLoaderData<typeof loader>()} />;
}
