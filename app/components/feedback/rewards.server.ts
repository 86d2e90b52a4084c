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
 * Only creation happens here. Delivery (the `kinship` customer metafields and the Flow trigger) is
 * left to the scheduler's next run, which picks up every `created` row; a row left `recorded` by a
 * Shopify outage is resolved by that run too (looked up by its code, created only if absent).
 */
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import db from "../../db.server";
import {
  findByKeys,
  listIssuedRecords,
  markCreated,
  markFailed,
  noteError,
  recordDecisions,
  type IssuedRow,
} from "../../models/issued-discounts.server";
import { costAssumptions } from "../../models/reward-customers.server";
import { listRules } from "../../models/rules.server";
import {
  addDays,
  decideDay,
  estimateRedemptionCost,
  generateDiscountCode,
  idempotencyKey,
  localDateAt,
  usageThisMonth,
  validityInstants,
  type CustomerSnapshot,
  type Decision,
  COMPENSATION_REASON,
  rewardKind,
  type Reward,
  type RandomBytes,
  type Rule,
} from "../../retention/rewards";
import { ShopifyUserErrors, type AdminClient } from "../../shopify/admin-client.server";
import { adminClientForShop } from "../../shopify/admin-for-shop.server";
import { createRewardDiscount, findDiscountByCode } from "../../shopify/discounts.server";

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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function shopContext(shop: string) {
  const row = await db.shop.findUnique({ where: { shop } });
  if (!row) throw new Error(`Unknown shop ${shop}`);
  return { timeZone: row.ianaTimezone, currencyCode: row.currencyCode, settings: row.settings };
}

async function customerSnapshot(shop: string, customerId: string): Promise<CustomerSnapshot> {
  const c = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerId } } });
  return {
    id: customerId,
    lifecycleGroup: c?.lifecycle ?? null,
    lapsedSince: null,
    tierMetrics: {
      netSpend: { lifetime: c?.totalSpent ?? 0, rolling12m: c?.totalSpent ?? 0 },
      orderCount: { lifetime: c?.orderCount ?? 0, rolling12m: c?.orderCount ?? 0 },
    },
    predictedClv: c?.predictedClv ?? null,
    birthday: c?.birthday ?? null,
    marketingConsent: c?.marketingState === "SUBSCRIBED",
    averageOrderValue: c && c.orderCount > 0 ? c.totalSpent / c.orderCount : null,
  };
}

function discountTitle(ruleName: string, what: string, customerId: string): string {
  return `Kinship · ${ruleName} · ${what} · ${customerId.replace(/^gid:\/\/shopify\/Customer\//, "customer ")}`.slice(0, 255);
}

/**
 * Records the decision (or finds the row someone recorded first) and brings a `recorded` issue row
 * to `created`. Shopify refusing the code marks the row failed; an outage leaves it `recorded` for
 * the scheduler. Returns the row as stored afterwards.
 */
async function recordThenCreate(shop: string, decision: Decision, title: string, now: Date, deps: RewardDeps): Promise<IssuedRow> {
  const offered = decision.kind === "issue" ? generateDiscountCode(deps.randomBytes) : null;
  const recorded = (await recordDecisions(shop, [{ decision, code: offered }], now)).get(decision.idempotencyKey);
  if (!recorded) throw new Error(`Ledger row ${decision.idempotencyKey} was not recorded`);
  if (recorded.kind !== "issue" || recorded.status !== "recorded" || !recorded.code) return recorded;

  // Our own fresh row can't be in Shopify yet; anyone else's may be (an earlier answer was lost).
  const fresh = recorded.code === offered;
  try {
    const client = await deps.client(shop);
    const existing = fresh ? null : await findDiscountByCode(client, recorded.code);
    if (existing && !existing.customerIds.includes(recorded.customerShopifyId)) {
      await markFailed(shop, recorded.id, `Code ${recorded.code} belongs to another discount (${existing.id})`);
    } else if (existing) {
      await markCreated(shop, recorded.id, existing.id);
    } else {
      const outcome = await createRewardDiscount(client, {
        code: recorded.code,
        title,
        customerId: recorded.customerShopifyId,
        // A row recorded earlier keeps the validity it was recorded with.
        startsAt: recorded.startsAt?.toISOString() ?? decision.startsAt,
        endsAt: recorded.endsAt?.toISOString() ?? decision.endsAt,
        reward: decision.reward,
        minimumSubtotal: decision.minimumSubtotal,
      });
      await markCreated(shop, recorded.id, outcome.id);
    }
  } catch (error) {
    if (error instanceof ShopifyUserErrors) await markFailed(shop, recorded.id, errorMessage(error));
    else await noteError(shop, recorded.id, errorMessage(error));
  }
  return (await findByKeys(shop, [decision.idempotencyKey])).get(decision.idempotencyKey) ?? recorded;
}

// ——— Compensation ———

/** A rule with one reward (its kind's `compensation` says how to send it). */
export type CompensationRule = Extract<Rule, { reward: Reward }>;

export interface CompensationRequest {
  feedbackId: string;
  rule: CompensationRule;
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
  deps: RewardDeps = defaultDeps
): Promise<{ issuedDiscountId: string }> {
  const key = compensationKey(request.feedbackId);
  const earlier = (await findByKeys(shop, [key])).get(key);
  if (earlier && earlier.status !== "recorded") return { issuedDiscountId: earlier.id };

  const { timeZone, settings } = await shopContext(shop);
  const { rule, customerShopifyId, now } = request;
  const today = localDateAt(now, timeZone);
  const offer = rewardKind(rule.kind).compensation?.(rule);
  if (!offer) throw new Error(`Rule ${rule.id} has no single reward to send`);
  const validityDays = offer.validityDays ?? COMPENSATION_VALIDITY_DAYS;
  const customer = await customerSnapshot(shop, customerShopifyId);
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
    estimatedCost: estimateRedemptionCost(offer.reward, minimumSubtotal, await costAssumptions(shop, settings), customer.averageOrderValue),
    notify: true,
    channel: "transactional",
  };
  const row = await recordThenCreate(shop, decision, discountTitle(rule.name, "feedback follow-up", customerShopifyId), now, deps);
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
  deps: RewardDeps = defaultDeps
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
    customers: [await customerSnapshot(shop, input.customerShopifyId)],
    issued: ledger,
    budgetUsedThisMonth: usageThisMonth(ledger, today),
    feedback: [{ customerId: input.customerShopifyId, responseId: input.feedbackId, receivedOn: today }],
    costAssumptions: await costAssumptions(shop, settings),
    currencyCode,
  });

  let reward: ThankYouCode | null = null;
  // Holdouts are recorded too: the daily run must find them and not decide again.
  for (const decision of result.decisions.filter((d) => d.customerId === input.customerShopifyId)) {
    const rule = thanks.find((r) => r.id === decision.ruleId);
    const row = await recordThenCreate(
      shop,
      decision,
      discountTitle(rule?.name ?? "Feedback thanks", "thanks", decision.customerId),
      input.now,
      deps
    );
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
