import { describe, expect, it } from "vitest";
import { expectedPurchases, unconditionalExpectedPurchases } from "../../../../app/retention/clv/bgnbd";
import { discountedExpectedPurchases, predictiveClv, unitsPerMonth } from "../../../../app/retention/clv/predictive";

const weekly = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
// The same model in days: λ is a rate per unit, so α scales with the unit and r, a, b do not.
const daily = { ...weekly, alpha: weekly.alpha * 7 };
const customerWeeks = { frequency: 3, recency: 20, T: 35 };
const customerDays = { frequency: 3, recency: 140, T: 245 };

describe("predictive CLV", () => {
  it("is unit-consistent: days and weeks give the same money", () => {
    const inWeeks = predictiveClv(weekly, customerWeeks, 30, { unitsPerMonth: unitsPerMonth("weeks") });
    const inDays = predictiveClv(daily, customerDays, 30, { unitsPerMonth: unitsPerMonth("days") });
    expect(inDays.clv).toBeCloseTo(inWeeks.clv, 10);
    expect(inDays.pAlive).toBeCloseTo(inWeeks.pAlive, 12);
    expect(unitsPerMonth("days")).toBeCloseTo(30.4375, 10);
  });

  it("without discounting equals expected purchases over the horizon × spend", () => {
    const horizon = 12 * unitsPerMonth("days");
    const result = predictiveClv(daily, customerDays, 25, { unitsPerMonth: unitsPerMonth("days"), monthlyDiscountRate: 0 });
    expect(result.expectedPurchases).toBeCloseTo(expectedPurchases(daily, customerDays, horizon), 12);
    expect(result.clv).toBeCloseTo(25 * result.expectedPurchases, 10);
  });

  it("discounts each month: between the undiscounted value and the value discounted at month 12", () => {
    const months = discountedExpectedPurchases(daily, customerDays, { unitsPerMonth: unitsPerMonth("days") });
    expect(months.discountedPurchases).toBeLessThan(months.expectedPurchases);
    expect(months.discountedPurchases).toBeGreaterThan(months.expectedPurchases / 1.01 ** 12);
    // Default horizon is 12 months at 1 %/month; a longer horizon adds value.
    const longer = discountedExpectedPurchases(daily, customerDays, { unitsPerMonth: unitsPerMonth("days"), horizonMonths: 24 });
    expect(longer.discountedPurchases).toBeGreaterThan(months.discountedPurchases);
  });

  it("expects more from a recent frequent buyer than from one who went quiet", () => {
    const active = expectedPurchases(daily, { frequency: 6, recency: 240, T: 245 }, 365);
    const quiet = expectedPurchases(daily, { frequency: 6, recency: 60, T: 245 }, 365);
    expect(active).toBeGreaterThan(2 * quiet);
  });

  it("a brand-new customer (T = 0) expects what a new customer does on average", () => {
    const fresh = expectedPurchases(weekly, { frequency: 0, recency: 0, T: 0 }, 52);
    expect(fresh).toBeCloseTo(unconditionalExpectedPurchases(weekly, 52), 12);
  });

  it("stays finite for extreme histories", () => {
    const heavy = expectedPurchases(daily, { frequency: 800, recency: 999, T: 1000 }, 3650);
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(0);
    expect(expectedPurchases(daily, customerDays, 0)).toBe(0);
  });
});
