import { describe, expect, it } from "vitest";
import {
  eligibleInLastDays,
  summarizeRuleResults,
  type LedgerRowForResults,
  type OrderForResults,
} from "../../../../app/retention/rewards/experiment-arms";

const day = (d: string) => new Date(`${d}T12:00:00Z`);
const order = (d: string, netTotal: number): OrderForResults => ({ at: day(d).getTime(), netTotal });
const base = {
  ruleId: "r",
  kind: "issue",
  issued: true,
  decidedAt: day("2026-01-01"),
  startsAt: day("2026-01-01"),
  endsAt: day("2026-01-15"),
  redeemedAt: null,
  redeemedRevenue: null,
};

describe("summarizeRuleResults: intention to treat, complete windows", () => {
  const rows: LedgerRowForResults[] = [
    { ...base, customerId: "a", redeemedAt: day("2026-01-05"), redeemedRevenue: 80 },
    { ...base, customerId: "b", redeemedAt: day("2026-01-09"), redeemedRevenue: 40 },
    { ...base, customerId: "c" },
    // Shopify refused d's code: d stays in the treated arm.
    { ...base, customerId: "d", issued: false },
    { ...base, customerId: "e", kind: "holdout" },
    { ...base, customerId: "f", kind: "holdout" },
    { ...base, customerId: "g", kind: "holdout" },
    { ...base, customerId: "h", kind: "holdout" },
    { ...base, ruleId: "other", customerId: "z" },
  ];
  const orders = new Map([
    ["a", [order("2026-01-05", 80)]],
    ["b", [order("2026-01-09", 40)]],
    ["c", [order("2026-02-20", 30)]],
    ["e", [order("2026-01-10", 20)]],
    ["f", [order("2025-12-01", 10)]],
  ]);

  it("counts codes created in Shopify for the operational figures, and every assigned customer in the arms", () => {
    const [r] = summarizeRuleResults(["r"], rows, orders, day("2026-06-01"));
    expect(r).toMatchObject({ ruleId: "r", issued: 3, redeemed: 2, redemptionRate: 0.6667, revenue: 120 });
    expect(r.treated).toEqual({
      customers: 4,
      complete: 4,
      purchasers: 2,
      windowPurchaseRate: 0.5,
      revenuePerCustomer: 30,
      repeatRate: 0.75,
    });
    expect(r.heldOut).toEqual({
      customers: 4,
      complete: 4,
      purchasers: 1,
      windowPurchaseRate: 0.25,
      revenuePerCustomer: 5,
      repeatRate: 0.25,
    });
    expect(r.uplift).toEqual({ windowPurchaseRate: 0.25, repeatRate: 0.5 });
    expect(r.experiment?.state).toBe("tooEarly");
    expect(r.experiment?.purchaseRate?.difference).toBeCloseTo(0.25, 12);
    expect(r.experiment?.revenuePerCustomer?.difference).toBeCloseTo(25, 12);
  });

  it("measures nobody whose window is still open", () => {
    const [r] = summarizeRuleResults(["r"], rows, orders, day("2026-01-10"));
    expect(r.treated).toMatchObject({ customers: 4, complete: 0, windowPurchaseRate: null, repeatRate: null });
    expect(r.experiment).toMatchObject({ state: "tooEarly", purchaseRate: null, revenuePerCustomer: null });
    // The code windows are over on Feb 1, the 90-day repeat windows not yet.
    const [later] = summarizeRuleResults(["r"], rows, orders, day("2026-02-01"));
    expect(later.treated).toMatchObject({ complete: 4, windowPurchaseRate: 0.5, repeatRate: null });
  });

  it("counts a customer once, in the arm and window of their first assignment", () => {
    const again = [
      ...rows,
      { ...base, customerId: "e", decidedAt: day("2026-03-01"), startsAt: day("2026-03-01"), endsAt: day("2026-03-15") },
    ];
    const [r] = summarizeRuleResults(["r"], again, orders, day("2026-06-01"));
    expect(r.treated.customers).toBe(4);
    expect(r.heldOut.customers).toBe(4);
  });

  it("has no experiment without a holdout group, and no rates without codes", () => {
    const [r] = summarizeRuleResults(["other"], rows, orders, day("2026-06-01"));
    expect(r.uplift).toEqual({ windowPurchaseRate: null, repeatRate: null });
    expect(r.experiment).toBeNull();
    const [empty] = summarizeRuleResults(["none"], rows, orders, day("2026-06-01"));
    expect(empty).toMatchObject({ issued: 0, redeemed: 0, redemptionRate: null, revenue: 0 });
  });

  it("says the rule works when the interval lies above zero, and hurts when below", () => {
    const arm = (kind: string, prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...base, kind, customerId: `${prefix}${i}` }));
    const many = [...arm("issue", "t", 40), ...arm("holdout", "h", 20)];
    const buy = (ids: string[]) => new Map(ids.map((id) => [id, [order("2026-01-05", 50)]]));
    const treatedBuy = buy(Array.from({ length: 30 }, (_, i) => `t${i}`));
    expect(summarizeRuleResults(["r"], many, treatedBuy, day("2026-06-01"))[0].experiment?.state).toBe("works");
    const heldBuy = buy(Array.from({ length: 15 }, (_, i) => `h${i}`));
    expect(summarizeRuleResults(["r"], many, heldBuy, day("2026-06-01"))[0].experiment?.state).toBe("hurts");
    const both = new Map([...treatedBuy, ...buy(Array.from({ length: 15 }, (_, i) => `h${i}`))]);
    expect(summarizeRuleResults(["r"], many, both, day("2026-06-01"))[0].experiment?.state).toBe("noDetectableEffect");
  });

  it("the planner's volume is customers newly assigned in the last 30 days", () => {
    const recent = [
      ...rows,
      { ...base, customerId: "n", decidedAt: day("2026-05-20") },
      { ...base, customerId: "a", decidedAt: day("2026-05-20") },
    ];
    expect(
      eligibleInLastDays(
        recent.filter((r) => r.ruleId === "r"),
        day("2026-06-01"),
        30,
      ),
    ).toBe(1);
  });
});
