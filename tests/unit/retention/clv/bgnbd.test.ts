import { describe, expect, it } from "vitest";
import {
  aggregateBgNbd,
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  MIN_REPEAT_BUYERS,
  probabilityAlive,
} from "../../../../app/retention/clv/bgnbd";
import { fitGammaGamma, gammaGammaLogLikelihood } from "../../../../app/retention/clv/gamma-gamma";
import { betaMixtureGrowth } from "../../../../app/retention/clv/special";
import { syntheticSummaries } from "../../../../app/retention/clv/synthetic";
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

describe("E[Y(t)] at the edges of the search box (large r, a, b: the series cancel)", () => {
  // Reference values from mpmath at 60 digits (FHL 2005, eq. 10). The series forms lost up to all their digits
  // here (e.g. 1.73e-7 for 8.14e-8, 1.209 for 1.163) without any sign of it.
  const cases: [BgNbdParamsLike, { frequency: number; recency: number; T: number }, number, number][] = [
    [{ r: 16640, alpha: 0.00024, a: 4890, b: 2674 }, { frequency: 7, recency: 2861, T: 2861 }, 134.6, 0.548169359787278],
    [{ r: 14740, alpha: 244, a: 5536, b: 0.2714 }, { frequency: 13, recency: 0.0129, T: 0.1819 }, 2.711, 8.14276556724674e-8],
    [{ r: 157.4, alpha: 1.6e-5, a: 0.0297, b: 1.06e-4 }, { frequency: 0, recency: 0, T: 132.4 }, 43.69, 1.16330011811106],
    [{ r: 326.4, alpha: 9.456, a: 0.0842, b: 0.00343 }, { frequency: 0, recency: 0, T: 1036.5 }, 114, 2.04707264133251],
  ];
  it.each(cases)("matches the 60-digit reference at %j", (p, c, t, want) => {
    expect(Math.abs(expectedPurchases(p, c, t) / want - 1)).toBeLessThan(1e-9);
  });

  it("agrees with direct integration over the dropout probability everywhere in the box, and is never NaN or negative", () => {
    // Seeded sweep over the fit's box (e^±10 for r, a, b; α wider), a = 1 ± 1e-10, T = 0, t_x = T, x up to ~1000.
    const rng = mulberry32(11);
    const logUniform = (lo: number, hi: number): number => Math.exp(lo + (hi - lo) * rng());
    for (let i = 0; i < 150; i++) {
      const p = { r: logUniform(-10, 10), alpha: logUniform(-12, 14), a: logUniform(-10, 10), b: logUniform(-10, 10) };
      if (i % 10 === 0) p.a = 1 + (rng() - 0.5) * 1e-10;
      const T = i % 7 === 0 ? 0 : logUniform(-3, 12);
      const x = i % 3 === 0 ? 0 : Math.floor(logUniform(0, 7));
      const c = { frequency: x, recency: x === 0 ? 0 : i % 5 === 0 ? T : T * rng(), T };
      const t = logUniform(-2, 8);
      const got = expectedPurchases(p, c, t);
      const alive = probabilityAlive(p, c);
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      expect(got).toBeGreaterThanOrEqual(0);
      const integrated = alive * betaMixtureGrowth(p.r + x, p.a, p.b + x, t / (p.alpha + T));
      expect(Math.abs(got - integrated)).toBeLessThanOrEqual(1e-6 * integrated + 1e-300);
    }
  });

  it("direct integration itself reproduces the mpmath references of the a = 1, α → 0 and huge-T cases", () => {
    const cdnow = { r: 0.242592892432227, alpha: 4.41352566198225, a: 0.792885964010761, b: 2.42574930221605 };
    const integrated = (p: BgNbdParamsLike, c: { frequency: number; recency: number; T: number }, t: number): number =>
      probabilityAlive(p, c) * betaMixtureGrowth(p.r + c.frequency, p.a, p.b + c.frequency, t / (p.alpha + c.T));
    const near = (got: number, want: number): void => expect(Math.abs(got / want - 1)).toBeLessThan(1e-9);
    near(integrated({ ...cdnow, a: 1 }, { frequency: 2, recency: 30.43, T: 38.86 }, 39), 1.10196690715538);
    near(integrated({ ...cdnow, alpha: 1e-12 }, { frequency: 0, recency: 0, T: 0 }, 39), 3232.11422895286);
    near(integrated(cdnow, { frequency: 0, recency: 0, T: 1e9 }, 39), 9.46112270662638e-9);
    near(integrated(cdnow, { frequency: 29, recency: 38, T: 38.86 }, 1000), 130.7295833064575);
  });
});

type BgNbdParamsLike = { r: number; alpha: number; a: number; b: number };

describe("analytic gradients", () => {
  // Continuous times (not whole days), every kind of customer: x = 0, t_x = T, t_x < T.
  const customers = syntheticSummaries(mulberry32(5), {
    customers: 300,
    bgnbd: { r: 0.6, alpha: 12, a: 0.9, b: 2.2 },
    gammaGamma: { p: 4, q: 3, v: 20 },
    minT: 0.5,
    maxT: 400,
  });

  it("BG/NBD: match central differences of the log-likelihood", () => {
    const data = aggregateBgNbd(customers);
    for (const p of [params, { r: 2.5, alpha: 3, a: 0.05, b: 40 }, { r: 0.98, alpha: 29.87, a: 4.5e-5, b: 22026 }]) {
      const gradient = new Float64Array(4);
      bgnbdLogLikelihood(p, data, gradient);
      (["r", "alpha", "a", "b"] as const).forEach((name, i) => {
        const h = 1e-5 * p[name];
        const slope =
          (bgnbdLogLikelihood({ ...p, [name]: p[name] + h }, data) - bgnbdLogLikelihood({ ...p, [name]: p[name] - h }, data)) / (2 * h);
        expect(Math.abs(gradient[i] - slope)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(slope)));
      });
    }
  });

  it("Gamma-Gamma: match central differences of the log-likelihood", () => {
    for (const p of [
      { p: 4, q: 3, v: 20 },
      { p: 0.5, q: 12, v: 300 },
    ]) {
      const gradient = new Float64Array(3);
      gammaGammaLogLikelihood(p, customers, gradient);
      (["p", "q", "v"] as const).forEach((name, i) => {
        const h = 1e-5 * p[name];
        const slope =
          (gammaGammaLogLikelihood({ ...p, [name]: p[name] + h }, customers) -
            gammaGammaLogLikelihood({ ...p, [name]: p[name] - h }, customers)) /
          (2 * h);
        expect(Math.abs(gradient[i] - slope)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(slope)));
      });
    }
  });
});

describe("fits that know when they failed", () => {
  it("a subscription-like shop (everyone buys like clockwork, nobody stops) ends with r at its limit and says so", () => {
    // Near-identical monthly buyers: no heterogeneity in the rate, so r → ∞ with r/α fixed.
    const shop = Array.from({ length: 400 }, (_, i) => {
      const T = 60 + ((i * 37) % 700);
      const period = 30 + (i % 7) * 0.5;
      const x = Math.floor(T / period);
      return { frequency: x, recency: x * period, T };
    });
    const fit = fitBgNbd(shop);
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.parametersAtLimit).toContain("r");
    expect(fit.r).toBeGreaterThan(22_000);
  });

  it("a healthy shop converges inside the box with a vanishing gradient", () => {
    const fit = fitBgNbd(healthyShop());
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.converged).toBe(true);
    expect(fit.parametersAtLimit).toEqual([]);
    expect(fit.gradientMax).toBeLessThan(1e-7);
  });

  it("Gamma-Gamma: the same average for everyone pushes q and v to their limits, and the fit says so", () => {
    const fit = fitGammaGamma(Array.from({ length: 60 }, (_, i) => ({ frequency: 1 + (i % 4), monetaryValue: 25 })));
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.parametersAtLimit.length).toBeGreaterThan(0);
  });

  it("Gamma-Gamma: a healthy sample converges inside the box", () => {
    const fit = fitGammaGamma(healthyShop());
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.converged).toBe(true);
    expect(fit.parametersAtLimit).toEqual([]);
    expect(fit.gradientMax).toBeLessThan(1e-7);
  });
});

function healthyShop() {
  return syntheticSummaries(mulberry32(9), {
    customers: 600,
    bgnbd: { r: 0.6, alpha: 12, a: 0.9, b: 2.2 },
    gammaGamma: { p: 4, q: 3, v: 20 },
    minT: 30,
    maxT: 400,
  });
}
