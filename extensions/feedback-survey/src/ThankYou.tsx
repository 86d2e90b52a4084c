import "@shopify/ui-extensions/preact";
import { render } from "preact";

import { buildTimeAppUrl } from "../../shared/app-url";
import { thankYouHost } from "./host";
import { Survey } from "./Survey";

/** purchase.thank-you.block.render: the order exists by now, so nothing here can hold it up. */
export default async () => {
  render(<Survey host={thankYouHost(shopify, buildTimeAppUrl())} />, document.body);
};
