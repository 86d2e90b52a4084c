/**
 * Codes the app sends or takes that extensions translate. They mirror the app (extensions are bundled on
 * their own and cannot import it); tests/unit/retention/feedback/reasons.test.ts and
 * tests/unit/extensions/vocabulary.test.ts fail when the copies drift apart. Reward kinds' reasons are not
 * here: the backend sends each code's reason already worded (`reasonLabel`, from the app's kinds.json).
 */

/** What went wrong, as the survey asks it (app/retention/feedback/reasons.ts). */
export const REASON_CODES = ["delivery", "product_not_as_described", "price", "service", "other"] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** True for a known code of `list`; a code from outside is compared, never used as a key. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}
