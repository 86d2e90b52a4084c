import { describe, expect, it } from "vitest";
import { summarizeRuleResults, type LedgerRowForResults } from "../../../../app/retention/rewards/experiment-arms";
import { ruleMoney, type CustomerMoney } from "../../../../app/retention/rewards/experiment-money";
import { armsOverTime } from "../../../../app/retention/rewards/experiment-timeline";

// Four treated customers, two of whom redeemed (90 paid + 10 off, 45 paid + 5 off), four held out (one bought 50).
const treated: CustomerMoney[] = [
  { net: 90, discount: 10 },
  { net: 0, discount: 0 },
  { net: 45, discount: 5 },
  { net: 0, discount: 0 },
];
const heldOut: CustomerMoney[] = [
  { net: 50, discount: 0 },
  { net: 0, discount: 0 },
  { net: 0, discount: 0 },
  { net: 0, discount: 0 },
];

describe("ruleMoney: per 100 eligible customers, Welch's 95% interval", () => {
  it("revenue before the discount, the discounts redeemed, and their difference as profit (worked by hand)", () => {
    const money = ruleMoney(treated, heldOut);
    // Revenue: means 37.5 and 12.5; variances 6875/3 and 1875/3; half-width 1.96·√(729.17) = 52.9251 a customer.
    expect(money.revenue).toEqual({ difference: 2500, lower: -2792.51, upper: 7792.51 });
    // Cost: 3.75 a treated customer, none held out; half-width 1.96·√(22.917/4).
    expect(money.discountCost).toEqual({ difference: 375, lower: -94.13, upper: 844.13 });
    // Profit at margin 1 is what the customers paid: 2500 − 375.
    expect(money.profit).toEqual({ difference: 2125, lower: -2756.5, upper: 7006.5 });
    expect(money.grossMargin).toBe(1);
  });

  it("takes the cost of goods out of revenue only, never out of the discount", () => {
    const money = ruleMoney(treated, heldOut, 0.5);
    // Treated 0.5·100 − 10, 0, 0.5·50 − 5, 0 (mean 15); held out 25, 0, 0, 0 (mean 6.25).
    expect(money.profit).toEqual({ difference: 875, lower: -1365.96, upper: 3115.96 });
  });

  it("refuses a margin outside (0, 1] and has no interval with fewer than two customers in an arm", () => {
    expect(ruleMoney(treated, heldOut, 1.5).grossMargin).toBe(1);
    expect(ruleMoney(treated, heldOut, 0).grossMargin).toBe(1);
    expect(ruleMoney(treated, heldOut.slice(0, 1))).toMatchObject({ revenue: null, discountCost: null, profit: null });
  });
});

describe("summarizeRuleResults: money from the ledger", () => {
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  const base = {
    ruleId: "r",
    kind: "issue",
    issued: true,
    decidedAt: day("2026-01-01"),
    startsAt: day("2026-01-01"),
    endsAt: day("2026-01-15"),
    redeemedAt: null,
    redeemedRevenue: null,
    redeemedDiscount: null,
  };
  const rows: LedgerRowForResults[] = [
    { ...base, customerId: "a", redeemedAt: day("2026-01-05"), redeemedRevenue: 90, redeemedDiscount: 10 },
    { ...base, customerId: "b" },
    // Redeemed after the window: a cost of the rule, but not of the measured window.
    { ...base, customerId: "c", redeemedAt: day("2026-02-01"), redeemedRevenue: 45, redeemedDiscount: 5 },
    { ...base, customerId: "d" },
    { ...base, customerId: "e", kind: "holdout" },
    { ...base, customerId: "f", kind: "holdout" },
  ];
  const orders = new Map([
    ["a", [{ at: day("2026-01-05").getTime(), netTotal: 90 }]],
    ["c", [{ at: day("2026-02-01").getTime(), netTotal: 45 }]],
    ["e", [{ at: day("2026-01-10").getTime(), netTotal: 30 }]],
  ]);

  it("totals what every redeemed code cost, and measures the window's discounts per customer", () => {
    const [r] = summarizeRuleResults(["r"], rows, orders, day("2026-06-01"));
    expect(r.discountCost).toBe(15);
    // Treated revenue before discount 100, 0, 0, 0 (mean 25); held out 30, 0 (mean 15).
    expect(r.experiment?.money.revenue?.difference).toBe(1000);
    expect(r.experiment?.money.discountCost?.difference).toBe(250);
    expect(r.experiment?.money.profit?.difference).toBe(750);
  });

  it("draws each arm's purchase rate over the customers measured so far", () => {
    const [r] = summarizeRuleResults(["r"], rows, orders, day("2026-06-01"));
    expect(r.experiment?.timeline).toEqual([
      { date: "2026-01-15", treatedRate: 0.25, heldOutRate: 0.5, treatedComplete: 4, heldOutComplete: 2 },
    ]);
  });
});

describe("armsOverTime", () => {
  const at = (d: string) => new Date(`${d}T00:00:00Z`).getTime();
  it("accumulates week by week, and merges weeks beyond 52 points", () => {
    const points = armsOverTime(
      [
        { windowEnd: at("2026-01-01"), purchased: true },
        { windowEnd: at("2026-01-09"), purchased: false },
      ],
      [{ windowEnd: at("2026-01-02"), purchased: false }],
    );
    expect(points.map((p) => [p.date, p.treatedRate, p.heldOutRate])).toEqual([
      ["2026-01-07", 1, 0],
      ["2026-01-09", 0.5, 0],
    ]);
    const long = Array.from({ length: 200 }, (_, i) => ({ windowEnd: at("2026-01-01") + i * 7 * 86_400_000, purchased: i % 2 === 0 }));
    const merged = armsOverTime(long, long);
    expect(merged.length).toBeLessThanOrEqual(52);
    expect(merged.at(-1)).toMatchObject({ treatedRate: 0.5, treatedComplete: 200 });
  });
});
