/**
 * Order milestones: a thank-you code when a customer's order count reaches one of the merchant's
 * milestones (say the 5th and the 10th order), once per milestone per customer, ever.
 */
import { z } from "zod";
import { addDays, compareLocalDates } from "../../time";
import { guardrails, minimumSubtotal, msg, number, numeric, rewardSchema, wholeDays } from "../rule-fields";
import type { Candidate, CustomerSnapshot } from "../day-run";
import { daysValidFrom, defineKind, EARNED_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

export const MAX_ORDER_MILESTONES = 5;
export const ORDER_MILESTONE_MIN = 2;
export const ORDER_MILESTONE_MAX = 1000;
/**
 * A milestone counts only while the order that reached it is among the last this many shop-local days
 * (today included): switching the rule on thanks this week's milestones, not every old customer's past
 * ones, and a day the daily run missed is still caught up.
 */
export const ORDER_MILESTONE_RECENT_DAYS = 7;

/** The period of a milestone's code: once per milestone per customer, as tiers are once per tier. */
export const orderMilestonePeriod = (orders: number): string => `orders:${orders}`;

const E = "rules.kind.orderMilestones.error.";
const limits = { min: ORDER_MILESTONE_MIN, max: ORDER_MILESTONE_MAX };
const milestone = numeric(
  number(E + "enterTheOrderCount")
    .int(msg(E + "wholeOrders", limits))
    .min(ORDER_MILESTONE_MIN, msg(E + "milestoneRange", limits))
    .max(ORDER_MILESTONE_MAX, msg(E + "milestoneRange", limits))
    // A blank field among the form's milestone fields is no milestone.
    .optional(),
);

export const orderMilestonesSchema = z.object({
  kind: z.literal("orderMilestones"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  milestones: z
    .array(milestone, { invalid_type_error: E + "addAtLeastOneMilestone" })
    .max(MAX_ORDER_MILESTONES, msg(E + "useAtMostMilestones", { max: MAX_ORDER_MILESTONES }))
    .default([5, 10])
    .superRefine((list, ctx) => {
      // Checked here, where each value still has its form field's index (blanks are dropped after).
      let previous: number | undefined;
      list.forEach((orders, i) => {
        if (orders === undefined) return;
        if (previous !== undefined && orders <= previous) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: msg(E + "notAscending", { previous }) });
        }
        previous = orders;
      });
      if (previous === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: E + "addAtLeastOneMilestone" });
    }),
  validityDays: numeric(wholeDays("rules.label.validity", 1, 366)).default(30),
});
export type OrderMilestonesDraft = Omit<z.infer<typeof orderMilestonesSchema>, "milestones"> & { milestones: number[] };

/**
 * The milestone the customer reached with their latest order, when that order is recent: their order
 * count is exactly the milestone. A customer who passed a milestone and ordered again before any run
 * saw them is not thanked for it (the count no longer says which day it was reached).
 */
export function reachedMilestone(
  rule: Pick<OrderMilestonesDraft, "milestones">,
  customer: Pick<CustomerSnapshot, "tierMetrics" | "lastOrderOn">,
  today: string,
): number | null {
  const orders = customer.tierMetrics.orderCount.lifetime;
  const last = customer.lastOrderOn;
  if (!last || !rule.milestones.includes(orders)) return null;
  if (compareLocalDates(last, today) > 0) return null;
  if (compareLocalDates(today, addDays(last, ORDER_MILESTONE_RECENT_DAYS - 1)) > 0) return null;
  return orders;
}

export const orderMilestones = defineKind<"orderMilestones", typeof orderMilestonesSchema, OrderMilestonesDraft>({
  kind: "orderMilestones",
  schema: orderMilestonesSchema,
  finish: (parsed) => ({ ...parsed, milestones: parsed.milestones.filter((m): m is number => m !== undefined) }),
  reason: "orderMilestone",
  // Each customer reaches a milestone on their own day: a handful a day, one discount each.
  issuedAs: "personal",
  // It thanks an order the customer placed, as a tier reached by buying or a thank-you for feedback does.
  channel: "transactional",
  combinesWith: EARNED_COMBINES,
  notifyOnIssue: true,
  decide(run, rule, input) {
    const candidates: Candidate[] = [];
    for (const customer of input.customers) {
      const orders = reachedMilestone(rule, customer, input.today);
      if (orders === null) continue;
      candidates.push({
        customerId: customer.id,
        period: orderMilestonePeriod(orders),
        explanation: `Order number ${orders}, placed ${customer.lastOrderOn}.`,
        ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
        ...offerFields(rule, customer),
      });
    }
    run.grant(rule, candidates);
  },
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: rule.validityDays }),
  formDefaults: () => ({ ...percentOff(10), "milestones.0": "5", "milestones.1": "10", validityDays: "30" }),
});
