import { HttpResponseError } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { AdminApiError } from "../shopify/admin-errors";
import { adminClientForShop } from "./admin-for-shop.server";
import { SHOP_INFO_QUERY } from "../shopify/queries/shop";

export type TokenCheck = "accepted" | "rejected" | "no-token";

/**
 * Asks Shopify whether the shop's stored offline token still works. Shopify revokes an app's tokens
 * when the merchant uninstalls it, so "rejected" (401/403, or a refresh Shopify refuses) confirms an
 * uninstall; "accepted" means the app is installed whatever a webhook says. Any other failure
 * (network, 5xx, throttling) throws: nothing is confirmed and the delivery is retried.
 */
export async function checkShopToken(shop: string): Promise<TokenCheck> {
  try {
    const client = await adminClientForShop(shop, { maxAttempts: 1 });
    await client.request(SHOP_INFO_QUERY);
    return "accepted";
  } catch (error) {
    if (error instanceof SessionNotFoundError) return "no-token";
    if (error instanceof AdminApiError && (error.status === 401 || error.status === 403)) return "rejected";
    // The library refreshing an expiring token: Shopify answers 4xx for a revoked refresh token.
    if (error instanceof HttpResponseError && error.response.code >= 400 && error.response.code < 500) return "rejected";
    throw error;
  }
}
