import { describe, expect, it } from "vitest";
import {
  aggregateBgNbd,
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  MIN_REPEAT_BUYERS,
  probabilityAlive,
} from "../../../../app/retention/clv/bgnbd";
import { fitGammaGamma } from "../../../../app/retention/clv/gamma-gamma";
import { gammaSample, mulberry32, poissonSample } from "../../../../app/retention/random";

const params = { r: 0.5, alpha: 20, a: 0.7, b: 3 };

describe("BG/NBD likelihood", () => {
  it("aggregating identical histories does not change the total", () => {
    const customers = [
      { frequency: 0, recency: 0, T: 50 },
      { frequency: 0, recency: 0, T: 50 },
      { frequency: 3, recency: 40, T: 50 },
      { frequency: 3, recency: 40, T: 50 },
      { frequency: 1, recency: 5, T: 90 },
    ];
    const oneByOne = customers.reduce((sum, c) => sum + bgnbdLogLikelihood(params, [c]), 0);
    expect(bgnbdLogLikelihood(params, customers)).toBeCloseTo(oneByOne, 10);
    const data = aggregateBgNbd(customers);
    expect(data.repWeight.length).toBe(2);
    expect(data.zeroT.length).toBe(1);
  });

  it("stays finite for very active customers (log-sum-exp instead of subtracting powers)", () => {
    const ll = bgnbdLogLikelihood(params, [{ frequency: 400, recency: 2000, T: 2001 }]);
    expect(Number.isFinite(ll)).toBe(true);
  });

  it("rejects impossible summaries with the customer's position", () => {
    expect(() =>
      aggregateBgNbd([
        { frequency: 1, recency: 5, T: 10 },
        { frequency: 2, recency: 12, T: 10 },
      ]),
    ).toThrow(/customer 1/);
    expect(() => aggregateBgNbd([{ frequency: 0, recency: 3, T: 10 }])).toThrow(/recency 0 when frequency is 0/);
  });
});

describe("not enough data", () => {
  it("a shop with zero repeat buyers gets a reason and how many more it needs", () => {
    const fit = fitBgNbd(Array.from({ length: 30 }, (_, i) => ({ frequency: 0, recency: 0, T: i })));
    expect(fit).toMatchObject({ status: "insufficient", customers: 30, repeatBuyers: 0, repeatBuyersNeeded: MIN_REPEAT_BUYERS });
    if (fit.status === "insufficient") expect(fit.reason).toMatch(/Only 0 of 30 customers/);
  });

  it("a shop with one customer, or none, does not crash", () => {
    expect(fitBgNbd([{ frequency: 4, recency: 20, T: 30 }])).toMatchObject({
      status: "insufficient",
      repeatBuyers: 1,
      repeatBuyersNeeded: MIN_REPEAT_BUYERS - 1,
    });
    expect(fitBgNbd([])).toMatchObject({ status: "insufficient", reason: "No customers with orders yet." });
    expect(fitGammaGamma([{ frequency: 4, monetaryValue: 20 }])).toMatchObject({ status: "insufficient", customersNeeded: 29 });
  });

  it("the threshold is adjustable", () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({ frequency: 1 + (i % 3), recency: 5 + i, T: 40 }));
    expect(fitBgNbd(customers, { minRepeatBuyers: 11 }).status).toBe("insufficient");
    expect(fitBgNbd(customers, { minRepeatBuyers: 10 }).status).toBe("fitted");
  });
});

describe("degenerate shops", () => {
  it("when nobody seems to drop out, b stops at its limit (a → 0) and predictions stay sensible", () => {
    // Pure NBD data: Poisson purchases with gamma-distributed rates, no dropout at all.
    const rng = mulberry32(3);
    const customers = Array.from({ length: 3000 }, () => {
      const T = 100 + rng() * 600;
      const x = poissonSample(rng, gammaSample(rng, 1, 1 / 30) * T);
      return { frequency: x, recency: x > 0 ? T * Math.pow(rng(), 1 / x) : 0, T };
    });
    const fit = fitBgNbd(customers);
    expect(fit.status).toBe("fitted");
    if (fit.status !== "fitted") return;
    expect(fit.parametersAtLimit).toContain("b");
    expect(fit.converged).toBe(true);
    expect(fit.a / (fit.a + fit.b)).toBeLessThan(1e-6);
    // r and α of the purchase process are still recovered (truth: 1 and 30).
    expect(fit.r).toBeGreaterThan(0.9);
    expect(fit.r).toBeLessThan(1.1);
    expect(fit.alpha).toBeGreaterThan(26);
    expect(fit.alpha).toBeLessThan(34);
    expect(probabilityAlive(fit, { frequency: 3, recency: 10, T: 600 })).toBeGreaterThan(0.99);
    expect(Number.isFinite(expectedPurchases(fit, customers[0], 365))).toBe(true);
  });

  it("identical customers end at the limits without running away", () => {
    const fit = fitBgNbd(Array.from({ length: 100 }, () => ({ frequency: 2, recency: 50, T: 100 })));
    expect(fit.status).toBe("fitted");
    if (fit.status !== "fitted") return;
    expect(fit.parametersAtLimit.length).toBeGreaterThan(0);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });
});

describe("numerical stability of E[Y(t)] and P(alive) across the parameter space", () => {
  // The CDNOW fit's parameters (as in cdnow.test.ts); reference values from mpmath at 60–90 digits, FHL 2005 eqs. 10, 12.
  const params = { r: 0.242592892432227, alpha: 4.41352566198225, a: 0.792885964010761, b: 2.42574930221605 };
  const customer = { frequency: 2, recency: 30.43, T: 38.86 };
  const relativeError = (got: number, want: number): number => Math.abs(got / want - 1);

  it("is continuous through a = 1 (the closed form's 0/0), with no sign jump at a = 1 ± 1e-12", () => {
    expect(relativeError(expectedPurchases({ ...params, a: 1 }, customer, 39), 1.10196690715538)).toBeLessThan(1e-10);
    expect(relativeError(expectedPurchases({ ...params, a: 1 + 1e-12 }, customer, 39), 1.10196690715484)).toBeLessThan(1e-10);
    expect(relativeError(expectedPurchases({ ...params, a: 1 - 1e-12 }, customer, 39), 1.10196690715593)).toBeLessThan(1e-10);
    expect(relativeError(expectedPurchases({ ...params, a: 1 + 1e-10 }, customer, 39), 1.10196690715538)).toBeLessThan(1e-9);
    expect(relativeError(expectedPurchases({ ...params, a: 1 - 1e-10 }, customer, 39), 1.10196690715538)).toBeLessThan(1e-9);
  });

  it("stays finite and accurate as α → 0 for a customer whose first or last purchase was today", () => {
    const tiny = { ...params, alpha: 1e-12 };
    expect(relativeError(expectedPurchases(tiny, { frequency: 0, recency: 0, T: 0 }, 39), 3232.11422895286)).toBeLessThan(1e-8);
    expect(relativeError(expectedPurchases({ ...tiny, a: 1.5 }, { frequency: 0, recency: 0, T: 0 }, 39), 5.84431762765577)).toBeLessThan(
      1e-8,
    );
    expect(relativeError(expectedPurchases(tiny, { frequency: 3, recency: 10, T: 10 }, 39), 6.07970005104058)).toBeLessThan(1e-10);
    const alive = probabilityAlive({ ...params, alpha: 0 }, { frequency: 3, recency: 0, T: 0 });
    expect(alive).toBeGreaterThan(0);
    expect(alive).toBeLessThan(1);
  });

  it("keeps its digits for a huge T (the bracket is O(t/T) and used to cancel) and for x = 0", () => {
    expect(relativeError(expectedPurchases(params, { frequency: 0, recency: 0, T: 1e9 }, 39), 9.46112270662638e-9)).toBeLessThan(1e-10);
    expect(relativeError(expectedPurchases(params, { frequency: 5, recency: 1e9, T: 1e9 }, 39), 1.82003363172071e-7)).toBeLessThan(1e-10);
    expect(probabilityAlive(params, { frequency: 0, recency: 0, T: 1e9 })).toBe(1);
  });
});
