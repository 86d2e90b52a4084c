import { describe, expect, it } from "vitest";
import { customerHistoricClv, resolveLifespan, shopHistoricClv } from "../../../../app/retention/clv/historic";

// Days; T is time since the first order, recency first → last order.
const shop = [
  { frequency: 0, recency: 0, T: 100, orderCount: 1, totalSpend: 50 },
  { frequency: 2, recency: 365.25, T: 730.5, orderCount: 3, totalSpend: 150 },
  { frequency: 1, recency: 730.5, T: 730.5, orderCount: 2, totalSpend: 100 },
];

describe("historic CLV", () => {
  it("multiplies AOV × orders per customer per year × lifespan and shows the inputs", () => {
    const result = shopHistoricClv(shop, { unitDays: 1 });
    expect(result.averageOrderValue).toBeCloseTo(300 / 6, 12);
    expect(result.yearsObserved).toBeCloseTo(2, 12);
    expect(result.purchaseFrequencyPerYear).toBeCloseTo(6 / 3 / 2, 12);
    // Repeat buyers' mean first-to-last span: (1 + 2) / 2 = 1.5 years.
    expect(result.lifespan).toEqual({ years: 1.5, source: "shop-data", observedYears: 1.5 });
    expect(result.clv).toBeCloseTo(50 * 1 * 1.5, 10);
    expect(result).toMatchObject({ customers: 3, orders: 6, revenue: 300 });
  });

  it("uses the lifespan setting clamped to 1–3 years", () => {
    expect(shopHistoricClv(shop, { unitDays: 1, lifespanYears: 2 }).lifespan).toMatchObject({ years: 2, source: "setting" });
    expect(resolveLifespan(shop, 1, 10).years).toBe(3);
    expect(resolveLifespan(shop, 1, 0.2).years).toBe(1);
    // No repeat buyers: nothing to learn from, the lower bound is used.
    expect(resolveLifespan([shop[0]], 1)).toEqual({ years: 1, source: "shop-data", observedYears: null });
  });

  it("per customer never annualises over less than a year", () => {
    const recent = customerHistoricClv({ frequency: 1, recency: 7, T: 14, orderCount: 2, totalSpend: 80 }, 2, 1);
    expect(recent).toEqual({ clv: 40 * 2 * 2, averageOrderValue: 40, purchaseFrequencyPerYear: 2, lifespanYears: 2 });
    const old = customerHistoricClv(shop[1], 1, 1);
    expect(old.purchaseFrequencyPerYear).toBeCloseTo(1.5, 12);
    expect(old.clv).toBeCloseTo(50 * 1.5, 12);
  });

  it("handles an empty shop", () => {
    expect(shopHistoricClv([], { unitDays: 1 })).toMatchObject({ clv: 0, averageOrderValue: 0, purchaseFrequencyPerYear: 0 });
  });
});
