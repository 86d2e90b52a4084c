/**
 * The reward kinds, in the order the rules page offers them. Adding a kind: its module here, its
 * texts in app/i18n/catalogs/rules/kinds.json and its form fields in app/components/rules/KindFields.tsx
 * (docs/decisions/005-reward-kinds.md); the compiler points at anything else that must know it.
 */
import { birthday } from "./birthday";
import { feedbackThanks } from "./feedback-thanks";
import { firstOrderAnniversary } from "./first-order-anniversary";
import { holidayCampaign } from "./holiday";
import type { CombinesWith } from "../rule-fields";
import type { AnyRewardKind, DraftOf, RewardKind } from "./kind";
import { loyaltyTiers } from "./loyalty-tiers";
import { orderMilestones } from "./order-milestones";
import { secondOrder } from "./second-order";
import { welcomeBack } from "./welcome-back";
import { winback } from "./winback";

// Each entry's key must be its module's `kind` (the registry is the only list of kinds).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function registry<T extends { [K in keyof T]: RewardKind<K & string, any, any> }>(kinds: T): T {
  return kinds;
}

export const REWARD_KINDS = registry({
  loyaltyTiers,
  birthday,
  winback,
  holidayCampaign,
  feedbackThanks,
  secondOrder,
  firstOrderAnniversary,
  orderMilestones,
  welcomeBack,
});

export type RuleKind = keyof typeof REWARD_KINDS;
export const RULE_KINDS = Object.keys(REWARD_KINDS) as RuleKind[];
/** A validated rule of any kind, before the database gives it an id. */
export type RuleDraft = { [K in RuleKind]: DraftOf<(typeof REWARD_KINDS)[K]> }[RuleKind];
/** Stable reason codes, also sent to Flow so merchants can branch on them. */
export type RewardReason = (typeof REWARD_KINDS)[RuleKind]["reason"];
export const REWARD_REASONS = RULE_KINDS.map((k) => REWARD_KINDS[k].reason) as RewardReason[];

/** Kinds whose rules define loyalty tiers (their tier states are stored per customer). */
export const TIER_KINDS = RULE_KINDS.filter((k) => REWARD_KINDS[k].tierNames !== undefined);
/** Flow's reason for a merchant's one-off compensation: a thank-you for feedback. */
export const COMPENSATION_REASON: RewardReason = REWARD_KINDS.feedbackThanks.reason;

/** The kind whose Flow reason code `reason` is (each kind has its own; compared, never used as a key). */
export function kindOfReason(reason: RewardReason): RuleKind {
  const kind = RULE_KINDS.find((k) => REWARD_KINDS[k].reason === reason);
  if (!kind) throw new Error(`No reward kind has the reason ${JSON.stringify(reason)}`);
  return kind;
}

export function isRuleKind(value: unknown): value is RuleKind {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(REWARD_KINDS, value);
}

/** The module of a kind, typed loosely so generic code can call it with any rule. */
export function rewardKind(kind: RuleKind): AnyRewardKind {
  return REWARD_KINDS[kind];
}

/** Whether deciding rules of these kinds needs the customers' order history (a kind's `readsOrderHistory`). */
export function readsOrderHistory(kinds: Iterable<RuleKind>): boolean {
  for (const kind of kinds) if (REWARD_KINDS[kind].readsOrderHistory) return true;
  return false;
}

/** The discount classes a rule's codes combine with: the rule's choice, or its kind's default. */
export function combinesWithOf(rule: { kind: RuleKind; combinesWith?: CombinesWith }): CombinesWith {
  return rule.combinesWith ?? REWARD_KINDS[rule.kind].combinesWith;
}

/** Translation keys of a kind's texts (checked against the catalogs by the compiler in app/i18n/rule-texts.ts). */
export function kindLabelKeys<K extends RuleKind>(kind: K) {
  return {
    name: `rules.kind.${kind}`,
    add: `rules.kind.${kind}.add`,
    defaultName: `rules.kind.${kind}.defaultName`,
    combinesHelp: `rules.kind.${kind}.combinesHelp`,
    /** Shopper-facing: why the customer got a code of this kind (the My rewards page, in the customer's language). */
    reasonLabel: `rules.kind.${kind}.reasonLabel`,
  } as const;
}
export type KindLabelKey = { [K in RuleKind]: ReturnType<typeof kindLabelKeys<K>>[keyof ReturnType<typeof kindLabelKeys<K>>] }[RuleKind];

export {
  birthday,
  feedbackThanks,
  firstOrderAnniversary,
  holidayCampaign,
  loyaltyTiers,
  orderMilestones,
  secondOrder,
  welcomeBack,
  winback,
};
export { BULK_DELIVERY_MIN_CODES, SHARED_DISCOUNT_MIN_CODES } from "./kind";
export type { AnyRewardKind, FormValues, Offer, RewardKind, RuleValidationContext } from "./kind";
export type { BirthdayDraft } from "./birthday";
export { DEFAULT_BIRTHDAY_REMINDERS, birthdaySchema } from "./birthday";
export type { FeedbackThanksDraft } from "./feedback-thanks";
export { feedbackThanksSchema } from "./feedback-thanks";
export type { Audience, HolidayCampaignDraft } from "./holiday";
export { audienceSchema, holidayCampaignSchema } from "./holiday";
export type { Tier, TierProgramDraft } from "./loyalty-tiers";
export { tierProgramSchema } from "./loyalty-tiers";
export type { FirstOrderAnniversaryDraft } from "./first-order-anniversary";
export { firstOrderAnniversarySchema } from "./first-order-anniversary";
export type { OrderMilestonesDraft } from "./order-milestones";
export {
  MAX_ORDER_MILESTONES,
  ORDER_MILESTONE_MAX,
  ORDER_MILESTONE_MIN,
  ORDER_MILESTONE_RECENT_DAYS,
  orderMilestonePeriod,
  orderMilestonesSchema,
  reachedMilestone,
} from "./order-milestones";
export type { SecondOrderDraft } from "./second-order";
export { SECOND_ORDER_CATCH_UP_DAYS, SECOND_ORDER_PERIOD, secondOrderDueOn, secondOrderSchema } from "./second-order";
export type { WelcomeBackDraft } from "./welcome-back";
export {
  WELCOME_BACK_DEFAULT_GAP_DAYS,
  WELCOME_BACK_MAX_GAP_DAYS,
  WELCOME_BACK_MIN_GAP_DAYS,
  WELCOME_BACK_RECENT_DAYS,
  welcomeBackPeriod,
  welcomeBackReturn,
  welcomeBackSchema,
} from "./welcome-back";
export type { WinbackDraft } from "./winback";
export { winbackSchema } from "./winback";
