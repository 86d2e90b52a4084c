/**
 * The shop's primary language, for text customers read (the offer in their metafields and Flow
 * messages). A shop that has not granted `read_locales` yet (it was added after the first release)
 * gets null, and the caller falls back to English; other errors are thrown like any Admin call's.
 */
import type { AdminClient } from "./admin-client.server";
import { AdminApiError } from "./admin-errors";
import { SHOP_LOCALES_QUERY, type ShopLocales } from "./queries/shop";

function isAccessDenied(error: unknown): boolean {
  return (
    error instanceof AdminApiError &&
    error.graphqlErrors.some((e) => (e as { extensions?: { code?: unknown } } | null)?.extensions?.code === "ACCESS_DENIED")
  );
}

export async function shopPrimaryLocale(client: AdminClient): Promise<string | null> {
  try {
    const data = await client.request<ShopLocales>(SHOP_LOCALES_QUERY);
    return data.shopLocales.find((l) => l.primary)?.locale ?? null;
  } catch (error) {
    if (isAccessDenied(error)) return null;
    throw error;
  }
}
