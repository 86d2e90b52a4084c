/**
 * The Flow trigger "Kinship: unhappy customer": fired once per low answer (score at or below the shop's
 * one threshold), so the merchant's workflow (email, Slack, a task) reaches someone within minutes
 * instead of the next visit to the Feedback page. The order is a Flow reference (guests' answers have
 * an order even when Kinship does not know the customer yet); the value at risk is the customer's
 * predicted CLV (0 when unknown).
 */
import { legacyId, renderTriggerTomlLines, type FlowTriggerDefinition } from "../flow-trigger";
import { isLowScore, type ReasonCode } from "./reasons";

export const UNHAPPY_TRIGGER: FlowTriggerDefinition = {
  handle: "kinship-unhappy-customer",
  name: "Kinship: unhappy customer",
  description: "A customer answered Kinship's survey at or below the shop's low-score threshold.",
  fields: [
    { key: "order_id", type: "order_reference", description: "The order the answer is about." },
    { key: "score", type: "number_decimal", description: "The answer, 0 to 10." },
    {
      key: "reasons",
      type: "single_line_text_field",
      description:
        "What went wrong, as reason codes separated by commas (delivery, product_not_as_described, price, service, other), or none.",
    },
    {
      key: "valueAtRisk",
      type: "number_decimal",
      description: "The customer's predicted future spend in the shop's currency (0 when Kinship does not know the customer yet).",
    },
    { key: "currencyCode", type: "single_line_text_field", description: "The shop's currency, e.g. EUR." },
    { key: "itemUrl", type: "url", description: "The feedback item in Kinship (Shopify admin)." },
  ],
};

export interface UnhappyAlertPayload {
  order_id: number;
  score: number;
  reasons: string;
  valueAtRisk: number;
  currencyCode: string;
  itemUrl: string;
}

/** The app's handle in shopify.app.toml: the admin path of its pages (a unit test keeps them equal). */
export const ADMIN_APP_HANDLE = "kinship";

/** The item's page inside the Shopify admin: https://admin.shopify.com/store/<store>/apps/<app handle>/app/feedback/<id>. */
export function feedbackItemUrl(shop: string, feedbackId: string): string {
  const store = shop.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(store)}/apps/${ADMIN_APP_HANDLE}/app/feedback/${encodeURIComponent(feedbackId)}`;
}

export interface UnhappyAnswer {
  id: string;
  orderShopifyId: string;
  score: number;
  reasons: readonly ReasonCode[];
}

/** Null when the answer is not low: only low answers alert. */
export function buildUnhappyAlert(
  shop: string,
  answer: UnhappyAnswer,
  context: { threshold: number; predictedClv: number | null; currencyCode: string },
): UnhappyAlertPayload | null {
  if (!isLowScore(answer.score, context.threshold)) return null;
  const clv = context.predictedClv;
  return {
    order_id: legacyId("Order", answer.orderShopifyId),
    score: answer.score,
    reasons: answer.reasons.length ? answer.reasons.join(", ") : "none",
    valueAtRisk: clv !== null && Number.isFinite(clv) && clv > 0 ? Math.round(clv * 100) / 100 : 0,
    currencyCode: context.currencyCode,
    itemUrl: feedbackItemUrl(shop, answer.id),
  };
}

/** The trigger extension's TOML (extensions/kinship-unhappy-customer), generated from the field list. */
export function renderUnhappyTriggerToml(): string {
  return (
    [
      "# Generated from app/retention/feedback/unhappy-alert.ts (renderUnhappyTriggerToml); a test keeps them equal.",
      "# Flow's lifecycle callbacks for this trigger go to the app's one callback (declared with the reward",
      "# trigger in extensions/kinship-flow-trigger), which records them per trigger definition.",
      ...renderTriggerTomlLines(UNHAPPY_TRIGGER),
    ].join("\n") + "\n"
  );
}
