/**
 * The survey's vocabulary, shared by the payload schema, the statistics and the follow-up queue.
 * extensions/feedback-survey/src/survey-logic.ts carries a copy (the extension is bundled on its own);
 * tests/unit/retention/feedback/reasons.test.ts fails if the two drift apart.
 */

export const REASON_CODES = ["delivery", "product_not_as_described", "price", "service", "other"] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const MIN_SCORE = 0;
export const MAX_SCORE = 10;
export const MAX_COMMENT_LENGTH = 2000;

/** Scores at or below this are "low": the survey asks what went wrong and the merchant follows up.
 * 6 is the top of the NPS detractor range. */
export const DEFAULT_LOW_SCORE_THRESHOLD = 6;

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === "string" && (REASON_CODES as readonly string[]).includes(value);
}

export function isScore(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= MIN_SCORE && value <= MAX_SCORE;
}

export function isLowScore(score: number, threshold: number = DEFAULT_LOW_SCORE_THRESHOLD): boolean {
  return score <= threshold;
}
