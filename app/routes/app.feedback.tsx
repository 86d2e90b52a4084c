import { Outlet } from "@remix-run/react";
import { chartStylesLink } from "../components/charts/styles";

/** /app/feedback: the overview (app.feedback._index) and one item (app.feedback.$id) share the chart styles. */
export const links = () => [chartStylesLink];

export default function FeedbackLayout() {
  return <Outlet />;
}
