import { describe, expect, it } from "vitest";
import { niceAmount, percentile, scaledDefaults } from "../../../../app/retention/rewards/shop-scale";
import { feedbackThanks, loyaltyTiers } from "../../../../app/retention/rewards/kinds";

describe("niceAmount", () => {
  it("rounds to a nice number at the value's magnitude", () => {
    expect([0.4, 7.2, 13, 23, 96, 1234, 4_321, 17_800, 73_000].map(niceAmount)).toEqual([1, 7.5, 15, 25, 100, 1000, 4000, 20_000, 75_000]);
  });
});

describe("percentile", () => {
  it("interpolates", () => {
    expect(percentile([4, 1, 3, 2, 5], 0.5)).toBe(3);
    expect(percentile([0, 10], 0.8)).toBe(8);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe("scaledDefaults", () => {
  it("puts tiers at the shop's 50th / 80th / 95th percentile of spend, in its own currency", () => {
    // A hryvnia shop: customers spend thousands.
    const spend = Array.from({ length: 100 }, (_, i) => 800 + i * 120);
    const d = scaledDefaults({ customerSpend: spend, averageOrderValue: 1_460 });
    // Percentiles 6,740 / 10,304 / 12,086: gold rounds to silver's 10,000, so it moves up to the next nice number.
    expect([0.5, 0.8, 0.95].map((p) => Math.round(percentile(spend, p)!))).toEqual([6_740, 10_304, 12_086]);
    expect(d.tierThresholds).toEqual([6_000, 10_000, 15_000]);
    expect(d.thankYouAmount).toBe(75);
  });

  it("keeps tiers climbing when spend is bunched, and leaves them blank without history", () => {
    const d = scaledDefaults({ customerSpend: Array(50).fill(500), averageOrderValue: 250 });
    expect(d.tierThresholds).toEqual([500, 600, 750]);
    expect(scaledDefaults({ customerSpend: [], averageOrderValue: null })).toEqual({ tierThresholds: null, thankYouAmount: null });
  });

  it("feeds the forms of the loyalty and feedback kinds", () => {
    const scale = { tierThresholds: [7_500, 10_000, 12_000] as [number, number, number], thankYouAmount: 75 };
    const tiers = loyaltyTiers.formDefaults("2026-03-05", { scale });
    expect([tiers["tiers.0.threshold"], tiers["tiers.1.threshold"], tiers["tiers.2.threshold"]]).toEqual(["7500", "10000", "12000"]);
    expect(feedbackThanks.formDefaults("2026-03-05", { scale })["reward.amount"]).toBe("75");
    expect(loyaltyTiers.formDefaults("2026-03-05", {})["tiers.0.threshold"]).toBe("");
  });
});

describe("scaledDefaults: the shop's lapse horizon", () => {
  it("is the scored shop's one-time-buyer lapse in whole days, and absent before scoring", () => {
    expect(scaledDefaults({ customerSpend: [100], averageOrderValue: 50, lapseDays: 137.4 }).lapseDays).toBe(137);
    expect(scaledDefaults({ customerSpend: [100], averageOrderValue: 50, lapseDays: null })).not.toHaveProperty("lapseDays");
    expect(scaledDefaults({ customerSpend: [100], averageOrderValue: 50 })).not.toHaveProperty("lapseDays");
  });
});
