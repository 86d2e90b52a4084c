/**
 * What every Kinship admin page starts with: the authenticated shop, the admin's locale, and formatters
 * in the shop's currency and time zone.
 */
import { authenticate } from "../shopify.server";
import { messagesFor, resolveLocale, type Locale } from "../i18n";
import { shopFormatter, type ShopFormatter } from "../formatting";
import { lifecycleDefinitions } from "../i18n/lifecycle-definitions";
import { getShop } from "../models/shop.server";
import { readShopSettings } from "../models/shop-settings.server";
import { readModelState } from "../models/model-state.server";

export interface PageContext {
  shop: string;
  session: Awaited<ReturnType<typeof authenticate.admin>>["session"];
  locale: Locale;
  currency: string;
  timeZone: string;
  shopName: string | null;
  format: ShopFormatter;
  url: URL;
}

export async function pageContext(request: Request): Promise<PageContext> {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const locale = resolveLocale(url.searchParams.get("locale"));
  const shopRow = await getShop(session.shop);
  const currency = shopRow?.currencyCode ?? "USD";
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  return {
    shop: session.shop,
    session,
    locale,
    currency,
    timeZone,
    shopName: shopRow?.name ?? null,
    format: shopFormatter({ locale, currency, timeZone }),
    url,
  };
}

/** The messages a page's components need, plus the shared ones. */
export function pageMessages(locale: Locale, prefixes: readonly string[]) {
  return messagesFor(locale, ["common", "form", ...prefixes]);
}

/**
 * Each lifecycle group's meaning and the shop's own thresholds for it, for every page that shows the groups
 * (hover on a badge, the customers list's legend, the customer page).
 */
export async function lifecycleGroupDefinitions(ctx: Pick<PageContext, "shop" | "locale" | "format">) {
  const row = await getShop(ctx.shop);
  const typical = readModelState(row?.modelState).cadence?.typicalIntervalDays ?? null;
  return lifecycleDefinitions(ctx.locale, readShopSettings(row?.settings).lifecycle, typical, ctx.format);
}
