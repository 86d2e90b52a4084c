/**
 * The two rewards the feedback flow hands out, both through the rewards engine's ledger
 * (`IssuedDiscount`, unique idempotency key, code recorded before Shopify is called) and its
 * discount edge (`createRewardDiscount`, customer-restricted, usage limit 1):
 *
 * - the feedback-thanks code shown right after a submission, decided by the core's `decideDay` with
 *   the shop's enabled feedback-thanks rules only — so holdouts, budgets and "once per customer"
 *   apply exactly as in the daily run, which then finds the key recorded and issues nothing more;
 * - the compensation the merchant picks for a follow-up item, keyed `feedback-compensation:<id>`,
 *   so however often it is requested (double clicks, two tabs, retries) one code exists.
 *
 * Both go through the one issuance path (`reward-issue.server.ts`). The thank-you stops after creation:
 * its delivery (the `kinship` customer metafields and the Flow trigger) is left to the scheduler's next
 * run. The compensation is created and delivered in the request that chose it (store credit: Shopify
 * tells the customer); choosing again after a crash or an outage takes the same row on from where it
 * stopped (looked up by its code, created only if absent), and the daily run finishes any row still left.
 */
import { readShopSettings } from "../models/shop-settings.server";
import { getShop } from "../models/shop.server";
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { findByKeys, isStoreCreditRow, listIssuedRecords, type IssuedRow } from "../models/issued-discounts.server";
import { costAssumptions, loadRewardCustomer } from "../models/reward-customers.server";
import { listRules } from "../models/rules.server";
import { kindsNeedingConsent } from "../models/shop-settings.server";
import {
  addDays,
  combinesWithOf,
  COMPENSATION_REASON,
  decideDay,
  estimateRedemptionCost,
  idempotencyKey,
  localDateAt,
  readsOrderHistory,
  rewardKind,
  usageThisMonth,
  validityInstants,
  type Decision,
  type RandomBytes,
  type Reward,
  type Rule,
} from "../retention/rewards";
import type { AdminClient } from "../shopify/admin-client.server";
import { adminClientForShop } from "./admin-for-shop.server";
import { recordAndCreate } from "./reward-issue.server";
import { decisionFromRow } from "./issuance.server";
import { getRule } from "../models/rules.server";

export interface RewardDeps {
  client: (shop: string) => Promise<AdminClient>;
  randomBytes: RandomBytes;
}

const defaultDeps: RewardDeps = {
  client: (shop) => adminClientForShop(shop, { maxAttempts: 2, maxDelayMs: 500 }),
  randomBytes: (n) => new Uint8Array(cryptoRandomBytes(n)),
};

export const COMPENSATION_VALIDITY_DAYS = 30;

export function compensationKey(feedbackId: string): string {
  return `feedback-compensation:${feedbackId}`;
}

async function shopContext(shop: string) {
  const row = await getShop(shop);
  if (!row) throw new Error(`Unknown shop ${shop}`);
  return { timeZone: row.ianaTimezone, currencyCode: row.currencyCode, settings: readShopSettings(row.settings) };
}

// ——— Compensation ———

/** A rule with one reward (its kind's `compensation` says how to send it). */
export type CompensationRule = Extract<Rule, { reward: Reward }>;

export interface CompensationRequest {
  feedbackId: string;
  /** The rule chosen; null to finish the item's earlier compensation only. */
  rule: CompensationRule | null;
  customerShopifyId: string;
  now: Date;
}

export type CompensationIssuer = (shop: string, request: CompensationRequest) => Promise<{ issuedDiscountId: string }>;

/**
 * One code per feedback item, whichever rule is picked: the key names the item, not the rule. It is
 * the merchant's explicit decision, so holdout and budget pauses don't apply (its cost still counts
 * in the rule's month, like any other issued code).
 */
export async function issueCompensation(
  shop: string,
  request: CompensationRequest,
  deps: RewardDeps = defaultDeps,
): Promise<{ issuedDiscountId: string }> {
  const key = compensationKey(request.feedbackId);
  const earlier = (await findByKeys(shop, [key])).get(key);
  if (earlier && earlier.status !== "recorded" && earlier.status !== "created") return { issuedDiscountId: earlier.id };

  const { timeZone, currencyCode, settings } = await shopContext(shop);
  const { rule, customerShopifyId, now } = request;
  if (earlier) {
    // An earlier choice stopped between steps: take that row on with the rule it was recorded with.
    const recordedRule = rule && earlier.ruleId === rule.id ? rule : (await getRule(shop, earlier.ruleId))?.rule;
    const decision = recordedRule ? decisionFromRow(earlier, recordedRule, timeZone) : null;
    if (!recordedRule || !decision) return { issuedDiscountId: earlier.id };
    const row = await recordAndCreate(shop, decision, recordedRule.name, now, { ...deps, currencyCode }, { deliver: true });
    return { issuedDiscountId: row.id };
  }
  if (!rule) throw new Error(`Feedback ${request.feedbackId} has no compensation to finish`);
  const today = localDateAt(now, timeZone);
  const offer = rewardKind(rule.kind).compensation?.(rule);
  if (!offer) throw new Error(`Rule ${rule.id} has no single reward to send`);
  const validityDays = offer.validityDays ?? COMPENSATION_VALIDITY_DAYS;
  const customer = await loadRewardCustomer(shop, timeZone, now, customerShopifyId);
  const minimumSubtotal = offer.minimumSubtotal;
  const decision: Decision = {
    idempotencyKey: key,
    ruleId: rule.id,
    ruleKind: rule.kind,
    customerId: customerShopifyId,
    kind: "issue",
    period: "",
    decidedOn: today,
    reason: COMPENSATION_REASON,
    explanation: `Compensation for feedback ${request.feedbackId}.`,
    ...validityInstants(today, addDays(today, validityDays - 1), timeZone),
    reward: offer.reward,
    minimumSubtotal,
    combinesWith: combinesWithOf(rule),
    estimatedCost: estimateRedemptionCost(
      offer.reward,
      minimumSubtotal,
      await costAssumptions(shop, settings.averageShippingCost),
      customer.averageOrderValue,
    ),
    notify: true,
    channel: "transactional",
  };
  // Created and delivered now: the merchant chose it, the customer should hear of it at once.
  const row = await recordAndCreate(shop, decision, rule.name, now, { ...deps, currencyCode }, { deliver: true });
  return { issuedDiscountId: row.id };
}

// ——— Feedback thanks ———

export interface ThankYouCode {
  code: string;
  endsAt: string | null;
}

function usable(row: IssuedRow | undefined, now: Date): row is IssuedRow & { code: string } {
  return (
    row !== undefined &&
    row.kind === "issue" &&
    // A store-credit thank-you has no code to show: Shopify told the customer.
    !isStoreCreditRow(row) &&
    (row.status === "created" || row.status === "delivered") &&
    row.code !== null &&
    row.redeemedAt === null &&
    (row.endsAt === null || row.endsAt.getTime() > now.getTime())
  );
}

/**
 * The thank-you code for a response, or null (no enabled feedback-thanks rule, the customer is in the
 * holdout, the budget is spent, or Shopify could not create it in time). Never looks at the score.
 * A customer who already holds this rule's code (once per customer, or an answer sent twice) sees
 * that code again while it is usable.
 */
export async function thankYouReward(
  shop: string,
  input: { feedbackId: string; customerShopifyId: string; now: Date },
  deps: RewardDeps = defaultDeps,
): Promise<ThankYouCode | null> {
  const { rules } = await listRules(shop);
  const thanks = rules.map((s) => s.rule).filter((r) => rewardKind(r.kind).thanksPeriod && r.enabled);
  if (thanks.length === 0) return null;

  const { timeZone, currencyCode, settings } = await shopContext(shop);
  const today = localDateAt(input.now, timeZone);
  const ledger = await listIssuedRecords(shop, timeZone);
  const result = decideDay({
    today,
    timeZone,
    rules: thanks,
    customers: [await loadRewardCustomer(shop, timeZone, input.now, input.customerShopifyId, readsOrderHistory(thanks.map((r) => r.kind)))],
    issued: ledger,
    budgetUsedThisMonth: usageThisMonth(ledger, today),
    feedback: [{ customerId: input.customerShopifyId, responseId: input.feedbackId, receivedOn: today }],
    costAssumptions: await costAssumptions(shop, settings.averageShippingCost),
    currencyCode,
    customerCaps: settings.customerCaps,
    kindsNeedingConsent: kindsNeedingConsent(settings.consent),
  });

  let reward: ThankYouCode | null = null;
  // Holdouts are recorded too: the daily run must find them and not decide again.
  for (const decision of result.decisions.filter((d) => d.customerId === input.customerShopifyId)) {
    const rule = thanks.find((r) => r.id === decision.ruleId);
    const row = await recordAndCreate(shop, decision, rule?.name ?? "", input.now, { ...deps, currencyCode });
    if (!reward && usable(row, input.now)) reward = { code: row.code, endsAt: row.endsAt?.toISOString() ?? null };
  }
  if (reward) return reward;

  const keys = thanks.map((r) => idempotencyKey(r.id, input.customerShopifyId, rewardKind(r.kind).thanksPeriod!(r, input.feedbackId)));
  const rows = await findByKeys(shop, keys);
  for (const key of keys) {
    const row = rows.get(key);
    if (usable(row, input.now)) return { code: row.code, endsAt: row.endsAt?.toISOString() ?? null };
  }
  return null;
}
