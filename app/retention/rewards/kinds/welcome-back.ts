/**
 * Welcome back: a thank-you code when a customer orders again after a long gap — at least the rule's
 * number of days since their previous order — once per return, only while the returning order is
 * recent. The previous order's day comes from the customer's order history (`readsOrderHistory`).
 */
import { z } from "zod";
import { addDays, compareLocalDates, daysBetween, type LocalDate } from "../../time";
import { historyOf, latestOrderDay, orderDaysBetween, previousOrderDay, type OrderHistory } from "../order-history";
import { guardrails, minimumSubtotal, numeric, rewardSchema, wholeDays } from "../rule-fields";
import type { Candidate } from "../day-run";
import { daysValidFrom, defineKind, EARNED_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

/**
 * A return counts only while the returning order is among the last this many shop-local days (today
 * included): switching the rule on thanks this week's returns, not old ones, and a missed day is caught up.
 */
export const WELCOME_BACK_RECENT_DAYS = 7;
/** The gap when the shop has not been scored yet (its lapse horizon is unknown). */
export const WELCOME_BACK_DEFAULT_GAP_DAYS = 180;
// Longer than the recent window, so at most one return falls in it.
export const WELCOME_BACK_MIN_GAP_DAYS = 14;
export const WELCOME_BACK_MAX_GAP_DAYS = 1095;

/** The period of a return's code: once per return (the returning order's day) per customer. */
export const welcomeBackPeriod = (returnedOn: LocalDate): string => `return:${returnedOn}`;

export const welcomeBackSchema = z.object({
  kind: z.literal("welcomeBack"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  /** Days from the previous order to the returning one, at least. */
  gapDays: numeric(wholeDays("rules.kind.welcomeBack.label.gapDays", WELCOME_BACK_MIN_GAP_DAYS, WELCOME_BACK_MAX_GAP_DAYS)).default(
    WELCOME_BACK_DEFAULT_GAP_DAYS,
  ),
  validityDays: numeric(wholeDays("rules.label.validity", 1, 366)).default(30),
});
export type WelcomeBackDraft = z.infer<typeof welcomeBackSchema>;

/**
 * The customer's return thanked today, if any: the latest order day among the last
 * `WELCOME_BACK_RECENT_DAYS` shop-local days (today included) that came `gapDays` or more after the
 * order day before it. A first order is no return.
 */
export function welcomeBackReturn(
  rule: Pick<WelcomeBackDraft, "gapDays">,
  history: OrderHistory,
  today: LocalDate,
  // The window's first day, computed once a run (addDays costs microseconds, times every customer).
  since: LocalDate = addDays(today, -(WELCOME_BACK_RECENT_DAYS - 1)),
): { returnedOn: LocalDate; previousOn: LocalDate; gapDays: number } | null {
  // Most customers have not ordered this week: one look at their latest order.
  const latest = latestOrderDay(history);
  if (latest === null || compareLocalDates(latest, since) < 0) return null;
  const recent = orderDaysBetween(history, since, today);
  for (let i = recent.length - 1; i >= 0; i--) {
    const previousOn = previousOrderDay(history, recent[i]);
    if (!previousOn) continue;
    const gapDays = daysBetween(previousOn, recent[i]);
    if (gapDays >= rule.gapDays) return { returnedOn: recent[i], previousOn, gapDays };
  }
  return null;
}

/** The form's gap: the shop's lapse horizon when it has been scored, within the rule's limits. */
function defaultGapDays(lapseDays: number | undefined): number {
  if (lapseDays === undefined) return WELCOME_BACK_DEFAULT_GAP_DAYS;
  return Math.min(WELCOME_BACK_MAX_GAP_DAYS, Math.max(WELCOME_BACK_MIN_GAP_DAYS, lapseDays));
}

export const welcomeBack = defineKind<"welcomeBack", typeof welcomeBackSchema, WelcomeBackDraft>({
  kind: "welcomeBack",
  schema: welcomeBackSchema,
  reason: "welcomeBack",
  // Each customer returns on their own day: a handful a day, one discount each.
  issuedAs: "personal",
  // It thanks an order the customer placed, as an order milestone does.
  channel: "transactional",
  combinesWith: EARNED_COMBINES,
  notifyOnIssue: true,
  readsOrderHistory: true,
  decide(run, rule, input) {
    const candidates: Candidate[] = [];
    const since = addDays(input.today, -(WELCOME_BACK_RECENT_DAYS - 1));
    for (const customer of input.customers) {
      const found = welcomeBackReturn(rule, historyOf(customer), input.today, since);
      if (!found) continue;
      candidates.push({
        customerId: customer.id,
        period: welcomeBackPeriod(found.returnedOn),
        explanation: `Ordered on ${found.returnedOn}, ${found.gapDays} days after the previous order (${found.previousOn}).`,
        ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
        ...offerFields(rule, customer),
      });
    }
    run.grant(rule, candidates);
  },
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: rule.validityDays }),
  formDefaults: (_today, { scale }) => ({
    ...percentOff(10),
    gapDays: String(defaultGapDays(scale?.lapseDays)),
    validityDays: "30",
  }),
});
