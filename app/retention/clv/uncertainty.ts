/**
 * How sure a CLV forecast is: a parametric bootstrap over the parameters' sampling distribution. A fitted
 * model's log-parameters are asymptotically normal with covariance = inverse Hessian of the negative
 * log-likelihood at the optimum; drawing parameters from it and predicting under each draw gives the spread
 * of every forecast that comes from not knowing the parameters exactly.
 *
 * What it does NOT cover: the randomness of the purchases themselves (a customer expected to buy 1.2 times
 * will buy 0, 1, 2… times) and model misspecification. The ranges answer "how much could this expected value
 * be off because the shop's history is finite", which is what shrinks as a shop grows.
 *
 * Model-agnostic: anything that can draw its parameters (`sample`) and predict one customer under given
 * parameters (`predict`) gets customer and shop ranges (see ForecastModel).
 */
import { mulberry32, normalSample, type Rng } from "../random";
import { DAYS_PER_YEAR } from "../time";
import { invertMatrix, numericalHessian } from "./optimize";
import type { CustomerSummary } from "./summary";

/** Ranges are central 80% intervals: 1 in 10 chance of falling below `low`, 1 in 10 above `high`. */
export const INTERVAL_LEVEL = 0.8;
/** Draws per range: enough for stable 10th/90th percentiles (± ~2 percentile points), cheap enough to run on read. */
export const BOOTSTRAP_DRAWS = 200;
/** Fixed seed: the same shop state always gives the same ranges, on the dashboard and on every customer page. */
export const BOOTSTRAP_SEED = 19;
/** Bound on predictions for the shop-wide range (draws × customers); larger shops use a systematic sample. */
export const SHOP_RANGE_BUDGET = 400_000;

export interface Interval {
  low: number;
  high: number;
}

/** A model's forecast of one customer: cumulative expected purchases at each horizon, and value per purchase. */
export interface CustomerForecast {
  purchases: number[];
  spend: number;
}

/** What a model offers the bootstrap: a parameter sampler and a predict function. */
export interface ForecastModel<P> {
  /** One draw of the parameters from their sampling distribution. */
  sample(rng: Rng): P;
  /** Cumulative expected purchases at each horizon (days from the customer's T) and expected spend per purchase. */
  predict(params: P, customer: CustomerSummary, horizonsDays: readonly number[]): CustomerForecast;
}

/** Normal distribution of named log-parameters (what is stored in the model state). */
export interface LogNormalParameters {
  names: string[];
  logMean: number[];
  covariance: number[][];
  /**
   * The fit's search box on the log scale: the estimate can never leave it, so neither may a draw (a truncated
   * normal). Along a ridge (a and b both large, only a/(a+b) identified) the untruncated normal reaches e^50.
   */
  lower?: number[];
  upper?: number[];
}

export interface BootstrapOptions {
  draws?: number;
  seed?: number;
  level?: number;
}

/** Lower Cholesky factor of a symmetric positive-definite matrix; null when it is not positive definite. */
export function cholesky(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        l[i][i] = Math.sqrt(sum);
      } else {
        l[i][j] = sum / l[j][j];
      }
    }
  }
  return l;
}

/**
 * The sampling distribution of log-parameters at a maximum-likelihood fit: mean = the fit, covariance =
 * inverse Hessian of the *total* negative log-likelihood. Null when the information matrix is not positive
 * definite (a flat direction: the data do not pin that parameter down, and no honest range exists).
 */
export function logParameterDistribution(
  negativeLogLikelihood: (logTheta: number[]) => number,
  names: string[],
  point: Readonly<Record<string, number>>,
  box?: { lower: number[]; upper: number[] },
): LogNormalParameters | null {
  const logMean = names.map((name) => Math.log(point[name]));
  if (!logMean.every(Number.isFinite)) return null;
  const covariance = invertMatrix(numericalHessian(negativeLogLikelihood, logMean));
  if (!covariance || !covariance.every((row) => row.every(Number.isFinite))) return null;
  // Symmetrise away round-off before factorising.
  const symmetric = covariance.map((row, i) => row.map((v, j) => (v + covariance[j][i]) / 2));
  if (!cholesky(symmetric)) return null;
  return { names, logMean, covariance: symmetric, ...box };
}

/** Whole-vector redraws before a draw outside the box is clamped into it. */
const MAX_BOX_REDRAWS = 50;

/**
 * A sampler of named parameters exp(μ + L z), z standard normal, redrawn while outside the box. Null when the
 * covariance cannot be factorised.
 */
export function logNormalSampler(dist: LogNormalParameters): ((rng: Rng) => Record<string, number>) | null {
  const l = cholesky(dist.covariance);
  if (!l) return null;
  const n = dist.names.length;
  const lower = dist.lower ?? new Array<number>(n).fill(-Infinity);
  const upper = dist.upper ?? new Array<number>(n).fill(Infinity);
  const drawLog = (rng: Rng) => {
    const z = Array.from({ length: n }, () => normalSample(rng));
    return dist.logMean.map((mean, i) => {
      let value = mean;
      for (let k = 0; k <= i; k++) value += l[i][k] * z[k];
      return value;
    });
  };
  const inside = (values: number[]) => values.every((v, i) => v >= lower[i] && v <= upper[i]);
  return (rng) => {
    let values = drawLog(rng);
    for (let attempt = 0; attempt < MAX_BOX_REDRAWS && !inside(values); attempt++) values = drawLog(rng);
    const params: Record<string, number> = {};
    values.forEach((v, i) => (params[dist.names[i]] = Math.exp(Math.min(upper[i], Math.max(lower[i], v)))));
    return params;
  };
}

/** Linear-interpolated quantile of sorted values (type 7, as R and NumPy default). */
function quantileOfSorted(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Central percentile interval of the finite values; null when fewer than half the draws gave one. */
export function percentileInterval(values: readonly number[], level = INTERVAL_LEVEL, draws = values.length): Interval | null {
  const finite = values.filter(Number.isFinite).sort((p, q) => p - q);
  if (finite.length === 0 || finite.length < draws / 2) return null;
  const tail = (1 - level) / 2;
  return { low: quantileOfSorted(finite, tail), high: quantileOfSorted(finite, 1 - tail) };
}

/** The `draws` parameter draws of one bootstrap (same seed, same draws: every range of a shop uses the same ones). */
export function parameterDraws<P>(model: Pick<ForecastModel<P>, "sample">, options: BootstrapOptions = {}): P[] {
  const rng = mulberry32(options.seed ?? BOOTSTRAP_SEED);
  return Array.from({ length: options.draws ?? BOOTSTRAP_DRAWS }, () => model.sample(rng));
}

export interface HorizonOptions {
  horizonMonths: number;
  monthlyDiscountRate: number;
}

/** Undiscounted purchases over the horizon and discounted value (CLV), as predictive.ts computes them. */
export function horizonValue(model: Pick<ForecastModel<unknown>, "predict">, params: unknown, c: CustomerSummary, options: HorizonOptions) {
  const monthDays = DAYS_PER_YEAR / 12;
  const horizons = Array.from({ length: options.horizonMonths }, (_, m) => (m + 1) * monthDays);
  const { purchases, spend } = model.predict(params, c, horizons);
  let discounted = 0;
  let previous = 0;
  let discount = 1;
  for (const cumulative of purchases) {
    discount /= 1 + options.monthlyDiscountRate;
    discounted += (cumulative - previous) * discount;
    previous = cumulative;
  }
  return { purchases: previous, clv: discounted * spend };
}

/** Ranges of one customer's expected purchases and predictive CLV over the horizon. */
export function customerIntervals<P>(
  model: ForecastModel<P>,
  c: CustomerSummary,
  options: HorizonOptions & BootstrapOptions,
): { purchases: Interval; clv: Interval; level: number } | null {
  const level = options.level ?? INTERVAL_LEVEL;
  const purchases: number[] = [];
  const clv: number[] = [];
  for (const params of parameterDraws(model, options)) {
    const value = horizonValue(model, params, c, options);
    purchases.push(value.purchases);
    clv.push(value.clv);
  }
  const p = percentileInterval(purchases, level);
  const v = percentileInterval(clv, level);
  return p && v ? { purchases: p, clv: v, level } : null;
}

function systematicSample<T>(items: readonly T[], size: number): T[] {
  if (items.length <= size) return items.slice();
  const stride = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * stride)]);
}

/**
 * Range of the shop's expected revenue over the next 12 months (Σ expected purchases × expected spend), the
 * figure score.ts reports as predictedRevenue12Months. Above the budget, a systematic sample of customers
 * carries the relative spread: range = full point × (sample under draw / sample under the point parameters).
 */
export function shopRevenueInterval<P>(
  model: ForecastModel<P>,
  point: P,
  customers: readonly CustomerSummary[],
  options: BootstrapOptions & { budget?: number; pointRevenue?: number } = {},
): Interval | null {
  if (customers.length === 0) return null;
  const draws = parameterDraws(model, options);
  const size = Math.max(1, Math.floor((options.budget ?? SHOP_RANGE_BUDGET) / Math.max(draws.length, 1)));
  const sample = systematicSample(customers, size);
  const revenue = (params: P, of: readonly CustomerSummary[]) => {
    let total = 0;
    for (const c of of) {
      const { purchases, spend } = model.predict(params, c, [DAYS_PER_YEAR]);
      total += purchases[0] * spend;
    }
    return total;
  };
  const interval = percentileInterval(
    draws.map((params) => revenue(params, sample)),
    options.level ?? INTERVAL_LEVEL,
  );
  if (!interval || sample.length === customers.length) return interval;
  const pointSample = revenue(point, sample);
  if (!(pointSample > 0)) return null;
  // The caller usually has the full point figure already (score.ts): one pass over every customer saved.
  const scale = (options.pointRevenue ?? revenue(point, customers)) / pointSample;
  return { low: interval.low * scale, high: interval.high * scale };
}
