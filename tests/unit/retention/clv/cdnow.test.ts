import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bgnbdLogLikelihood, expectedPurchases, fitBgNbd, probabilityAlive } from "../../../../app/retention/clv/bgnbd";
import { expectedAverageSpend, fitGammaGamma } from "../../../../app/retention/clv/gamma-gamma";
import { parseTransactionLog } from "../../../../app/retention/clv/csv-input";
import { summarizeTransactions } from "../../../../app/retention/clv/summary";
import { cdnowFile, HAS_CDNOW, once, PUBLISHED, readNumericCsv } from "../../../support/shared-data";

const summary = once(() =>
  readNumericCsv(cdnowFile("cdnow_customers_summary.csv")).map((row) => ({
    frequency: row.frequency,
    recency: row.recency,
    T: row.T,
  })),
);
const withSpend = once(() =>
  readNumericCsv(cdnowFile("cdnow_customers_summary_with_transactions.csv")).map((row) => ({
    frequency: row.x,
    monetaryValue: row.zbar,
  })),
);

const withinRelative = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
};

describe.runIf(HAS_CDNOW)("BG/NBD on CDNOW (EXPECTED.md)", () => {
  const fitted = once(() => fitBgNbd(summary()));

  it("reproduces the published parameters within 1% and the log-likelihood within 0.1", () => {
    const fit = fitted();
    expect(fit.status).toBe("fitted");
    if (fit.status !== "fitted") return;
    expect(fit.customers).toBe(2357);
    expect(fit.repeatBuyers).toBe(946);
    withinRelative(fit.r, PUBLISHED.bgnbd.r, 0.01);
    withinRelative(fit.alpha, PUBLISHED.bgnbd.alpha, 0.01);
    withinRelative(fit.a, PUBLISHED.bgnbd.a, 0.01);
    withinRelative(fit.b, PUBLISHED.bgnbd.b, 0.01);
    expect(Math.abs(fit.logLikelihood - PUBLISHED.bgnbd.logLikelihood)).toBeLessThanOrEqual(0.1);
    expect(fit.converged).toBe(true);
  });

  it("reaches the optimum with an analytic gradient in a few dozen evaluations (Nelder–Mead needed 794)", () => {
    const fit = fitted();
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.gradientMax).toBeLessThan(1e-7);
    expect(fit.evaluations).toBeLessThan(80);
    // The Nelder–Mead optimum (r 0.2425929, α 4.413526, a 0.7928860, b 2.425749; LL −9582.425560568) to within
    // its own tolerance: the log-likelihood agrees to 1e-9, the parameters to 3e-6.
    expect(Math.abs(fit.logLikelihood - -9582.425560567692)).toBeLessThan(1e-6);
    withinRelative(fit.r, 0.24259289243222662, 3e-6);
    withinRelative(fit.alpha, 4.4135256619822485, 3e-6);
    withinRelative(fit.a, 0.7928859640107611, 3e-6);
    withinRelative(fit.b, 2.425749302216046, 3e-6);
  });

  it("finds a maximum: the published (rounded) parameters score no better than the fit", () => {
    const fit = fitted();
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(bgnbdLogLikelihood(PUBLISHED.bgnbd, summary())).toBeLessThanOrEqual(fit.logLikelihood);
  });

  it("matches an independent 30-digit evaluation (mpmath) of P(alive) and E[Y(t)] at fixed parameters", () => {
    // Reference values computed with mpmath (mp.dps = 30) from FHL 2005 eqs. 10 and 12 at these parameters.
    const params = { r: 0.24259289243222662, alpha: 4.4135256619822485, a: 0.7928859640107611, b: 2.425749302216046 };
    expect(expectedPurchases(params, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.225910127995179, 12);
    expect(expectedPurchases(params, { frequency: 0, recency: 0, T: 38.86 }, 39)).toBeCloseTo(0.1947808373704431, 12);
    expect(expectedPurchases(params, { frequency: 29, recency: 38, T: 38.86 }, 1000)).toBeCloseTo(130.7295833064575, 9);
    expect(expectedPurchases(params, { frequency: 0, recency: 0, T: 0 }, 1000)).toBeCloseTo(6.573094635651446, 10);
    expect(probabilityAlive(params, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
    const pAlive = probabilityAlive(params, { frequency: 2, recency: 30.43, T: 38.86 });
    expect(pAlive).toBeGreaterThan(0.72);
    expect(pAlive).toBeLessThan(0.73);
  });
});

describe.runIf(HAS_CDNOW)("Gamma-Gamma on CDNOW repeat buyers (EXPECTED.md)", () => {
  const fitted = once(() => fitGammaGamma(withSpend()));

  it("uses only the 946 customers with x > 0 and reproduces p, q, v within 1%", () => {
    const fit = fitted();
    expect(fit.status).toBe("fitted");
    if (fit.status !== "fitted") return;
    expect(fit.customers).toBe(946);
    withinRelative(fit.p, PUBLISHED.gammaGamma.p, 0.01);
    withinRelative(fit.q, PUBLISHED.gammaGamma.q, 0.01);
    withinRelative(fit.v, PUBLISHED.gammaGamma.v, 0.01);
    expect(fit.converged).toBe(true);
  });

  it("reports the frequency–spend correlation (weak on CDNOW, so the independence assumption holds)", () => {
    const fit = fitted();
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.frequencySpendCorrelation).toBeGreaterThan(0.05);
    expect(fit.frequencySpendCorrelation).toBeLessThan(0.2);
  });

  it("shrinks a customer's average towards the population mean", () => {
    const fit = fitted();
    if (fit.status !== "fitted" || fit.meanSpend === null) throw new Error("not fitted");
    const population = fit.meanSpend;
    const high = expectedAverageSpend(fit, { frequency: 2, monetaryValue: 200 });
    const low = expectedAverageSpend(fit, { frequency: 2, monetaryValue: 5 });
    expect(high).toBeLessThan(200);
    expect(high).toBeGreaterThan(population);
    expect(low).toBeGreaterThan(5);
    expect(low).toBeLessThan(population);
    expect(expectedAverageSpend(fit, { frequency: 0, monetaryValue: 0 })).toBeCloseTo(population, 10);
  });
});

describe.runIf(HAS_CDNOW)("summaries rebuilt from CDNOW_sample.txt", () => {
  const transactions = once(() => parseTransactionLog(readFileSync(cdnowFile("CDNOW_sample.txt"), "utf8")));
  const rebuilt = once(() => summarizeTransactions(transactions(), { asOf: "1997-09-30", unit: "weeks" }));
  const published = once(() => readNumericCsv(cdnowFile("cdnow_customers_summary_with_transactions.csv")));

  it("reads all 6,919 rows and 2,357 customers", () => {
    expect(transactions()).toHaveLength(6919);
    expect(rebuilt()).toHaveLength(2357);
  });

  it("agree with the published summary to the second decimal (same-day rows merged, first purchase excluded)", () => {
    const byId = new Map(rebuilt().map((c) => [Number(c.customerId), c]));
    let mismatches = 0;
    for (const row of published()) {
      const c = byId.get(row.ID);
      if (!c) throw new Error(`customer ${row.ID} missing`);
      const ok =
        c.frequency === row.x &&
        Math.abs(c.recency - row.t_x) <= 0.005 + 1e-9 &&
        Math.abs(c.T - row.T) <= 0.005 + 1e-9 &&
        Math.abs(c.monetaryValue - row.zbar) <= 0.005 + 1e-9;
      if (!ok) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    expect(rebuilt().reduce((sum, c) => sum + c.frequency, 0)).toBe(2457);
  });
});
