/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013 note 025):
 * each transaction's value z ~ Gamma(p, ν), each customer's ν ~ Gamma(q, γ) (γ is written v here).
 * Fitted on repeat buyers only, from x (repeat purchases) and zbar (their mean value).
 */
import { digamma, lgamma } from "./special";
import { ValueIndex } from "./value-index";
import { invertMatrix, minimizeBfgsMultiStart, numericalHessian, type ValueAndGradient } from "./optimize";
import type { GammaGammaParams } from "./simulate";

export type { GammaGammaParams } from "./simulate";

/**
 * Three parameters, identified from the spread of average order values across customers and how it narrows
 * with x; 30 repeat buyers (10 per parameter) is the floor below which q — and with it the expected spend
 * p·v/(q−1) — is too noisy to be better than the customer's own average.
 */
export const MIN_SPEND_CUSTOMERS = 30;

const LOG_LIMIT = 10;
const LOG_LIMIT_V = 14;

export interface SpendObservation {
  /** Repeat purchases (x > 0 only are used). */
  frequency: number;
  /** Mean value of the repeat purchases (zbar). */
  monetaryValue: number;
}

export interface GammaGammaFitted extends GammaGammaParams {
  status: "fitted";
  logLikelihood: number;
  converged: boolean;
  /** Largest slope of the mean log-likelihood in log-parameters at the answer, bar slopes out of the box. */
  gradientMax: number;
  /** Parameters that ended at the search limits (e^±10; v: e^±14 around the mean spend). */
  parametersAtLimit: (keyof GammaGammaParams)[];
  iterations: number;
  /** Likelihood evaluations (each with its gradient), exploring the starts included. */
  evaluations: number;
  customers: number;
  /**
   * Pearson correlation of frequency and average spend among the customers used. The model assumes they are
   * independent; |ρ| above ~0.3 is worth telling the merchant about.
   */
  frequencySpendCorrelation: number;
  /** Population mean spend per transaction p·v/(q − 1); null when q ≤ 1 (the mean does not exist). */
  meanSpend: number | null;
}

export interface GammaGammaInsufficient {
  status: "insufficient";
  reason: string;
  customers: number;
  minCustomers: number;
  customersNeeded: number;
  frequencySpendCorrelation: number | null;
}

export type GammaGammaFit = GammaGammaFitted | GammaGammaInsufficient;

/** Repeat buyers with a positive average (zero-value orders would put log(0) in the likelihood). */
export function spendSample<T extends SpendObservation>(customers: readonly T[]): T[] {
  return customers.filter((c) => c.frequency > 0 && c.monetaryValue > 0 && Number.isFinite(c.monetaryValue));
}

/** Repeat buyers' (x, zbar) grouped by x, with ln zbar precomputed, for fast repeated likelihood evaluation. */
export interface GammaGammaData {
  customers: number;
  xValues: Float64Array;
  /** Start offset of each x group in zbar / logZbar (length xValues.length + 1). */
  groupStart: Int32Array;
  zbar: Float64Array;
  /** Σ ln zbar per x group. */
  sumLogZbar: Float64Array;
}

export function aggregateGammaGamma(customers: readonly SpendObservation[]): GammaGammaData {
  // Group by x without sorting objects: index the distinct x, count, then place each zbar in its group.
  const n = customers.length;
  const xIndex = new ValueIndex(64);
  const groupOf = new Int32Array(n).fill(-1);
  let used = 0;
  for (let k = 0; k < n; k++) {
    const c = customers[k];
    if (!(c.frequency > 0 && c.monetaryValue > 0 && Number.isFinite(c.monetaryValue))) continue;
    groupOf[k] = xIndex.indexOf(c.frequency);
    used += 1;
  }
  const groups = xIndex.size;
  const groupStart = new Int32Array(groups + 1);
  for (let k = 0; k < n; k++) if (groupOf[k] >= 0) groupStart[groupOf[k] + 1] += 1;
  for (let g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
  const next = groupStart.slice(0, groups);
  const zbar = new Float64Array(used);
  const sumLogZbar = new Float64Array(groups);
  for (let k = 0; k < n; k++) {
    const g = groupOf[k];
    if (g < 0) continue;
    const value = customers[k].monetaryValue;
    zbar[next[g]++] = value;
    sumLogZbar[g] += Math.log(value);
  }
  return { customers: used, xValues: xIndex.distinct(), groupStart, zbar, sumLogZbar };
}

/** Every k-th customer of each x group, so exploration sees the same mix of x at a fraction of the cost. */
function subsampleGammaGamma(data: GammaGammaData, size: number): GammaGammaData {
  const stride = data.customers / size;
  const groups = data.xValues.length;
  const groupStart = new Int32Array(groups + 1);
  const zbar: number[] = [];
  const sumLogZbar = new Float64Array(groups);
  let position = 0;
  for (let g = 0; g < groups; g++) {
    for (let i = data.groupStart[g]; i < data.groupStart[g + 1]; i++) {
      if (i < position) continue;
      zbar.push(data.zbar[i]);
      sumLogZbar[g] += Math.log(data.zbar[i]);
      position += stride;
    }
    groupStart[g + 1] = zbar.length;
  }
  return { customers: zbar.length, xValues: data.xValues, groupStart, zbar: Float64Array.from(zbar), sumLogZbar };
}

/**
 * Log-likelihood of the observed averages (repeat buyers with zbar > 0 only):
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln zbar + px ln x − (px+q) ln(v + x·zbar).
 * With `gradient` (length 3) it also writes ∂/∂(p, q, v).
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  data: GammaGammaData | readonly SpendObservation[],
  gradient?: Float64Array | number[],
): number {
  const d = "xValues" in data ? data : aggregateGammaGamma(data);
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  const withGradient = gradient !== undefined;
  const logV = Math.log(v);
  let total = d.customers * (q * logV - lgamma(q));
  let gp = 0;
  let gq = withGradient ? d.customers * (logV - digamma(q)) : 0;
  let gv = (d.customers * q) / v;
  for (let g = 0; g < d.xValues.length; g++) {
    const x = d.xValues[g];
    const px = p * x;
    const start = d.groupStart[g];
    const end = d.groupStart[g + 1];
    const count = end - start;
    const logX = Math.log(x);
    total += count * (lgamma(px + q) - lgamma(px) + px * logX) + (px - 1) * d.sumLogZbar[g];
    let logs = 0;
    let inverses = 0;
    for (let i = start; i < end; i++) {
      const s = v + x * d.zbar[i];
      logs += Math.log(s);
      if (withGradient) inverses += 1 / s;
    }
    total -= (px + q) * logs;
    if (withGradient) {
      const psiPXQ = digamma(px + q);
      gp += x * (count * (psiPXQ - digamma(px) + logX) + d.sumLogZbar[g] - logs);
      gq += count * psiPXQ - logs;
      gv -= (px + q) * inverses;
    }
  }
  if (gradient !== undefined) {
    gradient[0] = gp;
    gradient[1] = gq;
    gradient[2] = gv;
  }
  return total;
}

export function pearsonCorrelation(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
  const n = xs.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] / n;
    my += ys[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

export interface GammaGammaFitOptions {
  minCustomers?: number;
}

/** Maximum-likelihood Gamma-Gamma fit on repeat buyers (others are ignored), or "insufficient". */
export function fitGammaGamma(customers: readonly SpendObservation[], options: GammaGammaFitOptions = {}): GammaGammaFit {
  const data = aggregateGammaGamma(customers);
  const minCustomers = options.minCustomers ?? MIN_SPEND_CUSTOMERS;
  const frequencies = new Float64Array(data.customers);
  for (let g = 0; g < data.xValues.length; g++) frequencies.fill(data.xValues[g], data.groupStart[g], data.groupStart[g + 1]);
  const correlation = pearsonCorrelation(frequencies, data.zbar);
  if (data.customers < minCustomers) {
    return {
      status: "insufficient",
      reason: `Only ${data.customers} repeat buyers with a positive order value; the spend model needs at least ${minCustomers}.`,
      customers: data.customers,
      minCustomers,
      customersNeeded: minCustomers - data.customers,
      frequencySpendCorrelation: correlation,
    };
  }
  // Starts around a method-of-moments guess: with p fixed, the mean average spend is ≈ p·v/(q−1).
  let meanSpend = 0;
  for (let i = 0; i < data.customers; i++) meanSpend += data.zbar[i] / data.customers;
  const starts: GammaGammaParams[] = [
    { p: 1, q: 1, v: 1 },
    { p: 2, q: 3, v: meanSpend },
    { p: 6, q: 4, v: meanSpend / 2 },
  ];
  const exploreData = data.customers > EXPLORE_SAMPLE_SIZE ? subsampleGammaGamma(data, EXPLORE_SAMPLE_SIZE) : data;
  const result = minimizeBfgsMultiStart(
    meanNegativeLogLikelihood(data),
    starts.map((s) => [Math.log(s.p), Math.log(s.q), Math.log(s.v)]),
    {
      exploreFg: exploreData === data ? undefined : meanNegativeLogLikelihood(exploreData),
      // A box keeps degenerate inputs (e.g. every order the same value) from drifting to infinity.
      lower: [-LOG_LIMIT, -LOG_LIMIT, Math.log(meanSpend) - LOG_LIMIT_V],
      upper: [LOG_LIMIT, LOG_LIMIT, Math.log(meanSpend) + LOG_LIMIT_V],
      gradientTolerance: GRADIENT_TOLERANCE,
      exploreGradientTolerance: 1e-3,
      maxIterations: 500,
    },
  );
  const params = { p: Math.exp(result.x[0]), q: Math.exp(result.x[1]), v: Math.exp(result.x[2]) };
  return {
    status: "fitted",
    ...params,
    logLikelihood: gammaGammaLogLikelihood(params, data),
    converged: result.converged,
    gradientMax: result.gradientMax,
    parametersAtLimit: result.atBounds.map((i) => (["p", "q", "v"] as const)[i]),
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers: data.customers,
    frequencySpendCorrelation: correlation ?? 0,
    meanSpend: params.q > 1 ? (params.p * params.v) / (params.q - 1) : null,
  };
}

/** Enough repeat buyers to tell good starting points from bad ones; refinement uses everyone. */
const EXPLORE_SAMPLE_SIZE = 10_000;

/** Converged means every slope of the mean log-likelihood in log-parameters is at most this (bar those out of the box). */
const GRADIENT_TOLERANCE = 1e-7;

/** −(mean log-likelihood) over log-parameters with its analytic gradient, for the optimizer. */
function meanNegativeLogLikelihood(data: GammaGammaData): ValueAndGradient {
  const scale = -1 / data.customers;
  const g = new Float64Array(3);
  return (theta, gradient) => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const v = Math.exp(theta[2]);
    const value = gammaGammaLogLikelihood({ p, q, v }, data, g) * scale;
    gradient[0] = g[0] * p * scale;
    gradient[1] = g[1] * q * scale;
    gradient[2] = g[2] * v * scale;
    return value;
  };
}

/**
 * E[spend per transaction | x, zbar] = p(v + x·zbar) / (px + q − 1): a weighted average of the population
 * mean and the customer's own average (x = 0 gives the population mean). Needs px + q > 1.
 */
export function expectedAverageSpend(params: GammaGammaParams, c: SpendObservation): number {
  return expectedAverageSpendAt(params, c.frequency, c.monetaryValue);
}

/** expectedAverageSpend on plain numbers, for the scoring kernel's hot loop. */
export function expectedAverageSpendAt(params: GammaGammaParams, frequency: number, monetaryValue: number): number {
  const { p, q, v } = params;
  const x = frequency > 0 && monetaryValue > 0 ? frequency : 0;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return Number.NaN;
  return (p * (v + x * (x > 0 ? monetaryValue : 0))) / denominator;
}

/** Asymptotic standard errors of log p, log q, log v at a fit; null when the information matrix is singular. */
export function gammaGammaLogParameterStandardErrors(
  params: GammaGammaParams,
  customers: readonly SpendObservation[] | GammaGammaData,
): { p: number; q: number; v: number } | null {
  const data = "xValues" in customers ? customers : aggregateGammaGamma(customers);
  const negLL = (t: number[]): number => -gammaGammaLogLikelihood({ p: Math.exp(t[0]), q: Math.exp(t[1]), v: Math.exp(t[2]) }, data);
  const covariance = invertMatrix(numericalHessian(negLL, [Math.log(params.p), Math.log(params.q), Math.log(params.v)]));
  if (!covariance) return null;
  const se = covariance.map((row, i) => Math.sqrt(row[i]));
  if (!se.every(Number.isFinite)) return null;
  return { p: se[0], q: se[1], v: se[2] };
}
