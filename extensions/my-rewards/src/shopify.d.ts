// Types for the `shopify` global, per entry module. Shopify CLI normally generates this file; it is
// hand-written here (same shape as the CLI's) so type-checking works without the CLI.
import "@shopify/ui-extensions";

declare module "./Page.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}
