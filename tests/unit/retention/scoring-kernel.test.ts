/**
 * The columnar scoring kernel (per-shop month ends and discounts, a cache per (x, t_x, T), no object per
 * customer) against the straightforward formulas, customer by customer: P(alive) and expectedPurchases month by
 * month with (1 + rate)^−m discounting, Gamma-Gamma spend, historic CLV, the lifecycle rule and the lapsed day.
 */
import { describe, expect, it } from "vitest";
import { expectedPurchases, probabilityAlive, type BgNbdParams } from "../../../app/retention/clv/bgnbd";
import { expectedAverageSpend } from "../../../app/retention/clv/gamma-gamma";
import { customerHistoricClv } from "../../../app/retention/clv/historic";
import { unitsPerMonth } from "../../../app/retention/clv/predictive";
import type { CustomerSummary } from "../../../app/retention/clv/summary";
import {
  cachedPredictor,
  customerColumns,
  customerValueAt,
  CustomerValueColumns,
  lapsedDaysAgo,
  purchasePredictor,
  scoreCustomerColumns,
  type ScoringModel,
} from "../../../app/retention/customer-score";
import { mulberry32 } from "../../../app/retention/random";
import { fitShopModel, scoreShop, scoreShopChunks } from "../../../app/retention/score";
import { classifyLifecycle, DEFAULT_LIFECYCLE_SETTINGS } from "../../../app/retention/segments/lifecycle";
import { syntheticSummaries } from "../../../app/retention/clv/synthetic";
import type { Score } from "../../../app/retention/segments/rfm";

/** Relative agreement to 1e-12 (the kernel is meant to be bit-identical; this is the contract). */
function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  expect(actual === expected || Math.abs(actual - expected) <= 1e-12 * scale, `${what}: ${actual} vs ${expected}`).toBe(true);
}

/** The textbook route, one customer at a time, with no shared constants and no cache. */
function straightforward(c: CustomerSummary, model: ScoringModel, frequencyScore: Score) {
  const ownAverage = c.orderCount > 0 ? c.totalSpend / c.orderCount : 0;
  const modelSpend = model.gammaGamma ? expectedAverageSpend(model.gammaGamma, c) : Number.NaN;
  const expectedSpend = Number.isFinite(modelSpend) ? modelSpend : ownAverage;
  let prediction: { purchases: number; discounted: number; pAlive: number; nextYear: number } | null = null;
  if (model.bgnbd) {
    const pAlive = probabilityAlive(model.bgnbd, c);
    const month = unitsPerMonth("days");
    let discounted = 0;
    let previous = 0;
    for (let m = 1; m <= model.horizonMonths; m++) {
      const cumulative = expectedPurchases(model.bgnbd, c, m * month, pAlive);
      discounted += (cumulative - previous) / (1 + model.monthlyDiscountRate) ** m;
      previous = cumulative;
    }
    const nextYear = expectedPurchases(model.bgnbd, c, 12 * month, pAlive);
    if ([previous, discounted, pAlive].every(Number.isFinite)) prediction = { purchases: previous, discounted, pAlive, nextYear };
  }
  const lifecycle = classifyLifecycle(
    {
      orders: c.orderCount,
      purchaseDays: c.frequency + 1,
      daysSinceLastOrder: c.T - c.recency,
      firstToLastDays: c.recency,
      pAlive: prediction?.pAlive ?? null,
      frequencyScore,
    },
    model.cadence,
    model.lifecycle,
  );
  return {
    historicClv: customerHistoricClv(c, model.lifespanYears, 1),
    predictedClv: prediction ? prediction.discounted * expectedSpend : null,
    pAlive: prediction?.pAlive ?? null,
    expectedPurchases: prediction?.purchases ?? null,
    nextYearPurchases: prediction?.nextYear ?? null,
    expectedSpend,
    lifecycle,
    lapsedDaysAgo: lapsedDaysAgo(c, lifecycle, prediction ? model.bgnbd : null),
  };
}

/** Random customers with the edges mixed in: one-time buyers, a purchase today, decades and centuries of history, many repeats. */
function customers(seed: number, n: number): CustomerSummary[] {
  const rng = mulberry32(seed);
  const out: CustomerSummary[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 8;
    const T = kind === 6 ? 1e5 * (1 + rng()) : kind === 7 ? 1e-3 * rng() : 1 + 1500 * rng();
    const frequency = kind === 0 || kind === 1 ? 0 : kind === 5 ? 200 + Math.floor(300 * rng()) : 1 + Math.floor(30 * rng());
    const recency = frequency === 0 ? 0 : kind === 4 ? T : T * rng();
    const orderCount = frequency + 1 + (i % 3);
    out.push({ customerId: `c${i}`, frequency, recency, T, orderCount, totalSpend: orderCount * 40 * rng(), monetaryValue: 60 * rng() });
  }
  // Whole days, as a shop's are: triples that share x and T but not t_x (or x and t_x but not T), which a cache
  // keyed on less than the whole triple would confuse.
  for (let i = 0; i < n / 4; i++) {
    const frequency = 1 + (i % 2);
    const T = 100 + (i % 3);
    out.push({
      customerId: `d${i}`,
      frequency,
      recency: Math.floor(rng() * T),
      T,
      orderCount: frequency + 1,
      totalSpend: 90,
      monetaryValue: 45,
    });
  }
  // Repeated triples (the cache's hits).
  for (let i = 0; i < n / 4; i++) out.push({ ...out[Math.floor(rng() * out.length)], customerId: `r${i}` });
  return out;
}

const PARAMETERS: Record<string, BgNbdParams> = {
  "CDNOW-like": { r: 0.243, alpha: 4.41, a: 0.793, b: 2.426 },
  "a = 1": { r: 0.5, alpha: 20, a: 1, b: 3 },
  "a = 1 + 1e-12": { r: 0.5, alpha: 20, a: 1 + 1e-12, b: 3 },
  "a = 1 − 1e-12": { r: 0.5, alpha: 20, a: 1 - 1e-12, b: 3 },
  "tiny α": { r: 0.3, alpha: 1e-7, a: 0.6, b: 4 },
  "near-degenerate": { r: 40, alpha: 800, a: 5e-4, b: 3e3 },
};

const baseModel = (bgnbd: BgNbdParams, horizonMonths = 12): ScoringModel => ({
  bgnbd,
  gammaGamma: { p: 6, q: 4, v: 15 },
  cadence: { typicalIntervalDays: 45, repeatBuyers: 100 },
  lifespanYears: 2,
  horizonMonths,
  monthlyDiscountRate: 0.01,
  lifecycle: DEFAULT_LIFECYCLE_SETTINGS,
});

describe("the scoring kernel against the straightforward formulas", () => {
  for (const [name, bgnbd] of Object.entries(PARAMETERS)) {
    for (const horizonMonths of [12, 5, 18]) {
      it(`agrees to 1e-12 for every customer (${name}, ${horizonMonths} months)`, () => {
        const summaries = customers(horizonMonths * 7 + name.length, 400);
        const columns = customerColumns(summaries);
        const model = baseModel(bgnbd, horizonMonths);
        const scores = summaries.map((_, k) => ((k % 5) + 1) as Score);
        const values = new CustomerValueColumns(summaries.length);
        // A cache of 4 slots, so that slots are shared and overwritten as well as hit.
        scoreCustomerColumns(columns, 0, summaries.length, model, scores, values, cachedPredictor(purchasePredictor(model)!, 2));
        summaries.forEach((c, k) => {
          const fast = customerValueAt(values, k, columns, k, model);
          const slow = straightforward(c, model, scores[k]);
          const what = `${name} ${JSON.stringify(c)}`;
          expectClose(fast.pAlive, slow.pAlive, `${what} P(alive)`);
          expectClose(fast.expectedPurchases, slow.expectedPurchases, `${what} purchases`);
          expectClose(fast.nextYearPurchases, slow.nextYearPurchases, `${what} next year`);
          expectClose(fast.predictedClv, slow.predictedClv, `${what} CLV`);
          expectClose(fast.expectedSpend, slow.expectedSpend, `${what} spend`);
          expectClose(fast.historicClv.clv, slow.historicClv.clv, `${what} historic`);
          expect(fast.lifecycle, what).toEqual(slow.lifecycle);
          expect(fast.lapsedDaysAgo, what).toBe(slow.lapsedDaysAgo);
        });
      });
    }
  }

  it("scores a shop without a model by the interval rule and historic value, as the formulas do", () => {
    const summaries = customers(5, 200);
    const model = { ...baseModel(PARAMETERS["CDNOW-like"]), bgnbd: null, gammaGamma: null };
    const columns = customerColumns(summaries);
    const values = new CustomerValueColumns(summaries.length);
    scoreCustomerColumns(columns, 0, summaries.length, model, new Uint8Array(summaries.length).fill(3), values);
    summaries.forEach((c, k) => {
      const fast = customerValueAt(values, k, columns, k, model);
      const slow = straightforward(c, model, 3);
      expect(fast.pAlive).toBeNull();
      expect(fast.lifecycle).toEqual(slow.lifecycle);
      expect(fast.lapsedDaysAgo).toBe(slow.lapsedDaysAgo);
      expectClose(fast.expectedSpend, slow.expectedSpend, "spend");
    });
  });
});

describe("scoreShopChunks", () => {
  const summaries = syntheticSummaries(mulberry32(31), {
    customers: 3000,
    bgnbd: { r: 0.25, alpha: 30, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    minT: 1,
    maxT: 730,
    wholeUnits: true,
  });
  const model = fitShopModel(summaries);

  it("gives the same rows and summary whatever the chunk size", () => {
    const whole = scoreShop({ customers: summaries, asOf: "2026-01-31", model });
    const run = scoreShopChunks({ customers: customerColumns(summaries), asOf: "2026-01-31", model, chunkSize: 7 });
    const rows = [];
    let chunks = 0;
    for (let step = run.next(); ; step = run.next()) {
      if (step.done) {
        const { customersScored, ...summary } = step.value;
        const { customers: _, ...wholeSummary } = whole;
        expect(customersScored).toBe(summaries.length);
        expect(summary).toEqual(wholeSummary);
        break;
      }
      chunks += 1;
      for (let j = 0; j < step.value.length; j++) rows.push(step.value.row(j));
    }
    expect(chunks).toBe(Math.ceil(summaries.length / 7));
    expect(rows).toEqual(whole.customers);
  });
});
