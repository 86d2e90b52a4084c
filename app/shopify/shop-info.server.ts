import type { AdminClient } from "./admin-client.server";
import { SHOP_INFO_QUERY, type ShopInfo } from "./queries/shop";

export type ShopDetails = Pick<ShopInfo["shop"], "name" | "currencyCode" | "ianaTimezone"> & { countryCode: string | null };

/** The shop's name, currency, time zone and country (its market: which holidays it is offered) as Shopify holds them. */
export async function fetchShopDetails(client: AdminClient): Promise<ShopDetails> {
  const { shop } = await client.request<ShopInfo>(SHOP_INFO_QUERY);
  return {
    name: shop.name,
    currencyCode: shop.currencyCode,
    ianaTimezone: shop.ianaTimezone,
    countryCode: shop.billingAddress?.countryCodeV2 ?? null,
  };
}
