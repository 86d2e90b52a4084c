import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { aggregateBgNbd } from "../../../../app/retention/clv/bgnbd";
import type { Transaction } from "../../../../app/retention/clv/cleaning";
import { parseTransactionLog } from "../../../../app/retention/clv/csv-input";
import { fitMbgNbd, mbgNbdExpectedPurchases, mbgNbdLogLikelihood, mbgNbdProbabilityAlive } from "../../../../app/retention/clv/mbg-nbd";
import { CHOICE_MARGIN, chooseModel, validationDays, type ModelChoice } from "../../../../app/retention/clv/model-choice";
import { fitParetoNbd, paretoNbdExpectedPurchases, paretoNbdProbabilityAlive } from "../../../../app/retention/clv/pareto-nbd";
import type { PurchaseParams } from "../../../../app/retention/clv/purchase-model";
import { simulateRepeatTimes, simulateShopTransactions } from "../../../../app/retention/clv/simulate-models";
import { summarizeTransactions } from "../../../../app/retention/clv/summary";
import { mulberry32 } from "../../../../app/retention/random";
import { scoreShop } from "../../../../app/retention/score";
import { dayNumber, dayString } from "../../../../app/retention/time";
import { cdnowFile, HAS_CDNOW, once, readNumericCsv } from "../../../support/shared-data";

const withinRelative = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
};

const scored = (choice: ModelChoice, model: string) => {
  const c = choice.candidates.find((candidate) => candidate.model === model);
  if (c?.status !== "scored") throw new Error(`${model} not scored: ${JSON.stringify(c)}`);
  return c;
};

function shop(seed: number, params: PurchaseParams, customers = 3000): Transaction[] {
  return simulateShopTransactions(mulberry32(seed), {
    customers,
    params,
    startDay: "2024-01-01",
    acquisitionDays: 360,
    endDay: "2025-06-30",
  });
}
const SHOP_CHOICE = { calibrationEnd: "2025-06-30", firstDay: "2024-01-01", unit: "days" } as const;

describe.runIf(HAS_CDNOW)("Pareto/NBD and MBG/NBD on CDNOW (weeks, calibration to 1997-09-30)", () => {
  const summary = once(() =>
    readNumericCsv(cdnowFile("cdnow_customers_summary.csv")).map((row) => ({ frequency: row.frequency, recency: row.recency, T: row.T })),
  );

  it("Pareto/NBD reproduces the published parameters (r 0.553, α 10.58, s 0.606, β 11.67) within 1%", () => {
    const fit = fitParetoNbd(summary());
    if (fit.status !== "fitted") throw new Error("not fitted");
    withinRelative(fit.params.r, 0.553, 0.01);
    withinRelative(fit.params.alpha, 10.58, 0.01);
    withinRelative(fit.params.s, 0.606, 0.01);
    withinRelative(fit.params.beta, 11.67, 0.01);
    // Fader & Hardie's note reports LL −9595.0.
    expect(Math.abs(fit.logLikelihood - -9595.0)).toBeLessThan(0.05);
    expect(fit.converged).toBe(true);
    expect(fit.parametersAtLimit).toEqual([]);
  });

  it("Pareto/NBD's conditional expectation and P(alive) match the BTYD walkthrough's customer 1516 (x 26, t_x 30.86, T 31)", () => {
    const params = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };
    const c = { frequency: 26, recency: 30.86, T: 31 };
    expect(paretoNbdExpectedPurchases(params, c, 52)).toBeCloseTo(25.45, 1);
    expect(paretoNbdProbabilityAlive(params, c)).toBeCloseTo(0.9979, 4);
  });

  it("MBG/NBD fits CDNOW to a maximum at least as likely as BG/NBD's (it adds dropout after the first purchase)", () => {
    const fit = fitMbgNbd(summary());
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.converged).toBe(true);
    expect(fit.parametersAtLimit).toEqual([]);
    // Measured: r 0.5248, α 6.183, a 0.8914, b 1.614, LL −9582.13 (BG/NBD −9582.43).
    withinRelative(fit.params.r, 0.5248, 0.001);
    withinRelative(fit.params.alpha, 6.183, 0.001);
    expect(fit.logLikelihood).toBeGreaterThan(-9582.43);
  });

  it("on the CDNOW sample's transactions keeps BG/NBD: neither other model beats it by the margin on weeks 27–39", () => {
    const transactions = parseTransactionLog(readFileSync(cdnowFile("CDNOW_sample.txt"), "utf8"));
    const choice = chooseModel(transactions, { calibrationEnd: "1997-09-30", firstDay: "1997-01-01", unit: "weeks" });
    expect(choice.window).toEqual({ fitEnd: "1997-07-01", calibrationEnd: "1997-09-30", lengthUnits: 13, unit: "weeks" });
    expect(choice.chosen).toBe("bgnbd");
    expect(choice.reason).toBe("bgnbd-best");
    expect(choice.actual).toBe(711);
    expect(scored(choice, "bgnbd").criterion).toBeCloseTo(0.8296, 3);
  });
});

describe("MBG/NBD", () => {
  it("has an analytic gradient that matches central differences", () => {
    const data = aggregateBgNbd(
      summarizeTransactions(shop(3, { model: "mbg-nbd", r: 0.8, alpha: 30, a: 1, b: 1.5 }, 500), { asOf: "2025-06-30", unit: "days" }),
    );
    const p = { r: 0.7, alpha: 25, a: 0.9, b: 2 };
    const g = new Float64Array(4);
    mbgNbdLogLikelihood(p, data, g);
    (["r", "alpha", "a", "b"] as const).forEach((name, i) => {
      const h = 1e-6 * p[name];
      const numeric =
        (mbgNbdLogLikelihood({ ...p, [name]: p[name] + h }, data) - mbgNbdLogLikelihood({ ...p, [name]: p[name] - h }, data)) / (2 * h);
      expect(Math.abs(g[i] - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
    });
  });

  it("recovers simulated parameters and, unlike BG/NBD, can find a one-time buyer dead", () => {
    const truth = { r: 0.8, alpha: 30, a: 1, b: 1.5 };
    const fit = fitMbgNbd(summarizeTransactions(shop(4, { model: "mbg-nbd", ...truth }, 6000), { asOf: "2025-06-30", unit: "days" }));
    if (fit.status !== "fitted") throw new Error("not fitted");
    for (const name of ["r", "alpha", "a", "b"] as const) withinRelative(fit.params[name], truth[name], 0.2);
    const oneTimer = { frequency: 0, recency: 0, T: 300 };
    expect(mbgNbdProbabilityAlive(truth, oneTimer)).toBeLessThan(0.5);
    expect(mbgNbdProbabilityAlive(truth, { frequency: 3, recency: 300, T: 300 })).toBeCloseTo(1 / (1 + 1 / 4.5), 12);
    expect(mbgNbdExpectedPurchases(truth, oneTimer, 0)).toBe(0);
  });

  it("its expected purchases agree with the simulation they describe", () => {
    // Customers alive-or-not with x = 2, t_x = 100, T = 200 cannot be conditioned on in a forward simulation, but
    // a new customer can: E[purchases in (0, t]] is expectedPurchases at x = 0, t_x = 0, T = 0 with P(alive) of a
    // fresh customer (1 − E[p] chance to survive the first purchase).
    const params = { r: 0.8, alpha: 30, a: 1, b: 1.5 };
    const rng = mulberry32(9);
    let total = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) total += simulateRepeatTimes(rng, { model: "mbg-nbd", ...params }, 180).length;
    const expected = mbgNbdExpectedPurchases(params, { frequency: 0, recency: 0, T: 0 }, 180);
    withinRelative(total / n, expected, 0.03);
  });
});

describe("Pareto/NBD", () => {
  it("recovers simulated parameters in days", () => {
    const truth = { r: 1.5, alpha: 40, s: 0.3, beta: 20 };
    const fit = fitParetoNbd(summarizeTransactions(shop(1, { model: "pareto-nbd", ...truth }), { asOf: "2025-06-30", unit: "days" }));
    if (fit.status !== "fitted") throw new Error("not fitted");
    expect(fit.converged).toBe(true);
    for (const name of ["r", "alpha", "s", "beta"] as const) withinRelative(fit.params[name], truth[name], 0.25);
  });

  it("its expected purchases agree with the simulation for a new customer", () => {
    const params = { r: 1.5, alpha: 40, s: 0.3, beta: 20 };
    const rng = mulberry32(10);
    let total = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) total += simulateRepeatTimes(rng, { model: "pareto-nbd", ...params }, 180).length;
    withinRelative(total / n, paretoNbdExpectedPurchases(params, { frequency: 0, recency: 0, T: 0 }, 180), 0.03);
  });
});

describe("model choice", () => {
  it("takes the last third of the calibration period as the window, 28 days to a year, and needs a fit part as long", () => {
    expect(validationDays(540)).toBe(180);
    expect(validationDays(60)).toBe(28);
    expect(validationDays(50)).toBeNull();
    expect(validationDays(3000)).toBe(365);
  });

  it("on a shop simulated from Pareto/NBD with strong dropout differences, leaves BG/NBD for a model that beats it by the margin", () => {
    const choice = chooseModel(shop(1, { model: "pareto-nbd", r: 1.5, alpha: 40, s: 0.3, beta: 20 }), SHOP_CHOICE);
    const bgnbd = scored(choice, "bgnbd").criterion;
    const pareto = scored(choice, "pareto-nbd").criterion;
    // Pareto/NBD predicts the window better than BG/NBD; MBG/NBD (dropout right after the first purchase too)
    // does about as well, and whichever is kept beats BG/NBD by the margin.
    expect(pareto).toBeLessThan(bgnbd);
    expect(["pareto-nbd", "mbg-nbd"]).toContain(choice.chosen);
    expect(choice.reason).toBe("beats-bgnbd");
    const kept = scored(choice, choice.chosen);
    expect(kept.criterion).toBeLessThanOrEqual(Math.min(pareto, bgnbd - CHOICE_MARGIN));
  });

  it("keeps BG/NBD on a shop simulated from BG/NBD", () => {
    const choice = chooseModel(shop(2, { r: 0.8, alpha: 30, a: 0.8, b: 2.5 }), SHOP_CHOICE);
    expect(choice.chosen).toBe("bgnbd");
    expect(choice.reason).toBe("bgnbd-best");
    // 2024-01-01 to 2025-06-30 is 546 days: the last 182 are the window.
    expect(choice.window).toMatchObject({ fitEnd: "2024-12-30", lengthUnits: 182 });
  });

  it("falls back to historic CLV when no model beats the naive forecast (everyone buys every 30 days)", () => {
    const start = dayNumber("2024-01-01");
    const end = dayNumber("2025-06-30");
    const transactions: Transaction[] = [];
    for (let i = 0; i < 400; i++) {
      for (let day = start + (i % 360); day <= end; day += 30) transactions.push({ customerId: `c${i}`, date: dayString(day), amount: 20 });
    }
    const choice = chooseModel(transactions, SHOP_CHOICE);
    expect(choice.chosen).toBe("historic");
    expect(choice.reason).toBe("none-beats-naive");
    for (const c of choice.candidates) if (c.status === "scored") expect(c.criterion).toBeGreaterThanOrEqual(choice.naive!.criterion);
  });

  it("gives no verdict on a history shorter than two windows", () => {
    const choice = chooseModel(shop(5, { r: 0.8, alpha: 30, a: 0.8, b: 2.5 }, 300), { ...SHOP_CHOICE, firstDay: "2025-05-10" });
    expect(choice).toMatchObject({ chosen: "bgnbd", reason: "not-validated", window: null, candidates: [] });
  });

  it("is deterministic", () => {
    const transactions = shop(6, { model: "mbg-nbd", r: 0.8, alpha: 30, a: 1, b: 1.5 }, 1500);
    expect(chooseModel(transactions, SHOP_CHOICE)).toEqual(chooseModel(transactions, SHOP_CHOICE));
  });

  it("scores every customer with the kept model, and with none when the choice falls back to historic", () => {
    const transactions = shop(1, { model: "pareto-nbd", r: 1.5, alpha: 40, s: 0.3, beta: 20 }, 1500);
    const customers = summarizeTransactions(transactions, { asOf: "2025-06-30", unit: "days" });
    const pareto: ModelChoice = { ...chooseModel(transactions, SHOP_CHOICE), chosen: "pareto-nbd", reason: "beats-bgnbd" };
    const result = scoreShop({ customers, asOf: "2025-06-30", choice: pareto });
    if (result.model.status !== "fitted" || result.model.purchase?.model !== "pareto-nbd") throw new Error("Pareto/NBD not kept");
    const params = result.model.purchase;
    result.customers.slice(0, 50).forEach((c, i) => expect(c.pAlive).toBeCloseTo(paretoNbdProbabilityAlive(params, customers[i]), 12));
    expect(result.insights.predictedRevenue12Months?.method).toBe("model");

    const historic = scoreShop({ customers, asOf: "2025-06-30", choice: { ...pareto, chosen: "historic", reason: "none-beats-naive" } });
    expect(historic.model).toMatchObject({ status: "insufficient", cause: "none-beats-naive", fallback: "historic" });
    expect(historic.customers.every((c) => c.predictedClv === null && c.pAlive === null)).toBe(true);
  });
});
