/**
 * The welcome-back kind: a thank-you code when a customer orders again after a gap of at least the rule's
 * days since their previous order, once per return, while the returning order is at most 7 shop-local days
 * old — read from the customer's order history; and its validation and defaults.
 */
import { describe, expect, it } from "vitest";
import { addDays } from "../../../../app/retention/time";
import { decideDay, type Decision, type IssuedRecord, type ScheduleInput } from "../../../../app/retention/rewards/schedule";
import { orderHistoryFrom } from "../../../../app/retention/rewards/order-history";
import { validateRuleInput, type RuleOf } from "../../../../app/retention/rewards/rule-schema";
import { readsOrderHistory, REWARD_KINDS, welcomeBackPeriod } from "../../../../app/retention/rewards/kinds";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

/** A customer with orders on these shop-local days (and no marketing consent: it is a thank-you). */
const buyer = (id: string, days: string[]) =>
  customer(id, { marketingConsent: false, orderHistory: orderHistoryFrom(days.map((day) => ({ day, amount: 40 }))) });

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

const welcome = rule("w", { kind: "welcomeBack", reward: { type: "percentage", percentage: 10 } }) as RuleOf<"welcomeBack">;
const decided = (input: ScheduleInput) => decideDay(input).decisions.map((d) => `${d.customerId} ${d.kind} ${d.period}`);

describe("welcome back, the decision", () => {
  it("defaults to a 180-day gap and 30 days' validity: a personal transactional code, read from the order history", () => {
    expect(welcome).toMatchObject({ gapDays: 180, validityDays: 30 });
    expect(REWARD_KINDS.welcomeBack).toMatchObject({
      channel: "transactional",
      issuedAs: "personal",
      reason: "welcomeBack",
      readsOrderHistory: true,
    });
    expect(readsOrderHistory(["orderMilestones", "welcomeBack"])).toBe(true);
  });

  it("thanks a customer who orders again after the gap, and not a first order or a short gap", () => {
    const input = scheduleInput({
      rules: [welcome],
      today: "2026-03-05",
      customers: [
        buyer("back", ["2025-01-10", "2025-06-01", "2026-03-03"]), // 275 days since 1 June
        buyer("first", ["2026-03-03"]), // a first order is no return
        buyer("regular", ["2025-06-01", "2026-01-15", "2026-03-03"]), // 47 days since the order before
        buyer("none", []),
      ],
    });
    expect(decided(input)).toEqual([`back issue ${welcomeBackPeriod("2026-03-03")}`]);
    const [d] = decideDay(input).decisions;
    expect(d).toMatchObject({ reason: "welcomeBack", notify: true, reward: { type: "percentage", percentage: 10 } });
    expect(d.explanation).toBe("Ordered on 2026-03-03, 275 days after the previous order (2025-06-01).");
  });

  it("counts the gap in whole days from the previous order's day: exactly the gap is enough, a day less is not", () => {
    const input = scheduleInput({
      rules: [welcome],
      today: "2026-03-05",
      customers: [buyer("exact", [addDays("2026-03-05", -180), "2026-03-05"]), buyer("short", [addDays("2026-03-05", -179), "2026-03-05"])],
    });
    expect(decided(input)).toEqual([`exact issue ${welcomeBackPeriod("2026-03-05")}`]);
    const merchant = rule("w30", { kind: "welcomeBack", reward: { type: "freeShipping" }, gapDays: "179" }) as RuleOf<"welcomeBack">;
    expect(decided({ ...input, rules: [merchant] })).toEqual([
      `exact issue ${welcomeBackPeriod("2026-03-05")}`,
      `short issue ${welcomeBackPeriod("2026-03-05")}`,
    ]);
  });

  it("thanks each return once, even when the customer orders again that week, and the next return again", () => {
    // eva returns on 3 March after a year, orders again on 6 March, then is away until 1 October.
    const history = (day: string) => ["2025-03-01", "2026-03-03", "2026-03-06", "2026-10-01"].filter((d) => d <= day);
    const decisions = runDays(scheduleInput({ rules: [welcome] }), "2026-03-01", 240, (day) => [buyer("eva", history(day))]);
    expect(decisions.map((d) => `${d.decidedOn} ${d.kind} ${d.period}`)).toEqual([
      `2026-03-03 issue ${welcomeBackPeriod("2026-03-03")}`,
      `2026-10-01 issue ${welcomeBackPeriod("2026-10-01")}`,
    ]);
  });

  it("thanks a return only while it is at most 7 shop-local days old (a missed day is caught up)", () => {
    const input = scheduleInput({
      rules: [welcome],
      today: "2026-03-20",
      customers: [
        buyer("seventh", ["2025-01-01", "2026-03-14"]), // the 7th day back, today included
        buyer("eighth", ["2025-01-01", "2026-03-13"]), // returned before the rule could see it
        buyer("later", ["2025-01-01", "2026-03-13", "2026-03-19"]), // the return is old; yesterday's order is no return
        buyer("future", ["2025-01-01", "2026-03-21"]), // after today (clock skew): not yet
      ],
    });
    expect(decided(input)).toEqual([`seventh issue ${welcomeBackPeriod("2026-03-14")}`]);
  });

  it("gives codes valid from the shop's midnight: days are the shop's", () => {
    const input = scheduleInput({
      rules: [welcome],
      today: "2026-03-05",
      timeZone: "Pacific/Auckland",
      customers: [buyer("kiri", ["2025-01-01", "2026-03-05"])],
    });
    const [d] = decideDay(input).decisions;
    // Auckland is UTC+13 in March: the shop's 5 March starts at 11:00 UTC on 4 March; 30 days' validity.
    expect([d.startsAt, d.endsAt]).toEqual(["2026-03-04T11:00:00.000Z", "2026-04-03T11:00:00.000Z"]);
  });

  it("holds out customers deterministically (never again for the same return) and applies the per-customer cap", () => {
    const held = rule("held", { kind: "welcomeBack", reward: { type: "freeShipping" }, holdoutShare: 0.5 });
    const customers = Array.from({ length: 40 }, (_, i) => buyer(`c${i}`, ["2025-01-01", "2026-03-05"]));
    const all = runDays(scheduleInput({ rules: [held] }), "2026-03-05", 5, () => customers);
    const holdouts = all.filter((d) => d.kind === "holdout").length;
    expect(all).toHaveLength(40);
    expect(holdouts).toBeGreaterThan(8);
    expect(holdouts).toBeLessThan(32);
    // A customer who already had a code today (another rule) waits: the cap applies to this kind as to every kind.
    const other: IssuedRecord = {
      idempotencyKey: "x",
      ruleId: "other",
      customerId: "c0",
      kind: "issue",
      period: "p",
      decidedOn: "2026-03-05",
    };
    const capped = decideDay(
      scheduleInput({ rules: [welcome], issued: [other], customers: customers.slice(0, 2), customerCaps: { perDay: 1, per30Days: 2 } }),
    );
    expect(capped.decisions.map((d) => d.customerId)).toEqual(["c1"]);
    expect(capped.capped.map((c) => c.customerId)).toEqual(["c0"]);
  });

  it("cannot decide without the order history: the loader must have been asked for it", () => {
    expect(() => decideDay(scheduleInput({ rules: [welcome], customers: [customer("ana")] }))).toThrow(/readsOrderHistory/);
  });
});

describe("welcome back, validation and defaults", () => {
  const validate = (extra: Record<string, unknown>) =>
    validateRuleInput({ kind: "welcomeBack", name: "x", reward: { type: "freeShipping" }, ...extra }, { knownTiers: [] });

  it("keeps the gap between 14 days and 3 years, in whole days", () => {
    expect(validate({ gapDays: "90" })).toMatchObject({ ok: true, rule: { gapDays: 90 } });
    for (const [gapDays, message] of [
      ["13", "rules.error.daysMin"],
      ["1096", "rules.error.daysMax"],
      ["30.5", "rules.error.daysWhole"],
    ]) {
      const result = validate({ gapDays });
      expect(!result.ok && result.fieldErrors.gapDays?.[0]).toContain(message);
    }
  });

  it("starts from the shop's lapse horizon when the shop has been scored, within the limits", () => {
    const gap = (lapseDays?: number) =>
      REWARD_KINDS.welcomeBack.formDefaults("2026-03-05", {
        scale: { tierThresholds: null, thankYouAmount: null, ...(lapseDays ? { lapseDays } : {}) },
      }).gapDays;
    expect([gap(), gap(96), gap(5), gap(5000)]).toEqual(["180", "96", "14", "1095"]);
  });
});
