/**
 * What a reward kind is made of. Each kind is one module in this folder exporting one `RewardKind`,
 * listed once in `./index.ts`; the validator, the daily decision, the ledger replay, the preview, the
 * Flow payload, the rules form and the translations all read that registry, so nothing else in the
 * app switches on kind names (see docs/decisions/005-reward-kinds.md).
 */
import type { z } from "zod";
import { addDays, type LocalDate } from "../../time";
import type { AddError, CombinesWith, Reward } from "../rule-fields";
import type { CustomerSnapshot, DayRun, DayInput } from "../day-run";
import type { ScaledDefaults } from "../shop-scale";
import { validityInstants } from "../../time";

export interface RuleValidationContext {
  /** Tier names of the shop's loyalty program(s), for campaign audiences. */
  knownTiers: readonly string[];
  /** Segment ids the shop has; when given, campaign audiences must use one of them. */
  knownSegments?: readonly string[];
  /** Shop-local today; when given, a campaign that has already ended is rejected. */
  today?: string;
}

/** The reward one ledger row grants, and its minimum subtotal. */
export interface Offer {
  reward: Reward;
  minimumSubtotal: number | null;
}

/** Form values as flat dotted paths ("reward.percentage", "tiers.0.threshold"), the paths field errors use. */
export type FormValues = Record<string, string>;

/**
 * One reward kind. `Draft` is the validated rule before the database gives it an id.
 * Translation keys are derived from the kind's name (`rules.kind.<kind>.*`, see `kindLabelKeys`).
 */
export interface RewardKind<K extends string, S extends z.ZodTypeAny, Draft extends RuleBase<K>> {
  kind: K;
  /** The merchant's configuration, field by field (unknown keys are dropped). */
  schema: S;
  /** Turns the schema's output into the draft (defaults that depend on other fields); identity when absent. */
  finish?(parsed: z.output<S>): Draft;
  /** Cross-field and context checks, each reported at the field it is about. */
  check?(rule: Draft, ctx: RuleValidationContext, addError: AddError): void;
  /** Checks on the raw input before parsing (keys the kind must never accept). */
  checkRaw?(raw: Record<string, unknown>, addError: AddError): void;
  /** Stable reason code, sent to Flow and stored nowhere else; merchants branch on it. */
  reason: string;
  /**
   * "audience": many customers get the same offer for the same period (a campaign, a tier perk, a
   * win-back wave), so a large batch of its codes shares one discount restricted to those customers
   * (docs/decisions/021); "personal": one discount per customer, bound to that customer alone.
   */
  issuedAs: "audience" | "personal";
  /** Promotional codes need marketing consent; transactional ones answer something the customer did. */
  channel: "promotional" | "transactional";
  /**
   * Which discount classes the kind's codes combine with when the rule does not say (the form explains
   * the choice with the kind's `combinesHelp` text).
   */
  combinesWith: CombinesWith;
  /** The code is shown to the customer where it was earned (the survey's thank-you): it needs no other channel. */
  shownWhereEarned?: boolean;
  /** An issued code fires the Flow trigger itself (birthday codes are announced by their reminders). */
  notifyOnIssue: boolean;
  /**
   * The decision reads the customers' order history (`CustomerSnapshot.orderHistory`, through
   * `historyOf`): the daily run then reads every order of the shop. Leave it off when the snapshot's
   * other facts are enough.
   */
  readsOrderHistory?: boolean;
  /** Decided before every other kind (campaign audiences read today's tiers). */
  decidesFirst?: boolean;
  /**
   * Kinds decided from feedback responses (the feedback endpoint and the preview load them): the
   * period of the thank-you a response earns.
   */
  thanksPeriod?(rule: Draft & { id: string }, responseId: string): string;
  /** Who is due what today: candidates go to `run.grant`, reminders to `run.push`. */
  decide(run: DayRun, rule: Draft & { id: string }, input: DayInput, customers: ReadonlyMap<string, CustomerSnapshot>): void;
  /** The reward a recorded period grants (to finish a row an earlier run left half-done), or null. */
  offerFor(rule: Draft & { id: string }, period: string): Offer | null;
  /** A reminder at `moment` (days from the event) is the last-chance one. */
  isLastChance?(rule: Draft & { id: string }, moment: number): boolean;
  /** The one reward the merchant may send as a feedback follow-up's compensation, or null (no single reward). */
  compensation: ((rule: Draft & { id: string }) => Offer & { validityDays: number | null }) | null;
  /** Loyalty tier names the rule defines (campaign audiences pick from them). */
  tierNames?(config: Record<string, unknown>): string[];
  /**
   * Whether two rules of this kind could grant codes to the same customer for the same reason (the
   * shop may keep only one of them). Absent: any two rules of the kind overlap (one per shop).
   */
  overlaps?(a: Draft, b: Draft): boolean;
  /** The field an overlap is reported at (default: the whole form). */
  overlapField?: string;
  /** Calendar range stored in the rule's own columns (for sorting and filtering). */
  dateRange?(rule: Draft): { startsAt: LocalDate; endsAt: LocalDate };
  /** Form values that are words, filled in the admin's language: field path → text key under `rules.kind.<kind>.`. */
  formTexts?(values: FormValues): Record<string, string>;
  /**
   * A new rule's form, as flat values (the name and `formTexts` come from the translations). Money
   * figures come from `scale` (the shop's own order values); without order history they are left blank.
   */
  formDefaults(today: LocalDate, options: { presetId?: string | null; scale?: ScaledDefaults }): FormValues;
}

interface RuleBase<K extends string> {
  kind: K;
  name: string;
  enabled: boolean;
  holdoutShare: number;
  budget?: { maxCount?: number; maxAmount?: number } | null;
  combinesWith?: CombinesWith;
}

/** Declares a kind; the type parameters tie its schema, draft and callbacks together. */
export function defineKind<K extends string, S extends z.ZodTypeAny, Draft extends RuleBase<K> = z.output<S>>(
  kind: RewardKind<K, S, Draft>,
): RewardKind<K, S, Draft> {
  return kind;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRewardKind = RewardKind<string, any, any>;
export type DraftOf<M> = M extends RewardKind<string, z.ZodTypeAny, infer D> ? D : never;

/**
 * An audience kind's codes share one discount when a run issues at least this many for the same rule,
 * period and validity (docs/decisions/021); below it, bulk saves nothing and each code keeps its own.
 */
export const SHARED_DISCOUNT_MIN_CODES = 50;

/**
 * Smallest number of an audience run's codes delivered as one bulk mutation (docs/decisions/024): written to the
 * customers' `kinship.reward_code` metafields, with no Flow trigger per customer. The rules form tells the merchant.
 */
export const BULK_DELIVERY_MIN_CODES = 500;

/** Earned rewards (a gift, a tier, a thank-you) still apply on sale items and with free shipping, never on top of another order-wide code. */
export const EARNED_COMBINES: CombinesWith = { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true };
/** Incentives (win-back, campaigns) are promotions themselves: only free shipping stacks with them. */
export const INCENTIVE_COMBINES: CombinesWith = { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true };

/** Code validity from today for `validityDays` shop-local days. */
export function daysValidFrom(today: LocalDate, validityDays: number, timeZone: string) {
  return validityInstants(today, addDays(today, validityDays - 1), timeZone);
}

/** What every candidate takes from the rule (or tier) and the customer, for the offer and its cost. */
export function offerFields(
  source: { reward: Reward; minimumSubtotal?: number | null },
  customer: Pick<CustomerSnapshot, "predictedClv" | "averageOrderValue"> | undefined,
) {
  return {
    reward: source.reward,
    minimumSubtotal: source.minimumSubtotal ?? null,
    predictedClv: customer?.predictedClv ?? null,
    averageOrderValue: customer?.averageOrderValue ?? null,
  };
}

/** A kind whose whole rule grants one reward. */
export function ruleOffer(rule: { reward: Reward; minimumSubtotal?: number | null }): Offer {
  return { reward: rule.reward, minimumSubtotal: rule.minimumSubtotal ?? null };
}

export const percentOff = (p: number): FormValues => ({ "reward.type": "percentage", "reward.percentage": String(p) });
