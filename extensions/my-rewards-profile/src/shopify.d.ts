// Types for the `shopify` global, per entry module (hand-written in the shape Shopify CLI generates).
import "@shopify/ui-extensions";

declare module "./ProfileBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.profile.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
