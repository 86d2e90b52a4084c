/**
 * Kinship's own signature on an after-delivery survey link: which shop, which order, until when. Shopify's
 * app-proxy signature (verified by `authenticate.public.appProxy`) only proves the request came through
 * the shop's storefront; this one proves Kinship made the link for that order, so a link whose order,
 * shop or expiry was changed is refused. The key is derived from the app's secret for this one purpose.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { legacyId } from "../retention/flow-trigger";
import { parseSurveyLinkParams, surveyLinkMessage, surveyUrl } from "../retention/feedback/ask-after-delivery";

const keyOf = (appSecret: string) => createHmac("sha256", appSecret).update("kinship:survey-link-key").digest();

function tokenFor(appSecret: string, shop: string, orderLegacyId: number, expiresAtSeconds: number): string {
  return createHmac("sha256", keyOf(appSecret))
    .update(surveyLinkMessage(shop, orderLegacyId, expiresAtSeconds))
    .digest("base64url");
}

export function signSurveyLink(appSecret: string, shop: string, orderShopifyId: string, expiresAt: Date): string {
  const order = legacyId("Order", orderShopifyId);
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return surveyUrl(shop, { order: String(order), expires: String(expires), token: tokenFor(appSecret, shop, order, expires) });
}

export type SurveyLinkCheck =
  { ok: true; orderShopifyId: string; expiresAt: Date } | { ok: false; reason: "malformed" | "forged" | "expired" };

/** Checks the link's parameters for `shop` (the one Shopify's proxy signature vouches for). */
export function verifySurveyLink(appSecret: string, shop: string, search: URLSearchParams, now: Date): SurveyLinkCheck {
  const link = parseSurveyLinkParams(search);
  if (!link) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(tokenFor(appSecret, shop, link.orderLegacyId, link.expiresAtSeconds));
  const given = Buffer.from(link.token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "forged" };
  if (link.expiresAtSeconds * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, orderShopifyId: `gid://shopify/Order/${link.orderLegacyId}`, expiresAt: new Date(link.expiresAtSeconds * 1000) };
}
