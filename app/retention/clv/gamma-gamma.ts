/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013 note 025):
 * each transaction's value z ~ Gamma(p, ν), each customer's ν ~ Gamma(q, γ) (γ is written v here).
 * Fitted on repeat buyers only, from x (repeat purchases) and zbar (their mean value).
 */
import { lgamma } from "./special";
import { invertMatrix, minimizeMultiStart, numericalHessian } from "./optimize";
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
  /** Parameters that ended at the search limits (e^±10; v: e^±14 around the mean spend). */
  parametersAtLimit: (keyof GammaGammaParams)[];
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
  const sample = spendSample(customers)
    .slice()
    .sort((p, q) => p.frequency - q.frequency);
  const xValues: number[] = [];
  const groupStart: number[] = [];
  const sumLogZbar: number[] = [];
  const zbar = new Float64Array(sample.length);
  sample.forEach((c, i) => {
    if (xValues.length === 0 || xValues[xValues.length - 1] !== c.frequency) {
      xValues.push(c.frequency);
      groupStart.push(i);
      sumLogZbar.push(0);
    }
    zbar[i] = c.monetaryValue;
    sumLogZbar[sumLogZbar.length - 1] += Math.log(c.monetaryValue);
  });
  groupStart.push(sample.length);
  return {
    customers: sample.length,
    xValues: Float64Array.from(xValues),
    groupStart: Int32Array.from(groupStart),
    zbar,
    sumLogZbar: Float64Array.from(sumLogZbar),
  };
}

/**
 * Log-likelihood of the observed averages (repeat buyers with zbar > 0 only):
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln zbar + px ln x − (px+q) ln(v + x·zbar).
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: GammaGammaData | readonly SpendObservation[]): number {
  const d = "xValues" in data ? data : aggregateGammaGamma(data);
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return Number.NaN;
  let total = d.customers * (q * Math.log(v) - lgamma(q));
  for (let g = 0; g < d.xValues.length; g++) {
    const x = d.xValues[g];
    const px = p * x;
    const start = d.groupStart[g];
    const end = d.groupStart[g + 1];
    total += (end - start) * (lgamma(px + q) - lgamma(px) + px * Math.log(x)) + (px - 1) * d.sumLogZbar[g];
    let logs = 0;
    for (let i = start; i < end; i++) logs += Math.log(v + x * d.zbar[i]);
    total -= (px + q) * logs;
  }
  return total;
}

export function pearsonCorrelation(xs: readonly number[], ys: readonly number[]): number | null {
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
  const sample = spendSample(customers);
  const data = aggregateGammaGamma(sample);
  const minCustomers = options.minCustomers ?? MIN_SPEND_CUSTOMERS;
  const correlation = pearsonCorrelation(
    sample.map((c) => c.frequency),
    sample.map((c) => c.monetaryValue),
  );
  if (sample.length < minCustomers) {
    return {
      status: "insufficient",
      reason: `Only ${sample.length} repeat buyers with a positive order value; the spend model needs at least ${minCustomers}.`,
      customers: sample.length,
      minCustomers,
      customersNeeded: minCustomers - sample.length,
      frequencySpendCorrelation: correlation,
    };
  }
  // Starts around a method-of-moments guess: with p fixed, the mean average spend is ≈ p·v/(q−1).
  const meanSpend = sample.reduce((sum, c) => sum + c.monetaryValue, 0) / sample.length;
  const starts: GammaGammaParams[] = [
    { p: 1, q: 1, v: 1 },
    { p: 2, q: 3, v: meanSpend },
    { p: 6, q: 4, v: meanSpend / 2 },
  ];
  const perCustomer = 1 / sample.length;
  const objective = (t: number[]): number =>
    -gammaGammaLogLikelihood({ p: Math.exp(t[0]), q: Math.exp(t[1]), v: Math.exp(t[2]) }, data) * perCustomer;
  const result = minimizeMultiStart(
    objective,
    starts.map((s) => [Math.log(s.p), Math.log(s.q), Math.log(s.v)]),
    {
      step: 0.5,
      refineStep: 0.1,
      fTolerance: 1e-12,
      xTolerance: 1e-6,
      exploreFTolerance: 1e-6,
      exploreXTolerance: 1e-2,
      // A box keeps degenerate inputs (e.g. every order the same value) from drifting to infinity.
      lower: [-LOG_LIMIT, -LOG_LIMIT, Math.log(meanSpend) - LOG_LIMIT_V],
      upper: [LOG_LIMIT, LOG_LIMIT, Math.log(meanSpend) + LOG_LIMIT_V],
    },
  );
  const params = { p: Math.exp(result.x[0]), q: Math.exp(result.x[1]), v: Math.exp(result.x[2]) };
  return {
    status: "fitted",
    ...params,
    logLikelihood: gammaGammaLogLikelihood(params, data),
    converged: result.converged,
    parametersAtLimit: result.atBounds.map((i) => (["p", "q", "v"] as const)[i]),
    customers: sample.length,
    frequencySpendCorrelation: correlation ?? 0,
    meanSpend: params.q > 1 ? (params.p * params.v) / (params.q - 1) : null,
  };
}

/**
 * E[spend per transaction | x, zbar] = p(v + x·zbar) / (px + q − 1): a weighted average of the population
 * mean and the customer's own average (x = 0 gives the population mean). Needs px + q > 1.
 */
export function expectedAverageSpend(params: GammaGammaParams, c: SpendObservation): number {
  const { p, q, v } = params;
  const x = c.frequency > 0 && c.monetaryValue > 0 ? c.frequency : 0;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return Number.NaN;
  return (p * (v + x * (x > 0 ? c.monetaryValue : 0))) / denominator;
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
