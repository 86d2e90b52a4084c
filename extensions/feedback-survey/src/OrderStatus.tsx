import "@shopify/ui-extensions/preact";
import { render } from "preact";

import { buildTimeAppUrl } from "../../shared/app-url";
import { orderStatusHost } from "./host";
import { Survey } from "./Survey";

/** customer-account.order-status.block.render: same survey, keyed by the same order. */
export default async () => {
  render(<Survey host={orderStatusHost(shopify, buildTimeAppUrl())} />, document.body);
};
