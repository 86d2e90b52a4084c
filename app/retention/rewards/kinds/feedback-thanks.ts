/**
 * Feedback thanks: a code for every feedback response (once per customer, or once per response),
 * whatever the score. Decided by the daily run and, right after a submission, by the feedback endpoint.
 */
import { z } from "zod";
import { idempotencyKey, periods } from "../codes";
import { compareLocalDates } from "../../time";
import { guardrails, minimumSubtotal, numeric, rewardSchema, wholeDays } from "../rule-fields";
import type { Candidate } from "../day-run";
import { daysValidFrom, defineKind, EARNED_COMBINES, offerFields, ruleOffer } from "./kind";

export const feedbackThanksSchema = z.object({
  kind: z.literal("feedbackThanks"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  validityDays: numeric(wholeDays("rules.label.validity", 1, 366)).default(30),
  /** One thank-you code per customer ever, instead of one per feedback response. */
  oncePerCustomer: z.boolean().default(true),
});
export type FeedbackThanksDraft = z.infer<typeof feedbackThanksSchema>;

export const feedbackThanks = defineKind<"feedbackThanks", typeof feedbackThanksSchema, FeedbackThanksDraft>({
  kind: "feedbackThanks",
  schema: feedbackThanksSchema,
  reason: "feedbackThanks",
  issuedAs: "personal",
  channel: "transactional",
  combinesWith: EARNED_COMBINES,
  shownWhereEarned: true,
  notifyOnIssue: true,
  thanksPeriod: (rule, responseId) => (rule.oncePerCustomer ? periods.feedback() : periods.feedback(responseId)),
  checkRaw(raw, addError) {
    // A reward can never be made to depend on the score.
    for (const key of Object.keys(raw)) {
      if (/score|rating|nps|csat/i.test(key)) addError(key, "rules.kind.feedbackThanks.error.feedbackRewardsThankEveryResponseThey");
    }
  },
  decide(run, rule, input, customers) {
    const candidates = new Map<string, Candidate>();
    const events = [...(input.feedback ?? [])]
      .filter((e) => compareLocalDates(e.receivedOn, input.today) <= 0)
      .sort((a, b) => compareLocalDates(a.receivedOn, b.receivedOn) || (a.responseId < b.responseId ? -1 : 1));
    for (const e of events) {
      // At most one thank-you per customer per day, so a burst of responses can't mint a pile of codes.
      if (candidates.has(e.customerId)) continue;
      const period = feedbackThanks.thanksPeriod!(rule, e.responseId);
      if (run.has(idempotencyKey(rule.id, e.customerId, period))) continue;
      candidates.set(e.customerId, {
        customerId: e.customerId,
        period,
        explanation: `Thanks for feedback ${e.responseId} (${e.receivedOn}).`,
        ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
        ...offerFields(rule, customers.get(e.customerId)),
      });
    }
    run.grant(rule, [...candidates.values()]);
  },
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: rule.validityDays }),
  // About a twentieth of the shop's average order, in its currency.
  formDefaults: (_today, { scale }) => ({
    "reward.type": "fixedAmount",
    "reward.amount": scale?.thankYouAmount != null ? String(scale.thankYouAmount) : "",
    validityDays: "30",
    oncePerCustomer: "true",
  }),
});
