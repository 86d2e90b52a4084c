/**
 * Kinship's values as customer metafields (issue 21): what Shopify's segment editor, discounts
 * (`context.customerSegments`), Flow, Shopify Email and reports can read. One list, read by the
 * definitions created on install and by every write-back, so a key or type is never spelled twice.
 */
import { LIFECYCLE_GROUPS } from "./lifecycle";
import { RFM_SEGMENTS } from "./rfm";

export const VALUE_METAFIELD_NAMESPACE = "kinship";

export interface ValueMetafieldDefinition {
  key: "predicted_clv" | "p_alive" | "lifecycle" | "rfm_segment" | "tier";
  /** Shopify metafield type. */
  type: "number_decimal" | "single_line_text_field";
  /** Fixed set of values (Shopify's `choices` validation), where the set is fixed. */
  choices?: readonly string[];
}

export const VALUE_METAFIELDS: readonly ValueMetafieldDefinition[] = [
  { key: "predicted_clv", type: "number_decimal" },
  { key: "p_alive", type: "number_decimal" },
  { key: "lifecycle", type: "single_line_text_field", choices: LIFECYCLE_GROUPS },
  { key: "rfm_segment", type: "single_line_text_field", choices: RFM_SEGMENTS },
  // Tier names are the merchant's own, so no fixed choices.
  { key: "tier", type: "single_line_text_field" },
];

/**
 * The latest reward's metafields (decision 024): written by reward delivery, not by the value write-back, and
 * defined alongside the values so the merchant can build a segment on them (Shopify filters only by defined
 * customer metafields of date/number/text/boolean types) — e.g. "reward code is set" for a bulk-delivered
 * campaign, which fires no Flow trigger per customer.
 */
export interface RewardMetafieldDefinition {
  key: "reward_code" | "reward_expires_at" | "reward_offer" | "reward_reason";
  type: "single_line_text_field" | "date_time";
  choices?: undefined;
}

export const REWARD_METAFIELDS: readonly RewardMetafieldDefinition[] = [
  { key: "reward_code", type: "single_line_text_field" },
  { key: "reward_expires_at", type: "date_time" },
  { key: "reward_offer", type: "single_line_text_field" },
  { key: "reward_reason", type: "single_line_text_field" },
];

/** Every `kinship.*` customer definition Kinship keeps: the values, then the latest reward. */
export type KinshipMetafieldDefinition = ValueMetafieldDefinition | RewardMetafieldDefinition;
export const KINSHIP_METAFIELD_DEFINITIONS: readonly KinshipMetafieldDefinition[] = [...VALUE_METAFIELDS, ...REWARD_METAFIELDS];

export interface CustomerValues {
  predictedClv: number | null;
  pAlive: number | null;
  lifecycle: string | null;
  rfmSegment: string | null;
  tier: string | null;
}

/** Each metafield's value as Shopify stores it (a string), or null where the customer has none. */
export type ValueMetafieldValues = Record<ValueMetafieldDefinition["key"], string | null>;

/** number_decimal keeps at most 9 decimal places; two for money, three for a probability are enough to segment on. */
export function valueMetafieldValues(customer: CustomerValues): ValueMetafieldValues {
  const decimal = (value: number | null, places: number) => (value === null || !Number.isFinite(value) ? null : value.toFixed(places));
  return {
    predicted_clv: decimal(customer.predictedClv, 2),
    p_alive: decimal(customer.pAlive, 3),
    lifecycle: customer.lifecycle,
    rfm_segment: customer.rfmSegment,
    tier: customer.tier,
  };
}

export interface ValueMetafieldChanges {
  /** Values to write (metafieldsSet). */
  set: Array<{ key: ValueMetafieldDefinition["key"]; type: ValueMetafieldDefinition["type"]; value: string }>;
  /** Keys whose value went away (metafieldsDelete). */
  remove: Array<ValueMetafieldDefinition["key"]>;
}

/** Only what changed since the values last written to Shopify (`written`, null when never written). */
export function valueMetafieldChanges(desired: ValueMetafieldValues, written: Partial<ValueMetafieldValues> | null): ValueMetafieldChanges {
  const changes: ValueMetafieldChanges = { set: [], remove: [] };
  for (const { key, type } of VALUE_METAFIELDS) {
    const now = desired[key];
    const before = written?.[key] ?? null;
    if (now === before) continue;
    if (now === null) changes.remove.push(key);
    else changes.set.push({ key, type, value: now });
  }
  return changes;
}
