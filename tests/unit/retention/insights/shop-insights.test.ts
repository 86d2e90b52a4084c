import { describe, expect, it } from "vitest";
import { computeShopInsights, isLiftPoints, retentionRoiAt } from "../../../../app/retention/insights/shop-insights";

// Ten customers over a two-year history; spends chosen so the arithmetic is easy to follow.
const customers = [
  { orderCount: 5, totalSpend: 500, daysSinceFirstOrder: 700 },
  { orderCount: 3, totalSpend: 300, daysSinceFirstOrder: 400 },
  { orderCount: 2, totalSpend: 100, daysSinceFirstOrder: 200 },
  { orderCount: 1, totalSpend: 50, daysSinceFirstOrder: 300 },
  { orderCount: 1, totalSpend: 50, daysSinceFirstOrder: 250 },
  { orderCount: 1, totalSpend: 50, daysSinceFirstOrder: 150 },
  { orderCount: 1, totalSpend: 50, daysSinceFirstOrder: 100 },
  { orderCount: 1, totalSpend: 50, daysSinceFirstOrder: 60 },
  { orderCount: 1, totalSpend: 25, daysSinceFirstOrder: 30 },
  { orderCount: 1, totalSpend: 25, daysSinceFirstOrder: 10 },
];

describe("shop insights", () => {
  const insights = computeShopInsights(customers, {
    predictedRevenue12Months: { value: 1234, method: "model" },
    retentionLiftPoints: 10,
  });

  it("computes repeat rate, top-20% share and average orders of returning customers", () => {
    expect(insights.customers).toBe(10);
    expect(insights.returningCustomers).toBe(3);
    expect(insights.repeatPurchaseRate).toBeCloseTo(0.3, 12);
    expect(insights.top20RevenueShare).toBeCloseTo(800 / 1200, 12);
    expect(insights.averageOrdersOfReturning).toBeCloseTo(10 / 3, 12);
    expect(insights.averageOrderValue).toBeCloseTo(1200 / 17, 12);
    expect(insights.predictedRevenue12Months).toEqual({ value: 1234, method: "model" });
  });

  it("estimates extra orders per month if 10 points more first-time buyers return", () => {
    // 8 customers started within the last 12 months → 8/12 per month; each returning customer adds 7/3 orders.
    const roi = insights.retentionRoi;
    expect(roi.firstTimeBuyersPerMonth).toBeCloseTo(8 / 12, 12);
    expect(roi.extraOrdersPerReturningCustomer).toBeCloseTo(7 / 3, 12);
    expect(roi.extraOrdersPerMonth).toBeCloseTo((8 / 12) * 0.1 * (7 / 3), 12);
    expect(roi.extraRevenuePerMonth).toBeCloseTo(roi.extraOrdersPerMonth * (1200 / 17), 10);
  });

  it("recomputes the what-if at any expected lift from the same inputs, and accepts only 0 < lift ≤ 100", () => {
    const roi = insights.retentionRoi;
    const at25 = retentionRoiAt(roi, 25);
    expect(at25.extraOrdersPerMonth).toBeCloseTo(roi.extraOrdersPerMonth * 2.5, 12);
    expect(at25.extraRevenuePerMonth).toBeCloseTo(roi.extraRevenuePerMonth * 2.5, 10);
    expect([0, -1, 100.5, Number.NaN].map(isLiftPoints)).toEqual([false, false, false, false]);
    expect([0.5, 10, 100].map(isLiftPoints)).toEqual([true, true, true]);
  });

  it("uses the shop's own (shorter) history to get buyers per month", () => {
    const young = computeShopInsights([
      { orderCount: 1, totalSpend: 10, daysSinceFirstOrder: 59 },
      { orderCount: 1, totalSpend: 10, daysSinceFirstOrder: 0 },
    ]);
    // 60 days of history ≈ 1.97 months.
    expect(young.retentionRoi.firstTimeBuyersPerMonth).toBeCloseTo(2 / (60 / 30.4375), 10);
    expect(young.averageOrdersOfReturning).toBeNull();
    expect(young.retentionRoi.extraOrdersPerReturningCustomer).toBe(1);
  });

  it("handles a shop without customers", () => {
    const empty = computeShopInsights([]);
    expect(empty).toMatchObject({ customers: 0, repeatPurchaseRate: 0, top20RevenueShare: 0, averageOrderValue: 0 });
    expect(empty.retentionRoi.extraOrdersPerMonth).toBe(0);
  });
});
