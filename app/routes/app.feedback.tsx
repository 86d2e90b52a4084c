import { Outlet } from "@remix-run/react";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";

/** /app/feedback: the overview (app.feedback._index) and one item (app.feedback.$id) share the chart styles. */
export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export default function FeedbackLayout() {
  return <Outlet />;
}
