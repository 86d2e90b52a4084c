import { describe, expect, it } from "vitest";
import { bgnbdLogParameterStandardErrors, fitBgNbd } from "../../../../app/retention/clv/bgnbd";
import { fitGammaGamma, gammaGammaLogParameterStandardErrors } from "../../../../app/retention/clv/gamma-gamma";
import { simulateCustomer } from "../../../../app/retention/clv/simulate";
import { syntheticSummaries } from "../../../../app/retention/clv/synthetic";
import { mulberry32 } from "../../../../app/retention/random";

/**
 * Tolerance: the maximum-likelihood estimate of each log-parameter is asymptotically normal around the truth
 * with the standard error from the inverse observed information (computed at the fit). With 30,000 customers
 * those errors are 1–6% (asserted below, so the check has teeth); |estimate − truth| ≤ 4 standard errors
 * fails a correct fit with probability < 1e-4 per parameter, while a likelihood or unit error moves
 * estimates by many standard errors. The seed is fixed, so the test is deterministic.
 */
const Z_MAX = 4;
const CUSTOMERS = 30_000;
const BGNBD = { r: 0.25, alpha: 30, a: 0.8, b: 2.5 };
const GAMMA_GAMMA = { p: 6.25, q: 3.74, v: 15.44 };

describe("simulateCustomer", () => {
  it("produces a history starting at 0, increasing, within T, one positive amount per purchase", () => {
    const rng = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const { times, amounts } = simulateCustomer(rng, BGNBD, GAMMA_GAMMA, 400);
      expect(times[0]).toBe(0);
      expect(amounts).toHaveLength(times.length);
      for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThan(times[k - 1]);
      expect(times[times.length - 1]).toBeLessThanOrEqual(400);
      expect(amounts.every((a) => a > 0)).toBe(true);
    }
  });

  it("is reproducible from the seed", () => {
    const a = simulateCustomer(mulberry32(99), BGNBD, GAMMA_GAMMA, 365);
    const b = simulateCustomer(mulberry32(99), BGNBD, GAMMA_GAMMA, 365);
    expect(a).toEqual(b);
  });
});

describe("parameter recovery on synthetic customers", () => {
  const customers = syntheticSummaries(mulberry32(20240521), {
    customers: CUSTOMERS,
    bgnbd: BGNBD,
    gammaGamma: GAMMA_GAMMA,
    minT: 180,
    maxT: 730,
  });

  it("BG/NBD recovers r, alpha, a, b within 4 standard errors", () => {
    const fit = fitBgNbd(customers);
    expect(fit.status).toBe("fitted");
    if (fit.status !== "fitted") return;
    expect(fit.converged).toBe(true);
    const se = bgnbdLogParameterStandardErrors(fit, customers);
    expect(se).not.toBeNull();
    if (!se) return;
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(se[key]).toBeLessThan(0.1);
      expect(Math.abs(Math.log(fit[key]) - Math.log(BGNBD[key]))).toBeLessThanOrEqual(Z_MAX * se[key]);
    }
  });

  it("Gamma-Gamma recovers p, q, v within 4 standard errors from repeat buyers only", () => {
    const fit = fitGammaGamma(customers);
    expect(fit.status).toBe("fitted");
    if (fit.status !== "fitted") return;
    expect(fit.customers).toBe(customers.filter((c) => c.frequency > 0).length);
    // Spend is drawn independently of frequency, so the correlation must be near zero.
    expect(Math.abs(fit.frequencySpendCorrelation)).toBeLessThan(0.05);
    const se = gammaGammaLogParameterStandardErrors(fit, customers);
    expect(se).not.toBeNull();
    if (!se) return;
    for (const key of ["p", "q", "v"] as const) {
      expect(se[key]).toBeLessThan(0.1);
      expect(Math.abs(Math.log(fit[key]) - Math.log(GAMMA_GAMMA[key]))).toBeLessThanOrEqual(Z_MAX * se[key]);
    }
  });
});
