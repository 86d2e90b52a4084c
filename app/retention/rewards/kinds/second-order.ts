/**
 * Second order: one code per customer, ever, for New customers (one order so far), timed from their
 * first order in the shop's time zone: a fixed number of days after it, or a number of days before the
 * lifecycle model would call them Lapsed (`CustomerSnapshot.lapsesOn`; decision record 019 says why
 * that is the model's "expected lapse" for one-time buyers).
 */
import { z } from "zod";
import { addDays, compareLocalDates, type LocalDate } from "../../time";
import { guardrails, minimumSubtotal, numeric, rewardSchema, wholeDays } from "../rule-fields";
import type { Candidate, CustomerSnapshot } from "../day-run";
import { daysValidFrom, defineKind, INCENTIVE_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

/** The one period of this kind: a customer gets its code once per rule, ever (held out: never). */
export const SECOND_ORDER_PERIOD = "secondOrder";
/** A run that missed a customer's day still reaches them within this many days; older ones are left alone. */
export const SECOND_ORDER_CATCH_UP_DAYS = 7;

export const SECOND_ORDER_TIMINGS = ["afterFirstOrder", "beforeLapse"] as const;

export const secondOrderSchema = z.object({
  kind: z.literal("secondOrder"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  timing: z
    .enum(SECOND_ORDER_TIMINGS, { errorMap: () => ({ message: "rules.kind.secondOrder.error.chooseWhen" }) })
    .default("afterFirstOrder"),
  /** `afterFirstOrder`: the code goes out this many days after the first order. */
  daysAfterFirstOrder: numeric(wholeDays("rules.kind.secondOrder.label.daysAfterFirstOrder", 1, 365)).default(21),
  /** `beforeLapse`: this many days before the customer would turn Lapsed (never before the day after the first order). */
  daysBeforeLapse: numeric(wholeDays("rules.kind.secondOrder.label.daysBeforeLapse", 0, 365)).default(14),
  validityDays: numeric(wholeDays("rules.label.validity", 1, 366)).default(14),
});
export type SecondOrderDraft = z.infer<typeof secondOrderSchema>;

/** The shop-local day a New customer's code is due, or null when the rule cannot time it. */
export function secondOrderDueOn(
  rule: Pick<SecondOrderDraft, "timing" | "daysAfterFirstOrder" | "daysBeforeLapse">,
  customer: Pick<CustomerSnapshot, "firstOrderOn" | "lapsesOn">,
): LocalDate | null {
  const first = customer.firstOrderOn;
  if (!first) return null;
  if (rule.timing === "afterFirstOrder") return addDays(first, rule.daysAfterFirstOrder);
  if (!customer.lapsesOn) return null;
  const due = addDays(customer.lapsesOn, -rule.daysBeforeLapse);
  const earliest = addDays(first, 1);
  return compareLocalDates(due, earliest) < 0 ? earliest : due;
}

/** A New customer with one order so far. */
function isOneTimeBuyer(customer: CustomerSnapshot): boolean {
  return customer.lifecycleGroup === "new" && customer.tierMetrics.orderCount.lifetime === 1;
}

export const secondOrder = defineKind<"secondOrder", typeof secondOrderSchema, SecondOrderDraft>({
  kind: "secondOrder",
  schema: secondOrderSchema,
  reason: "secondOrder",
  // Each customer gets it on their own day: a handful a day, one discount each.
  issuedAs: "personal",
  channel: "promotional",
  combinesWith: INCENTIVE_COMBINES,
  notifyOnIssue: true,
  decide(run, rule, input) {
    const candidates: Candidate[] = [];
    for (const customer of input.customers) {
      if (!isOneTimeBuyer(customer)) continue;
      const due = secondOrderDueOn(rule, customer);
      if (!due || compareLocalDates(input.today, due) < 0) continue;
      if (compareLocalDates(input.today, addDays(due, SECOND_ORDER_CATCH_UP_DAYS)) > 0) continue;
      candidates.push({
        customerId: customer.id,
        period: SECOND_ORDER_PERIOD,
        explanation: `First order on ${customer.firstOrderOn}; second-order code due ${due}.`,
        ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
        ...offerFields(rule, customer),
      });
    }
    run.grant(rule, candidates);
  },
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: rule.validityDays }),
  formDefaults: () => ({
    ...percentOff(10),
    timing: "afterFirstOrder",
    daysAfterFirstOrder: "21",
    daysBeforeLapse: "14",
    validityDays: "14",
  }),
});
