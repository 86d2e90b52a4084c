/**
 * Speed benchmark of the retention core (for `npm run bench`, not a test): BG/NBD fit on 100,000 customers
 * (target < 1 s) and scoring 200,000 customers — predictions, RFM, lifecycle (target < 2 s).
 */
import { mulberry32 } from "../random";
import { scoreShop, fitShopModel } from "../score";
import { fitBgNbd } from "./bgnbd";
import { syntheticSummaries } from "./synthetic";

export interface RetentionBenchmark {
  fitCustomers: number;
  fitMs: number;
  fitEvaluations: number;
  scoreCustomers: number;
  /** scoreShop with the model given (predictions + RFM + lifecycle + insights). */
  scoreMs: number;
  /** Fitting BG/NBD and Gamma-Gamma on the 200,000 as well, for reference. */
  fitAndScoreMs: number;
}

/** Day-based shop resembling CDNOW's buying pattern, two years of history. */
const SHOP = {
  bgnbd: { r: 0.25, alpha: 30, a: 0.8, b: 2.5 },
  gammaGamma: { p: 6, q: 4, v: 15 },
  minT: 1,
  maxT: 730,
  wholeUnits: true,
};

export function runRetentionBenchmark(fitCustomers = 100_000, scoreCustomers = 200_000): RetentionBenchmark {
  const rng = mulberry32(20240601);
  const fitData = syntheticSummaries(rng, { ...SHOP, customers: fitCustomers });
  const scoreData = syntheticSummaries(rng, { ...SHOP, customers: scoreCustomers });

  let start = performance.now();
  const fit = fitBgNbd(fitData);
  const fitMs = performance.now() - start;

  const model = fitShopModel(scoreData);
  start = performance.now();
  scoreShop({ customers: scoreData, asOf: "2026-01-31", model });
  const scoreMs = performance.now() - start;

  start = performance.now();
  scoreShop({ customers: scoreData, asOf: "2026-01-31" });
  const fitAndScoreMs = performance.now() - start;

  return {
    fitCustomers,
    fitMs,
    fitEvaluations: fit.status === "fitted" ? fit.evaluations : 0,
    scoreCustomers,
    scoreMs,
    fitAndScoreMs,
  };
}
