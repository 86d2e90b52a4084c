/**
 * The order-milestone kind: a thank-you code when a customer's order count reaches one of the rule's
 * milestones, once per milestone, only while the order that reached it is recent; and its validation.
 */
import { describe, expect, it } from "vitest";
import { addDays } from "../../../../app/retention/time";
import { decideDay, type Decision, type IssuedRecord, type ScheduleInput } from "../../../../app/retention/rewards/schedule";
import { previewRule } from "../../../../app/retention/rewards/preview";
import { overlapErrors } from "../../../../app/retention/rewards/overlap";
import { validateRuleInput, type RuleOf } from "../../../../app/retention/rewards/rule-schema";
import { orderMilestonePeriod, REWARD_KINDS } from "../../../../app/retention/rewards/kinds";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

const buyer = (id: string, orders: number, lastOrderOn: string | null, extra: Parameters<typeof customer>[1] = {}) =>
  customer(id, {
    lifecycleGroup: "regular",
    lastOrderOn,
    tierMetrics: { netSpend: { lifetime: orders * 40, rolling12m: orders * 40 }, orderCount: { lifetime: orders, rolling12m: orders } },
    ...extra,
  });

/** Runs day after day, recording each day's decisions, as the daily job does. */
function runDays(base: ScheduleInput, from: string, days: number, customersOn: (day: string) => ScheduleInput["customers"]) {
  let issued: IssuedRecord[] = [...base.issued];
  const all: Decision[] = [];
  for (let d = 0; d < days; d++) {
    const today = addDays(from, d);
    const result = decideDay({ ...base, today, issued, customers: customersOn(today) });
    issued = [...issued, ...result.decisions];
    all.push(...result.decisions);
  }
  return all;
}

const milestones = rule("m", { kind: "orderMilestones", reward: { type: "percentage", percentage: 10 } }) as RuleOf<"orderMilestones">;

describe("order milestones, the decision", () => {
  it("defaults to the 5th and 10th order, 30 days' validity, a personal transactional code", () => {
    expect(milestones).toMatchObject({ milestones: [5, 10], validityDays: 30 });
    expect(REWARD_KINDS.orderMilestones).toMatchObject({ channel: "transactional", issuedAs: "personal", reason: "orderMilestone" });
  });

  it("thanks the order that reached a milestone, once per milestone, without marketing consent", () => {
    // ana's 5th order is on 3 March, her 10th on 20 March; the daily run sees her count and latest order each day.
    const ana = (day: string) =>
      day < "2026-03-03"
        ? buyer("ana", 4, "2026-02-20")
        : day < "2026-03-20"
          ? buyer("ana", 5 + (day >= "2026-03-10" ? 1 : 0), day >= "2026-03-10" ? "2026-03-10" : "2026-03-03", { marketingConsent: false })
          : buyer("ana", 10, "2026-03-20", { marketingConsent: false });
    const decisions = runDays(scheduleInput({ rules: [milestones] }), "2026-03-01", 40, (day) => [ana(day)]);
    expect(decisions.map((d) => `${d.decidedOn} ${d.kind} ${d.customerId} ${d.period} ${d.reason}`)).toEqual([
      `2026-03-03 issue ana ${orderMilestonePeriod(5)} orderMilestone`,
      `2026-03-20 issue ana ${orderMilestonePeriod(10)} orderMilestone`,
    ]);
    expect(decisions[0]).toMatchObject({ notify: true, reward: { type: "percentage", percentage: 10 } });
  });

  it("leaves old milestones alone when switched on, and catches up a missed day within 7 days", () => {
    const input = scheduleInput({
      rules: [milestones],
      today: "2026-03-20",
      customers: [
        buyer("recent", 5, "2026-03-14"), // the 7th shop-local day back, today included: still thanked
        buyer("stale", 5, "2026-03-13"), // 8 days back: reached before the rule could see it
        buyer("past", 7, "2026-03-19"), // ordered yesterday, but the 5th order was long before
        buyer("early", 4, "2026-03-19"), // no milestone yet
        buyer("unknown", 5, null), // no order day known: never
        buyer("future", 5, "2026-03-21"), // a day after today (clock skew): not yet
      ],
    });
    expect(decideDay(input).decisions.map((d) => d.customerId)).toEqual(["recent"]);
  });

  it("holds out customers deterministically and stops at the monthly budget, as previewed", () => {
    const held = rule("held", { kind: "orderMilestones", reward: { type: "freeShipping" }, holdoutShare: 0.5 });
    const customers = Array.from({ length: 40 }, (_, i) => buyer(`c${i}`, 5, "2026-03-05"));
    const decisions = decideDay(scheduleInput({ rules: [held], customers })).decisions;
    const holdouts = decisions.filter((d) => d.kind === "holdout").length;
    expect(decisions).toHaveLength(40);
    expect(holdouts).toBeGreaterThan(8);
    expect(holdouts).toBeLessThan(32);
    const capped = rule("capped", { kind: "orderMilestones", reward: { type: "percentage", percentage: 10 }, budget: { maxCount: 2 } });
    const preview = previewRule(capped, scheduleInput({ customers: customers.slice(0, 3) }));
    expect(preview).toMatchObject({ count: 2, withheldByBudget: 1 });
  });

  it("is one rule per shop", () => {
    const other = rule("other", { kind: "orderMilestones", reward: { type: "freeShipping" }, milestones: [3] });
    expect(Object.keys(overlapErrors(milestones, [other]))).toEqual(["form"]);
  });
});

describe("order milestones, validation", () => {
  const validate = (extra: Record<string, unknown>) =>
    validateRuleInput({ kind: "orderMilestones", name: "x", reward: { type: "freeShipping" }, ...extra }, { knownTiers: [] });

  it("accepts form strings, drops blank fields and keeps the order", () => {
    const result = validate({ milestones: ["3", "", "25", undefined, "1000"] });
    expect(result.ok && result.rule).toMatchObject({ milestones: [3, 25, 1000] });
  });

  it("reports each bad milestone at its own field, with a clear message", () => {
    const result = validate({ milestones: ["1", "5", "5", "2.5", "1001"] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors["milestones.0"]?.[0]).toContain("rules.kind.orderMilestones.error.milestoneRange");
    expect(result.fieldErrors["milestones.2"]?.[0]).toContain("rules.kind.orderMilestones.error.notAscending");
    expect(result.fieldErrors["milestones.3"]?.[0]).toContain("rules.kind.orderMilestones.error.wholeOrders");
    expect(result.fieldErrors["milestones.4"]?.[0]).toContain("rules.kind.orderMilestones.error.milestoneRange");
    expect(result.fieldErrors["milestones.1"]).toBeUndefined();
  });

  it("needs one milestone at least and five at most", () => {
    const none = validate({ milestones: ["", ""] });
    expect(!none.ok && none.fieldErrors.milestones).toEqual(["rules.kind.orderMilestones.error.addAtLeastOneMilestone"]);
    const six = validate({ milestones: [2, 3, 4, 5, 6, 7] });
    expect(!six.ok && six.fieldErrors.milestones?.[0]).toContain("rules.kind.orderMilestones.error.useAtMostMilestones");
    const notAList = validate({ milestones: "5, 10" });
    expect(!notAList.ok && notAList.fieldErrors.milestones).toEqual(["rules.kind.orderMilestones.error.addAtLeastOneMilestone"]);
  });
});
