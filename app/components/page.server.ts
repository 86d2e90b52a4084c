/**
 * What every Kinship admin page starts with: the authenticated shop, the admin's locale, and formatters
 * in the shop's currency and time zone.
 */
import { authenticate } from "../shopify.server";
import db from "../db.server";
import { messagesFor, resolveLocale, type Locale } from "../i18n";
import { shopFormatter, type ShopFormatter } from "../formatting";

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
  const shopRow = await db.shop.findUnique({ where: { shop: session.shop }, select: { name: true, currencyCode: true, ianaTimezone: true } });
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
