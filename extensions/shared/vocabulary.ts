/**
 * Codes the app sends or takes that extensions translate. They mirror the app (extensions are bundled on
 * their own and cannot import it); tests/unit/retention/feedback/reasons.test.ts and
 * tests/unit/extensions/vocabulary.test.ts fail when the copies drift apart.
 */

/** What went wrong, as the survey asks it (app/retention/feedback/reasons.ts). */
export const REASON_CODES = ["delivery", "product_not_as_described", "price", "service", "other"] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Why a code was given: each reward kind's Flow reason code (app/retention/rewards/kinds/). */
export const REWARD_REASONS = [
  "birthday",
  "campaign",
  "feedbackThanks",
  "firstOrderAnniversary",
  "orderMilestone",
  "secondOrder",
  "tierUpgrade",
  "welcomeBack",
  "winback",
] as const;
export type RewardReason = (typeof REWARD_REASONS)[number];

/** True for a known code of `list`; a code from outside is compared, never used as a key. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}
