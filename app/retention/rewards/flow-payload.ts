/**
 * The Shopify Flow trigger Kinship fires when a code is issued or a reminder is due; the merchant's
 * workflow (e.g. Shopify Email) sends the message. The field list below is the single source for
 * both the payload and the trigger extension's TOML, so the two cannot drift apart.
 *
 * Custom field keys are camelCase (they become Liquid variable names in Flow). The customer is a
 * Flow *reference* field, whose payload key Flow fixes as `customer_id` with the numeric customer id.
 */
import { describeReward } from "./reward-cost";
import type { Decision } from "./schedule";
import {
  legacyId,
  renderTriggerTomlLines,
  triggerPayloadProblems,
  type FlowTriggerDefinition,
  type FlowTriggerField,
} from "../flow-trigger";

export type { FlowFieldType, FlowTriggerField } from "../flow-trigger";

export const FLOW_TRIGGER_HANDLE = "kinship-reward-issued";
export const FLOW_TRIGGER_NAME = "Reward code issued";
export const FLOW_TRIGGER_DESCRIPTION = "Kinship issued a discount code to a customer, or a reminder about one is due (birthday moments).";

export const FLOW_TRIGGER_FIELDS: readonly FlowTriggerField[] = [
  { key: "customer_id", type: "customer_reference", description: "The customer the code belongs to." },
  { key: "code", type: "single_line_text_field", description: "The discount code, usable once by this customer." },
  {
    key: "reason",
    type: "single_line_text_field",
    // Not a list of the codes: a new reward kind must not change the deployed trigger (decision 005).
    description: "Why: the reason code of the rule's kind, e.g. birthday, winback or tierUpgrade.",
  },
  { key: "expiresAt", type: "single_line_text_field", description: "When the code stops working (ISO 8601)." },
  {
    key: "moment",
    type: "single_line_text_field",
    description: "issued, or for birthday reminders: before7, before3, birthday, lastChance (or beforeN/afterN).",
  },
  { key: "ruleName", type: "single_line_text_field", description: "The Kinship rule's name." },
  { key: "offer", type: "single_line_text_field", description: "The reward, e.g. 15% off, 10.00 EUR off, Free shipping." },
];

export const REWARD_FLOW_TRIGGER: FlowTriggerDefinition = {
  handle: FLOW_TRIGGER_HANDLE,
  name: FLOW_TRIGGER_NAME,
  description: FLOW_TRIGGER_DESCRIPTION,
  fields: FLOW_TRIGGER_FIELDS,
};

export interface FlowTriggerPayload {
  customer_id: number;
  code: string;
  reason: string;
  expiresAt: string;
  moment: string;
  ruleName: string;
  offer: string;
}

/** JSON-schema-like description of the payload, derived from FLOW_TRIGGER_FIELDS. */
export const flowTriggerPayloadSchema = {
  type: "object",
  additionalProperties: false,
  required: FLOW_TRIGGER_FIELDS.map((f) => f.key),
  properties: Object.fromEntries(
    FLOW_TRIGGER_FIELDS.map((f) => [
      f.key,
      { type: f.type === "customer_reference" ? "integer" : "string", flowType: f.type, description: f.description },
    ]),
  ) as Record<string, { type: "integer" | "string"; flowType: FlowTriggerField["type"]; description: string }>,
} as const;

/** Numeric id from a customer GID ("gid://shopify/Customer/123") or a plain numeric id. */
export function customerLegacyId(customerId: string): number {
  return legacyId("Customer", customerId);
}

export function momentLabel(decision: Pick<Decision, "kind" | "moment" | "lastChance">): string {
  if (decision.kind !== "remind" || decision.moment === undefined) return "issued";
  if (decision.lastChance) return "lastChance";
  if (decision.moment === 0) return "birthday";
  return decision.moment < 0 ? `before${-decision.moment}` : `after${decision.moment}`;
}

export function buildFlowPayload(
  decision: Decision,
  code: string,
  /** `offer`: the reward in the shop's language (English when not given). */
  context: { ruleName: string; currencyCode: string; offer?: string },
): FlowTriggerPayload {
  if (decision.kind === "holdout") throw new Error("Held-out customers are never notified");
  return {
    customer_id: customerLegacyId(decision.customerId),
    code,
    reason: decision.reason,
    expiresAt: decision.endsAt,
    moment: momentLabel(decision),
    ruleName: context.ruleName,
    offer: context.offer ?? describeReward(decision.reward, context.currencyCode),
  };
}

/** Problems with a payload against the declared fields (empty when it matches). */
export function flowPayloadProblems(payload: unknown): string[] {
  return triggerPayloadProblems(REWARD_FLOW_TRIGGER, payload);
}

/** The trigger extension's `shopify.extension.toml`, generated from the same field list. */
export function renderFlowTriggerToml(): string {
  const lines = renderTriggerTomlLines(REWARD_FLOW_TRIGGER);
  lines.push(
    "",
    "# Flow's trigger lifecycle callback: Flow POSTs here (HMAC-signed) whenever a merchant enables or",
    "# disables a workflow that uses the trigger above, so Kinship knows whether a code would reach anyone",
    "# (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events). Shopify CLI resolves the relative",
    "# URL against the app's URL (module `flow_trigger_lifecycle_callback`).",
    "[[extensions]]",
    `name = ${JSON.stringify(`${FLOW_TRIGGER_NAME}: lifecycle`)}`,
    'type = "flow_trigger_lifecycle_callback"',
    `handle = ${JSON.stringify(FLOW_LIFECYCLE_HANDLE)}`,
    `url = ${JSON.stringify(FLOW_LIFECYCLE_PATH)}`,
  );
  return lines.join("\n") + "\n";
}

/** Where Flow's lifecycle callback is served (app/routes/flow.lifecycle.tsx). */
export const FLOW_LIFECYCLE_PATH = "/flow/lifecycle";
export const FLOW_LIFECYCLE_HANDLE = "kinship-reward-lifecycle";
