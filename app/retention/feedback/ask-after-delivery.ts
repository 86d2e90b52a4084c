/**
 * "Ask after delivery": the question comes once the goods have arrived, not at purchase. An order is due
 * once a fulfillment event says it was delivered, or, for a fulfillment without tracking (nothing will
 * ever say "delivered"), N shop-local days after it was fulfilled. The Flow trigger "Kinship: ask for
 * feedback" then carries a link to Kinship's survey page on the shop's storefront (an app proxy); the
 * merchant's workflow sends it (email, SMS) in their own words.
 */
import { addDays, compareLocalDates, type LocalDate } from "../time";
import { legacyId, renderTriggerTomlLines, type FlowTriggerDefinition } from "../flow-trigger";

export const DEFAULT_ASK_AFTER_DAYS = 7;
/** Settings' bounds for N: at least a day (the parcel has to travel), at most two months. */
export const ASK_AFTER_DAYS_BOUNDS = { min: 1, max: 60 } as const;
/** How long a survey link stays valid after the trigger fired. */
export const SURVEY_LINK_TTL_DAYS = 30;

/** shopify.app.toml's [app_proxy]: storefront `/{prefix}/{subpath}/…` reaches the app's `/proxy/…` (a test compares them). */
export const APP_PROXY = { prefix: "apps", subpath: "kinship", appPath: "/proxy" } as const;
export const SURVEY_PAGE = "survey";

export const ASK_TRIGGER: FlowTriggerDefinition = {
  handle: "kinship-ask-for-feedback",
  name: "Kinship: ask for feedback",
  description: "An order was delivered (or, without tracking, fulfilled some days ago): time to ask the customer how it went.",
  fields: [
    { key: "order_id", type: "order_reference", description: "The delivered order." },
    {
      key: "surveyUrl",
      type: "url",
      description: "Kinship's survey page for this order on the shop's storefront (signed; one answer per order).",
    },
    { key: "expiresAt", type: "single_line_text_field", description: "When the link stops working (ISO 8601, UTC)." },
  ],
};

export interface AskPayload {
  order_id: number;
  surveyUrl: string;
  expiresAt: string;
}

export function buildAskPayload(orderShopifyId: string, surveyUrl: string, expiresAt: Date): AskPayload {
  return { order_id: legacyId("Order", orderShopifyId), surveyUrl, expiresAt: expiresAt.toISOString() };
}

export interface InviteTiming {
  deliveredAt: Date | null;
  /** The shop-local day of the first fulfilment (null: no fulfilment seen). */
  fulfilledOn: LocalDate | null;
  tracked: boolean;
}

/** Whether the order is to be asked on the shop-local day `today`. */
export function isAskDue(invite: InviteTiming, today: LocalDate, askAfterDays: number): boolean {
  if (invite.deliveredAt) return true;
  if (invite.tracked || !invite.fulfilledOn) return false;
  return compareLocalDates(today, addDays(invite.fulfilledOn, askAfterDays)) >= 0;
}

/** The text Kinship signs for a survey link: which shop, which order, until when (seconds since the epoch). */
export function surveyLinkMessage(shop: string, orderLegacyId: number, expiresAtSeconds: number): string {
  return `kinship-survey-link:v1\n${shop}\n${orderLegacyId}\n${expiresAtSeconds}`;
}

export interface SurveyLinkParams {
  order: string;
  expires: string;
  token: string;
}

/** The link's own parameters, parsed strictly; null when any is missing or malformed. */
export function parseSurveyLinkParams(search: URLSearchParams): { orderLegacyId: number; expiresAtSeconds: number; token: string } | null {
  const order = search.get("order") ?? "";
  const expires = search.get("expires") ?? "";
  const token = search.get("token") ?? "";
  if (!/^[1-9]\d{0,19}$/.test(order) || !/^[1-9]\d{0,11}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const orderLegacyId = Number(order);
  if (!Number.isSafeInteger(orderLegacyId)) return null;
  return { orderLegacyId, expiresAtSeconds: Number(expires), token };
}

/** https://{shop}/apps/kinship/survey?order=…&expires=…&token=… (Shopify forwards it to the app, signed). */
export function surveyUrl(shop: string, params: SurveyLinkParams): string {
  const query = new URLSearchParams({ order: params.order, expires: params.expires, token: params.token });
  return `https://${shop}/${APP_PROXY.prefix}/${APP_PROXY.subpath}/${SURVEY_PAGE}?${query.toString()}`;
}

/** The trigger extension's TOML (extensions/kinship-ask-for-feedback), generated from the field list. */
export function renderAskTriggerToml(): string {
  return (
    [
      "# Generated from app/retention/feedback/ask-after-delivery.ts (renderAskTriggerToml); a test keeps them equal.",
      "# Flow's lifecycle callbacks for this trigger go to the app's one callback (declared with the reward",
      "# trigger in extensions/kinship-flow-trigger), which records them per trigger definition.",
      ...renderTriggerTomlLines(ASK_TRIGGER),
    ].join("\n") + "\n"
  );
}
