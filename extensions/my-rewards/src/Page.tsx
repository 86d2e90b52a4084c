import "@shopify/ui-extensions/preact";
import { render } from "preact";

import { buildTimeAppUrl } from "../../shared/app-url";
import { pageHost } from "./host";
import { MyRewardsPage } from "./MyRewardsPage";

/** customer-account.page.render: the shopper's own rewards, read from Kinship's backend with the session token. */
export default async () => {
  render(<MyRewardsPage host={pageHost(shopify, buildTimeAppUrl())} />, document.body);
};
