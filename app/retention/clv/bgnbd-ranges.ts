/**
 * BG/NBD + Gamma-Gamma as a ForecastModel for the bootstrap (uncertainty.ts): the sampling distributions of
 * both fits (stored with the shop's model state) and the prediction under drawn parameters. The two models
 * have separate likelihoods, so their parameters are drawn independently.
 */
import type { Rng } from "../random";
import { aggregateBgNbd, bgnbdLogLikelihood, expectedPurchasesPath, type BgNbdParams } from "./bgnbd";
import { aggregateGammaGamma, expectedAverageSpend, gammaGammaLogLikelihood, type GammaGammaParams } from "./gamma-gamma";
import type { CustomerSummary } from "./summary";
import {
  BOOTSTRAP_DRAWS,
  BOOTSTRAP_SEED,
  INTERVAL_LEVEL,
  logNormalSampler,
  logParameterDistribution,
  type ForecastModel,
  type Interval,
  type LogNormalParameters,
} from "./uncertainty";

export interface BgNbdGammaGammaParams {
  bgnbd: BgNbdParams;
  /** null: each customer's own average order value is the spend (no spend-model uncertainty). */
  gammaGamma: GammaGammaParams | null;
}

/** What the model state keeps so any page can redraw the same parameters (a few hundred bytes). */
export interface StoredUncertainty {
  method: "parametric-bootstrap";
  model: "bgnbd";
  level: number;
  draws: number;
  seed: number;
  purchase: LogNormalParameters;
  spend: LogNormalParameters | null;
  /** Range of predicted revenue over the next 12 months, same definition as insights.predictedRevenue12Months. */
  revenue12Months: Interval | null;
}

const BGNBD_NAMES = ["r", "alpha", "a", "b"];
const GAMMA_GAMMA_NAMES = ["p", "q", "v"];
/** The fits' search boxes (bgnbd.ts, gamma-gamma.ts): e^±10 around 1; α and v e^±14 around their data scale. */
const LOG_LIMIT = 10;
const LOG_LIMIT_SCALE = 14;

/** Sampling distributions at the fits, from the summaries the fits were made on. Null when BG/NBD's is singular. */
export function bgnbdGammaGammaDistributions(
  point: BgNbdGammaGammaParams,
  summaries: readonly CustomerSummary[],
): { purchase: LogNormalParameters; spend: LogNormalParameters | null } | null {
  const data = aggregateBgNbd(summaries);
  const purchase = logParameterDistribution(
    (t) => -bgnbdLogLikelihood({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), a: Math.exp(t[2]), b: Math.exp(t[3]) }, data),
    BGNBD_NAMES,
    { ...point.bgnbd },
    box(Math.log(data.sumT / Math.max(data.sumX, 1)), 1),
  );
  if (!purchase) return null;
  let spend: LogNormalParameters | null = null;
  if (point.gammaGamma) {
    const spendData = aggregateGammaGamma(summaries);
    let meanSpend = 0;
    for (let i = 0; i < spendData.zbar.length; i++) meanSpend += spendData.zbar[i] / spendData.zbar.length;
    spend = logParameterDistribution(
      (t) => -gammaGammaLogLikelihood({ p: Math.exp(t[0]), q: Math.exp(t[1]), v: Math.exp(t[2]) }, spendData),
      GAMMA_GAMMA_NAMES,
      { ...point.gammaGamma },
      box(Math.log(meanSpend), 2, 3),
    );
    // The spend model is in use but its range cannot be computed: no range is better than a too-narrow one.
    if (!spend) return null;
  }
  return { purchase, spend };
}

/** The search box with the scale parameter (index `scaleAt`) centred on the data's scale. */
function box(logScale: number, scaleAt: number, size = 4) {
  const lower = Array.from({ length: size }, (_, i) => (i === scaleAt ? logScale - LOG_LIMIT_SCALE : -LOG_LIMIT));
  const upper = Array.from({ length: size }, (_, i) => (i === scaleAt ? logScale + LOG_LIMIT_SCALE : LOG_LIMIT));
  return { lower, upper };
}

/** Redraws of a Gamma-Gamma draw with q ≤ 1 (mean spend undefined; the app would not use such a fit). */
const MAX_SPEND_REDRAWS = 20;

/** Prediction under given parameters: BG/NBD expected purchases, Gamma-Gamma (or own average) spend. */
export const bgnbdGammaGammaPredict: ForecastModel<BgNbdGammaGammaParams>["predict"] = (params, c, horizonsDays) => {
  const ownAverage = c.orderCount > 0 ? c.totalSpend / c.orderCount : 0;
  return {
    purchases: expectedPurchasesPath(params.bgnbd, c, horizonsDays),
    spend: params.gammaGamma ? expectedAverageSpend(params.gammaGamma, c) : ownAverage,
  };
};

export function bgnbdGammaGammaModel(dist: {
  purchase: LogNormalParameters;
  spend: LogNormalParameters | null;
}): ForecastModel<BgNbdGammaGammaParams> | null {
  const purchaseSampler = logNormalSampler(dist.purchase);
  const spendSampler = dist.spend ? logNormalSampler(dist.spend) : null;
  if (!purchaseSampler || (dist.spend && !spendSampler)) return null;
  return {
    sample(rng: Rng): BgNbdGammaGammaParams {
      const d = purchaseSampler(rng);
      const bgnbd = { r: d.r, alpha: d.alpha, a: d.a, b: d.b };
      if (!spendSampler) return { bgnbd, gammaGamma: null };
      let s = spendSampler(rng);
      for (let i = 0; i < MAX_SPEND_REDRAWS && !(s.q > 1); i++) s = spendSampler(rng);
      return { bgnbd, gammaGamma: { p: s.p, q: s.q, v: s.v } };
    },
    predict: bgnbdGammaGammaPredict,
  };
}

/** The stored description of a shop's ranges (without the shop-level range, which the caller adds). */
export function storedUncertainty(
  point: BgNbdGammaGammaParams,
  summaries: readonly CustomerSummary[],
): Omit<StoredUncertainty, "revenue12Months"> | null {
  const dist = bgnbdGammaGammaDistributions(point, summaries);
  if (!dist) return null;
  return {
    method: "parametric-bootstrap",
    model: "bgnbd",
    level: INTERVAL_LEVEL,
    draws: BOOTSTRAP_DRAWS,
    seed: BOOTSTRAP_SEED,
    ...dist,
  };
}
