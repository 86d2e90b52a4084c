import { describe, expect, it } from "vitest";
import { syntheticSummaries } from "../../../app/retention/clv/synthetic";
import type { CustomerSummary } from "../../../app/retention/clv/summary";
import { mulberry32 } from "../../../app/retention/random";
import { fitShopModel, repeatBuyerProgress, scoreShop } from "../../../app/retention/score";
import { RFM_SEGMENTS } from "../../../app/retention/segments/rfm";

const oneTimer = (id: number, T: number, spend = 40): CustomerSummary => ({
  customerId: `c${id}`,
  frequency: 0,
  recency: 0,
  T,
  monetaryValue: 0,
  orderCount: 1,
  totalSpend: spend,
});

describe("scoreShop without enough data", () => {
  it("a shop with zero repeat buyers is scored from history and says why the model is not used", () => {
    const customers = Array.from({ length: 20 }, (_, i) => oneTimer(i, 10 * i + 5));
    const result = scoreShop({ customers, asOf: "2025-06-30" });
    expect(result.model.status).toBe("insufficient");
    if (result.model.status !== "insufficient") return;
    expect(result.model.repeatBuyers).toBe(0);
    expect(result.model.repeatBuyersNeeded).toBe(50);
    expect(result.model.reason).toContain("Only 0 of 20 customers have bought more than once");
    expect(result.model.reason).toContain("at least 50 repeat buyers");
    expect(result.customers).toHaveLength(20);
    for (const c of result.customers) {
      expect(c.predictedClv).toBeNull();
      expect(c.pAlive).toBeNull();
      expect(c.historicClv.clv).toBeGreaterThan(0);
      expect(c.spendSource).toBe("own-average");
      expect(["new", "lapsed"]).toContain(c.lifecycle.group);
    }
    // No shop cadence: one-time buyers are judged against the 90-day default (lapsed after 270 days).
    expect(result.customers[0].lifecycle.group).toBe("new");
    expect(result.customers[19].lifecycle.group).toBe("new");
    expect(result.insights.predictedRevenue12Months?.method).toBe("historic");
    expect(result.customers[0].lastOrderDate).toBe("2025-06-25");
  });

  it("a shop with one customer does not crash", () => {
    const result = scoreShop({ customers: [oneTimer(1, 300)], asOf: "2025-06-30" });
    expect(result.model).toMatchObject({ status: "insufficient", repeatBuyers: 0, repeatBuyersNeeded: 50 });
    const [c] = result.customers;
    expect(c.rfm).toMatchObject({ r: 1, f: 1, m: 1 });
    expect(c.lifecycle.group).toBe("lapsed");
    expect(c.lifecycle.text).toContain("1 order, 300 days ago");
    expect(result.historic.customers).toBe(1);
    expect(result.insights.repeatPurchaseRate).toBe(0);
  });

  it("a shop with no customers returns an empty, explained result", () => {
    const result = scoreShop({ customers: [], asOf: "2025-06-30" });
    expect(result.customers).toEqual([]);
    expect(result.model).toMatchObject({ status: "insufficient", reason: expect.stringContaining("No customers") });
  });
});

describe("scoreShop with a fitted model", () => {
  const customers = syntheticSummaries(mulberry32(11), {
    customers: 4000,
    bgnbd: { r: 0.25, alpha: 30, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    minT: 30,
    maxT: 730,
    wholeUnits: true,
  });
  const result = scoreShop({ customers, asOf: "2025-06-30" });

  it("fits the model and scores every customer", () => {
    expect(result.model.status).toBe("fitted");
    if (result.model.status !== "fitted") return;
    expect(result.model.gammaGamma).not.toBeNull();
    expect(result.customers).toHaveLength(4000);
    for (const c of result.customers) {
      expect(c.pAlive).toBeGreaterThanOrEqual(0);
      expect(c.pAlive).toBeLessThanOrEqual(1);
      expect(Number.isFinite(c.predictedClv)).toBe(true);
      expect(c.predictedClv).toBeGreaterThanOrEqual(0);
      expect(c.expectedPurchases).toBeGreaterThanOrEqual(0);
      expect(c.spendSource).toBe("gamma-gamma");
      expect(RFM_SEGMENTS).toContain(c.rfmSegment);
      expect(c.lifecycle.text.length).toBeGreaterThan(10);
    }
  });

  it("reaches all four lifecycle groups", () => {
    const groups = new Set(result.customers.map((c) => c.lifecycle.group));
    expect([...groups].sort()).toEqual(["lapsed", "loyal", "new", "regular"]);
  });

  it("predicted revenue sums each customer's next-year purchases × spend", () => {
    const expected = result.customers.reduce((sum, c) => sum + (c.expectedPurchases ?? 0) * c.expectedSpend, 0);
    expect(result.insights.predictedRevenue12Months?.method).toBe("model");
    expect(result.insights.predictedRevenue12Months?.value).toBeCloseTo(expected, 6);
  });

  it("re-scores with stored models without refitting and honours settings", () => {
    const model = fitShopModel(customers);
    const again = scoreShop({ customers, asOf: "2025-06-30", model });
    expect(again.customers[17]).toEqual(result.customers[17]);
    const longer = scoreShop({ customers, asOf: "2025-06-30", model, settings: { horizonMonths: 24, lifespanYears: 3 } });
    expect(longer.customers[17].predictedClv ?? 0).toBeGreaterThan(result.customers[17].predictedClv ?? 0);
    expect(longer.historic.lifespan).toMatchObject({ years: 3, source: "setting" });
    // Revenue for the next 12 months does not depend on the CLV horizon.
    expect(longer.insights.predictedRevenue12Months?.value).toBeCloseTo(result.insights.predictedRevenue12Months?.value ?? 0, 6);
  });

  it("falls back to each customer's own average when the spend model lacks data", () => {
    const model = fitShopModel(customers);
    const noSpend = scoreShop({
      customers,
      asOf: "2025-06-30",
      model: {
        ...model,
        gammaGamma: {
          status: "insufficient",
          reason: "test",
          customers: 0,
          minCustomers: 30,
          customersNeeded: 30,
          frequencySpendCorrelation: null,
        },
      },
    });
    const c = noSpend.customers[5];
    expect(c.spendSource).toBe("own-average");
    expect(c.expectedSpend).toBeCloseTo(customers[5].totalSpend / customers[5].orderCount, 10);
    expect(noSpend.model.status === "fitted" && noSpend.model.spendModelNote).toContain("own average order value");
  });
});

describe("small-shop message numbers", () => {
  it("reports the minimum, what the shop has and the shortfall without subtracting twice", () => {
    const customers: CustomerSummary[] = Array.from({ length: 40 }, (_, i) => ({
      customerId: String(i),
      frequency: i < 20 ? 2 : 0,
      recency: i < 20 ? 30 : 0,
      T: 100,
      monetaryValue: i < 20 ? 10 : 0,
      orderCount: i < 20 ? 3 : 1,
      totalSpend: 30,
    }));
    const { bgnbd } = fitShopModel(customers, { minRepeatBuyers: 50 });
    if (bgnbd.status !== "insufficient") throw new Error("expected an insufficient fit");
    expect(repeatBuyerProgress(bgnbd)).toEqual({ have: 20, needed: 50, more: 30 });
    expect(repeatBuyerProgress({ repeatBuyers: 25, repeatBuyersNeeded: 25 })).toEqual({ have: 25, needed: 50, more: 25 });
  });
});

describe("degenerate fits are not used", () => {
  it("falls back to historic CLV, with the cause, when the fit ends at its search limits", () => {
    // A subscription-like shop: everyone buys every 30 days and nobody leaves — BG/NBD runs to its limits.
    const customers: CustomerSummary[] = Array.from({ length: 300 }, (_, i) => {
      const T = 200 + (i % 100);
      const frequency = Math.floor(T / 30);
      return {
        customerId: String(i),
        frequency,
        recency: frequency * 30,
        T,
        monetaryValue: 20,
        orderCount: frequency + 1,
        totalSpend: 20 * (frequency + 1),
      };
    });
    const model = fitShopModel(customers);
    if (model.bgnbd.status !== "fitted") throw new Error("expected a fit");
    expect(model.bgnbd.parametersAtLimit.length + (model.bgnbd.converged ? 0 : 1)).toBeGreaterThan(0);
    const score = scoreShop({ customers, asOf: "2024-06-30", model });
    expect(score.model.status).toBe("insufficient");
    if (score.model.status !== "insufficient") return;
    expect(["at-bounds", "not-converged"]).toContain(score.model.cause);
    expect(score.model.reason).toMatch(/historic CLV/);
    expect(score.insights.predictedRevenue12Months?.method).toBe("historic");
  });
});
