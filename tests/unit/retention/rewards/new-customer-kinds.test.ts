/**
 * The second-order and first-order anniversary kinds (issue #18 item 4): who is due what, on which
 * shop-local day, once; their validation; and the lifecycle rule the "before the lapse" timing reads.
 */
import { describe, expect, it } from "vitest";
import { addDays } from "../../../../app/retention/time";
import { decideDay, type Decision, type IssuedRecord, type ScheduleInput } from "../../../../app/retention/rewards/schedule";
import { previewRule } from "../../../../app/retention/rewards/preview";
import { overlapErrors } from "../../../../app/retention/rewards/overlap";
import { validateRuleInput, type RuleOf } from "../../../../app/retention/rewards/rule-schema";
import { secondOrderDueOn, SECOND_ORDER_PERIOD } from "../../../../app/retention/rewards/kinds";
import { oneTimeBuyerLapseDays, classifyLifecycle, DEFAULT_LIFECYCLE_SETTINGS } from "../../../../app/retention/segments/lifecycle";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

const newCustomer = (id: string, firstOrderOn: string, extra: Parameters<typeof customer>[1] = {}) =>
  customer(id, {
    lifecycleGroup: "new",
    firstOrderOn,
    tierMetrics: { netSpend: { lifetime: 50, rolling12m: 50 }, orderCount: { lifetime: 1, rolling12m: 1 } },
    ...extra,
  });

/** Runs day after day, recording each day's decisions, as the daily job does. */
function runDays(base: ScheduleInput, from: string, days: number) {
  let issued: IssuedRecord[] = [...base.issued];
  const all: Decision[] = [];
  for (let d = 0; d < days; d++) {
    const result = decideDay({ ...base, today: addDays(from, d), issued });
    issued = [...issued, ...result.decisions];
    all.push(...result.decisions);
  }
  return all;
}

describe("second order, a fixed day after the first order", () => {
  const fixed = rule("second", { kind: "secondOrder", reward: { type: "percentage", percentage: 10 } }) as RuleOf<"secondOrder">;

  it("defaults to 21 days, 14 days' validity, and is promotional", () => {
    expect(fixed).toMatchObject({ timing: "afterFirstOrder", daysAfterFirstOrder: 21, daysBeforeLapse: 14, validityDays: 14 });
  });

  it("issues one code per New customer on the 21st day after the first order, and never again", () => {
    const input = scheduleInput({
      rules: [fixed],
      customers: [
        newCustomer("ana", "2026-03-01"),
        newCustomer("ben", "2026-03-04"),
        // Two orders already, or not New: not a one-time buyer.
        newCustomer("cleo", "2026-03-01", {
          tierMetrics: { netSpend: { lifetime: 90, rolling12m: 90 }, orderCount: { lifetime: 2, rolling12m: 2 } },
        }),
        newCustomer("dan", "2026-03-01", { lifecycleGroup: "lapsed" }),
        // No consent: a promotional offer nobody may announce.
        newCustomer("eve", "2026-03-01", { marketingConsent: false }),
      ],
    });
    const decisions = runDays(input, "2026-03-01", 60);
    expect(decisions.map((d) => `${d.decidedOn} ${d.kind} ${d.customerId} ${d.period}`)).toEqual([
      `2026-03-22 issue ana ${SECOND_ORDER_PERIOD}`,
      `2026-03-25 issue ben ${SECOND_ORDER_PERIOD}`,
    ]);
    expect(decisions[0]).toMatchObject({
      reason: "secondOrder",
      channel: "promotional",
      notify: true,
      reward: { type: "percentage", percentage: 10 },
      // 22 March to the end of 4 April, Berlin time (CET, then CEST from 29 March).
      startsAt: "2026-03-21T23:00:00.000Z",
      endsAt: "2026-04-04T22:00:00.000Z",
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    });
  });

  it("catches up a missed day within a week, and leaves older first orders alone", () => {
    const input = scheduleInput({ rules: [fixed], customers: [newCustomer("ana", "2026-03-01"), newCustomer("old", "2026-01-01")] });
    // The rule is turned on on 29 March: ana's day (22 March) was 7 days ago, old's (22 January) long past.
    expect(decideDay({ ...input, today: "2026-03-29" }).decisions.map((d) => d.customerId)).toEqual(["ana"]);
    expect(decideDay({ ...input, today: "2026-03-30" }).decisions).toEqual([]);
  });

  it("holds out customers deterministically and never issues to them later", () => {
    const held = rule("held", { kind: "secondOrder", reward: { type: "freeShipping" }, holdoutShare: 0.5 });
    const customers = Array.from({ length: 40 }, (_, i) => newCustomer(`c${i}`, "2026-03-01"));
    const decisions = runDays(scheduleInput({ rules: [held], customers }), "2026-03-20", 20);
    expect(decisions).toHaveLength(40);
    const holdouts = decisions.filter((d) => d.kind === "holdout").length;
    expect(holdouts).toBeGreaterThan(8);
    expect(holdouts).toBeLessThan(32);
    expect(new Set(decisions.map((d) => d.customerId)).size).toBe(40);
  });

  it("stops at the monthly budget and is previewed by the same decision", () => {
    const capped = rule("capped", { kind: "secondOrder", reward: { type: "percentage", percentage: 10 }, budget: { maxCount: 2 } });
    const customers = ["a", "b", "c"].map((id) => newCustomer(id, "2026-03-01"));
    const preview = previewRule(capped, { ...scheduleInput({ customers }), today: "2026-03-22" });
    expect(preview).toMatchObject({ count: 2, withheldByBudget: 1 });
    expect(preview.pausedReason).toBeTruthy();
  });

  it("counts days in the shop's time zone", () => {
    // An order late on 1 March in Auckland is the 1st there: the loader gives the shop-local day, the rule adds 21.
    expect(secondOrderDueOn(fixed, { firstOrderOn: "2026-03-01" })).toBe("2026-03-22");
    expect(secondOrderDueOn(fixed, { firstOrderOn: null })).toBeNull();
  });
});

describe("second order, before the model expects a lapse", () => {
  const beforeLapse = rule("lapse", {
    kind: "secondOrder",
    reward: { type: "percentage", percentage: 10 },
    timing: "beforeLapse",
  }) as RuleOf<"secondOrder">;

  it("goes out daysBeforeLapse before the customer's lapse day, never before the day after the first order", () => {
    expect(secondOrderDueOn(beforeLapse, { firstOrderOn: "2026-01-01", lapsesOn: "2026-04-01" })).toBe("2026-03-18");
    expect(secondOrderDueOn(beforeLapse, { firstOrderOn: "2026-03-25", lapsesOn: "2026-04-01" })).toBe("2026-03-26");
    // Not scored yet: the lapse day is unknown, nothing is due.
    expect(secondOrderDueOn(beforeLapse, { firstOrderOn: "2026-01-01", lapsesOn: null })).toBeNull();
    const input = scheduleInput({ rules: [beforeLapse], customers: [newCustomer("ana", "2026-01-01", { lapsesOn: "2026-04-01" })] });
    expect(runDays(input, "2026-03-01", 40).map((d) => d.decidedOn)).toEqual(["2026-03-18"]);
  });

  it("reads the lifecycle model's own rule: a one-time buyer is Lapsed after multiple × the shop's interval", () => {
    const cadence = { typicalIntervalDays: 40, repeatBuyers: 12 };
    const days = oneTimeBuyerLapseDays(cadence, DEFAULT_LIFECYCLE_SETTINGS);
    expect(days).toBe(120);
    const group = (quiet: number) =>
      classifyLifecycle(
        { orders: 1, purchaseDays: 1, daysSinceLastOrder: quiet, firstToLastDays: 0, pAlive: 1, frequencyScore: 1 },
        cadence,
      ).group;
    expect(group(days)).toBe("new");
    expect(group(days + 1)).toBe("lapsed");
    expect(oneTimeBuyerLapseDays({ typicalIntervalDays: null, repeatBuyers: 0 })).toBe(270);
  });

  it("refuses a timing it does not know, and days out of range", () => {
    const result = validateRuleInput(
      { kind: "secondOrder", name: "x", reward: { type: "freeShipping" }, timing: "whenever", daysAfterFirstOrder: 0 },
      { knownTiers: [] },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.timing).toEqual(["rules.kind.secondOrder.error.chooseWhen"]);
    expect(result.fieldErrors.daysAfterFirstOrder?.[0]).toContain("rules.error.daysMin");
  });

  it("is one rule per shop", () => {
    const other = rule("first", { kind: "secondOrder", reward: { type: "freeShipping" } });
    expect(Object.keys(overlapErrors(beforeLapse, [other]))).toEqual(["form"]);
  });
});

describe("first-order anniversary", () => {
  const anniversary = rule("anniv", { kind: "firstOrderAnniversary", reward: { type: "percentage", percentage: 10 }, lastChance: true });

  it("uses the birthday window, from the first anniversary on, once a year, with its reminders", () => {
    const input = scheduleInput({
      rules: [anniversary],
      customers: [
        customer("ana", { firstOrderOn: "2025-03-12" }),
        // Their first order is this year's date: no anniversary yet.
        customer("new", { firstOrderOn: "2026-03-12" }),
        customer("none", { firstOrderOn: null }),
      ],
    });
    const decisions = runDays(input, "2026-03-01", 20);
    expect(decisions.map((d) => `${d.decidedOn} ${d.kind} ${d.customerId} ${d.period}`)).toEqual([
      "2026-03-05 issue ana 2026",
      "2026-03-05 remind ana 2026:remind:-7",
      "2026-03-09 remind ana 2026:remind:-3",
      "2026-03-12 remind ana 2026:remind:+0",
      "2026-03-14 remind ana 2026:remind:+2",
    ]);
    expect(decisions[0]).toMatchObject({ reason: "firstOrderAnniversary", notify: false, startsAt: "2026-03-04T23:00:00.000Z" });
    expect(decisions[4]).toMatchObject({ lastChance: true });
    // The next year: a new code.
    expect(
      runDays(input, "2027-03-01", 10)
        .filter((d) => d.kind === "issue")
        .map((d) => `${d.customerId} ${d.period}`),
    ).toEqual(["ana 2027", "new 2027"]);
  });

  it("checks its reminders against its own window, in its own words", () => {
    const result = validateRuleInput(
      { kind: "firstOrderAnniversary", name: "x", reward: { type: "freeShipping" }, windowDaysAfter: 1, reminders: [-9], lastChance: true },
      { knownTiers: [] },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors["reminders.0"]?.[0]).toMatch(/^rules\.kind\.firstOrderAnniversary\.error\.reminderOutsideWindow\|/);
    expect(result.fieldErrors.lastChance?.[0]).toMatch(/^rules\.kind\.firstOrderAnniversary\.error\.lastChanceOutsideWindow\|/);
  });
});
