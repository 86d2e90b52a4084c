/**
 * The shopper's own view of their rewards (the customer account page, issue #16): which offer a
 * ledger row grants, where the customer stands in the shop's loyalty tiers, and the wire shapes of
 * money and offers. Numbers only: the extension words them in the shopper's language.
 */
import { birthdayProblem } from "../feedback/payload";
import { COMPENSATION_REASON, REWARD_KINDS, rewardKind, type Offer, type RewardReason } from "./kinds";
import type { Rule } from "./rule-schema";
import type { Reward, TierMetric, TierWindow } from "./rule-fields";
import type { TierProgram } from "./tiers";
import { metricValue, qualifyingTierIndex, type TierMetrics } from "./tiers";

/**
 * The offer a ledger row grants, from its rule: the kind's offer for the row's period (offer B for a
 * row drawn into an A/B rule's B arm). Null when the rule no longer grants it (changed between a code
 * and store credit since the row was recorded, or the period is no longer offered).
 */
export function ledgerOffer(rule: Rule, row: { period: string; arm: string | null; rewardType: string | null }): Offer | null {
  const offer = rewardKind(rule.kind).offerFor(rule, row.period);
  const value = offer && row.arm === "B" && rule.offerB ? { ...offer, reward: rule.offerB.reward } : offer;
  if (!value) return null;
  if (row.rewardType && (row.rewardType === "storeCredit") !== (value.reward.type === "storeCredit")) return null;
  return value;
}

/**
 * The Flow reason code of a ledger row: its kind's, or the compensation's for a one-off grant made
 * outside the daily decision (a key without a period, `feedback-compensation:<id>`).
 */
export function ledgerReason(rule: Pick<Rule, "kind">, idempotencyKey: string): RewardReason {
  return idempotencyKey.split(":").length < 3 ? COMPENSATION_REASON : REWARD_KINDS[rule.kind].reason;
}

/** Whether a rule can grant store credit: its reward, its offer B or one of its tiers' rewards. */
export function ruleGrantsStoreCredit(rule: Rule): boolean {
  const loose = rule as { reward?: Reward | null; offerB?: { reward?: Reward | null } | null; tiers?: Array<{ reward?: Reward | null }> };
  const isCredit = (reward: Reward | null | undefined) => reward?.type === "storeCredit";
  return isCredit(loose.reward) || isCredit(loose.offerB?.reward) || (loose.tiers ?? []).some((t) => isCredit(t.reward));
}

export interface MoneyView {
  /** Decimal string with two places, as Shopify's MoneyV2 writes it. */
  amount: string;
  currencyCode: string;
}

/** An instant as the contract writes it: UTC, whole seconds when there is no fraction ("2026-12-20T21:59:59Z"). */
export function instantView(at: Date | string): string {
  return new Date(at).toISOString().replace(/\.000Z$/, "Z");
}

export function moneyView(amount: number, currencyCode: string): MoneyView {
  return { amount: (Math.round(amount * 100) / 100).toFixed(2), currencyCode };
}

export type OfferView = { type: "percentage"; percent: number } | { type: "fixed_amount"; amount: MoneyView } | { type: "free_shipping" };

/** A code's offer on the wire; null for store credit (not a code: it shows in the balance). */
export function offerView(reward: Reward, currencyCode: string): OfferView | null {
  switch (reward.type) {
    case "percentage":
      return { type: "percentage", percent: reward.percentage };
    case "fixedAmount":
      return { type: "fixed_amount", amount: moneyView(reward.amount, currencyCode) };
    case "freeShipping":
      return { type: "free_shipping" };
    case "storeCredit":
      return null;
  }
}

export type TierWindowView = "lifetime" | "rolling_12_months";

export interface TierView {
  current: { name: string } | null;
  /**
   * The tier above the current one. `remaining` is money for spend-based programs; for an order-count
   * program it is null and `remainingOrders` says how many orders are left; for a predicted-value
   * program both are null (spending more moves a forecast, not a count), only `progress` is given.
   */
  next: { name: string; remaining: MoneyView | null; remainingOrders?: number } | null;
  /** Share of the way from the current tier's threshold (0 without a tier) to the next one's; 1 at the top tier. */
  progress: number;
  /** The customer's net spend over the program's window. */
  spend: MoneyView;
  window: TierWindowView;
  /** What the program counts (an addition to the first contract: order counts are not money). */
  metric: TierMetric;
  /** Orders counted over the window (order-count programs only). */
  orders?: number;
}

const WINDOW_VIEW: Record<TierWindow, TierWindowView> = { lifetime: "lifetime", rolling12m: "rolling_12_months" };

/**
 * Where a customer stands: the tier the daily run has them in (`storedTier`, which keeps a tier through
 * its grace period), else the one their numbers reach today, and the distance to the tier above it.
 */
export function tierView(
  program: Pick<TierProgram, "metric" | "window" | "tiers">,
  storedTier: string | null,
  metrics: TierMetrics,
  predictedClv: number | null,
  currencyCode: string,
): TierView {
  const value = metricValue(program, metrics, predictedClv);
  const stored = storedTier === null ? -1 : program.tiers.findIndex((t) => t.name === storedTier);
  const current = Math.max(stored, qualifyingTierIndex(program, value));
  const next = current + 1 < program.tiers.length ? program.tiers[current + 1] : null;
  const window: TierWindow = program.metric === "predictedClv" ? "lifetime" : program.window;
  const from = current < 0 ? 0 : program.tiers[current].threshold;
  let progress = 1;
  if (next) {
    const span = next.threshold - from;
    progress = span > 0 && value !== null ? Math.min(1, Math.max(0, (value - from) / span)) : 0;
  }
  const left = next && value !== null ? Math.max(0, next.threshold - value) : null;
  return {
    current: current < 0 ? null : { name: program.tiers[current].name },
    next: next
      ? {
          name: next.name,
          remaining: program.metric === "netSpend" && left !== null ? moneyView(left, currencyCode) : null,
          ...(program.metric === "orderCount" && left !== null ? { remainingOrders: Math.ceil(left) } : {}),
        }
      : null,
    progress: Math.round(progress * 1000) / 1000,
    spend: moneyView(metrics.netSpend[window], currencyCode),
    window: WINDOW_VIEW[window],
    metric: program.metric,
    ...(program.metric === "orderCount" ? { orders: metrics.orderCount[window] } : {}),
  };
}

/**
 * The page counts as a way to reach customers while it is being opened: loaded by a signed-in customer
 * within this many days (a page the merchant removed stops counting, and codes are withheld again).
 */
export const PAGE_IN_USE_DAYS = 30;

export function customerAccountPageInUse(use: { lastLoadedAt: Date } | null, now: Date): boolean {
  return use !== null && now.getTime() - use.lastLoadedAt.getTime() <= PAGE_IN_USE_DAYS * 86_400_000;
}

/** What the page may POST: a birthday with consent, or no birthday without it (take it back). */
export type BirthdayUpdate = { action: "save"; birthday: string; consentTextVersion: string | null } | { action: "remove" };

export type BirthdayUpdateErrors = Partial<Record<"birthday" | "consent" | "body", string>>;

const TEXT_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Validates an untrusted body: `{ birthday: "YYYY-MM-DD" | null, consent: boolean }` (and optionally
 * the consent wording's `consentTextVersion`). Only these keys are read. Codes, not sentences: the
 * extension words them. `today` is the UTC day that bounds birthdays (as the survey's).
 */
export function parseBirthdayUpdate(
  input: unknown,
  today: string,
): { ok: true; data: BirthdayUpdate } | { ok: false; fieldErrors: BirthdayUpdateErrors } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, fieldErrors: { body: "invalid_type" } };
  const body = input as Record<string, unknown>;
  const errors: BirthdayUpdateErrors = {};
  const birthday = body.birthday;
  const consent = body.consent;
  const version = body.consentTextVersion;
  if (birthday === undefined) errors.birthday = "required";
  else if (birthday !== null && typeof birthday !== "string") errors.birthday = "invalid_type";
  else if (typeof birthday === "string") {
    const problem = birthdayProblem(birthday, today);
    if (problem) errors.birthday = problem;
  }
  if (typeof consent !== "boolean") errors.consent = consent === undefined ? "required" : "invalid_type";
  else if (typeof birthday === "string" && !consent) errors.consent = "consent_required";
  else if (birthday === null && consent) errors.birthday = "required";
  if (version !== undefined && version !== null && (typeof version !== "string" || !TEXT_VERSION.test(version)))
    errors.body = "invalid_text_version";
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return typeof birthday === "string"
    ? { ok: true, data: { action: "save", birthday, consentTextVersion: typeof version === "string" ? version : null } }
    : { ok: true, data: { action: "remove" } };
}
