/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007; BTYDplus `mbgcnbd` with k = 1): BG/NBD whose customers may also
 * drop out right after their first purchase, so one-time buyers are not all assumed alive. With dropout
 * p ~ Beta(a, b) at each of x + 1 opportunities:
 *   L = Γ(r+x) α^r / Γ(r) · B(a, b+x+1) / B(a, b) · [ (α+T)^−(r+x) + a/(b+x) · (α+t_x)^−(r+x) ].
 * Its conditional expectations are BG/NBD's with b + 1 in place of b and the dropout term for every x.
 */
import { expectedPurchases as bgnbdExpectedPurchases, type BgNbdData, type BgNbdParams } from "./bgnbd";
import { fitLogParameters, forEachGroup, type LogFit, type LogFitSpec } from "./log-fit";
import type { FrequencyRecency } from "./summary";

/** Same names as BG/NBD's (r, α: purchase rate; a, b: dropout), different meaning of the dropout moment. */
export type MbgNbdParams = BgNbdParams;
export type MbgNbdFit = LogFit<MbgNbdParams>;

/**
 * Total log-likelihood, with ∂/∂(r, α, a, b) when `gradient` is given. ln B(a, b+x+1) − ln B(a, b) is the finite
 * sum −Σ_{k≤x} ln(1 + a/(b+k)); with w the share of the "dropped out after t_x" term, the bracket adds
 * −(1−w) ln(α+T) − w ln(α+t_x) to ∂r, −(r+x)[(1−w)/(α+T) + w/(α+t_x)] to ∂α, w/a to ∂a and −w/(b+x) to ∂b.
 */
export function mbgNbdLogLikelihood(params: MbgNbdParams, data: BgNbdData, gradient?: Float64Array): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return Number.NaN;
  // Count terms cumulated once up to the largest x (x ≤ a few thousand in any shop; the BG/NBD module's lgamma
  // path for larger x is not needed at the app's scale, where x counts purchase days).
  let maxX = 0;
  for (let i = 0; i < data.xValues.length; i++) maxX = Math.max(maxX, data.xValues[i]);
  const logPoch = new Float64Array(maxX + 1);
  const dPoch = new Float64Array(maxX + 1);
  const logBeta = new Float64Array(maxX + 1);
  const dBetaA = new Float64Array(maxX + 1);
  const dBetaB = new Float64Array(maxX + 1);
  logBeta[0] = -Math.log1p(a / b);
  dBetaA[0] = -1 / (a + b);
  dBetaB[0] = a / (b * (a + b));
  for (let k = 1; k <= maxX; k++) {
    logPoch[k] = logPoch[k - 1] + Math.log(r + k - 1);
    dPoch[k] = dPoch[k - 1] + 1 / (r + k - 1);
    logBeta[k] = logBeta[k - 1] - Math.log1p(a / (b + k));
    dBetaA[k] = dBetaA[k - 1] - 1 / (a + b + k);
    dBetaB[k] = dBetaB[k - 1] + a / ((b + k) * (a + b + k));
  }
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  let total = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  forEachGroup(data, (x, tx, T, weight) => {
    const rx = r + x;
    const logAT = Math.log(alpha + T);
    const logATx = Math.log(alpha + tx);
    const u = -rx * logAT;
    const v = logA - Math.log(b + x) - rx * logATx;
    const e = Math.exp(-Math.abs(u - v));
    total += weight * (logPoch[x] + r * logAlpha + logBeta[x] + (u > v ? u : v) + Math.log1p(e));
    if (!gradient) return;
    const wv = u > v ? e / (1 + e) : 1 / (1 + e);
    const wu = 1 - wv;
    gr += weight * (dPoch[x] + logAlpha - wu * logAT - wv * logATx);
    galpha += weight * (r / alpha - rx * (wu / (alpha + T) + wv / (alpha + tx)));
    ga += weight * (dBetaA[x] + wv / a);
    gb += weight * (dBetaB[x] - wv / (b + x));
  });
  if (gradient) {
    gradient[0] = gr;
    gradient[1] = galpha;
    gradient[2] = ga;
    gradient[3] = gb;
  }
  return total;
}

const LOG_LIMIT = 10;
const LOG_LIMIT_ALPHA = 14;

const spec: LogFitSpec<MbgNbdParams> = {
  names: ["r", "alpha", "a", "b"],
  logLikelihood: mbgNbdLogLikelihood,
  starts: (d) => {
    const perPurchase = d.sumT / Math.max(d.sumX, 1);
    return [
      { r: 1, alpha: perPurchase, a: 1, b: 1 },
      { r: 0.3, alpha: 0.3 * perPurchase, a: 0.8, b: 2.5 },
      { r: 2, alpha: 2 * perPurchase, a: 0.3, b: 5 },
    ];
  },
  bounds: (d) => {
    const perPurchase = Math.log(d.sumT / Math.max(d.sumX, 1));
    return {
      lower: [-LOG_LIMIT, perPurchase - LOG_LIMIT_ALPHA, -LOG_LIMIT, -LOG_LIMIT],
      upper: [LOG_LIMIT, perPurchase + LOG_LIMIT_ALPHA, LOG_LIMIT, LOG_LIMIT],
    };
  },
  gradientTolerance: 1e-7,
};

export function fitMbgNbd(customers: readonly FrequencyRecency[], options: { minRepeatBuyers?: number } = {}): MbgNbdFit {
  return fitLogParameters(spec, customers, options);
}

/** P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), for one-time buyers too. */
export function mbgNbdProbabilityAlive(params: MbgNbdParams, c: FrequencyRecency): number {
  const { r, alpha, a, b } = params;
  const x = c.frequency;
  const gap = c.T - c.recency;
  const logRatio = gap === 0 ? 0 : Math.log1p(gap / (alpha + c.recency));
  const logOdds = Math.log(a) - Math.log(b + x) + (r + x) * logRatio;
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in (T, T+t] (Batislam et al. 2007, eq. 10): BG/NBD's closed form with b + 1 for b, times
 * MBG/NBD's P(alive) — so BG/NBD's numerically guarded implementation is reused as it is.
 */
export function mbgNbdExpectedPurchases(
  params: MbgNbdParams,
  c: FrequencyRecency,
  t: number,
  alive = mbgNbdProbabilityAlive(params, c),
): number {
  return bgnbdExpectedPurchases({ ...params, b: params.b + 1 }, c, t, alive);
}
