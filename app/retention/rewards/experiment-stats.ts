/**
 * The statistics of a rule's holdout experiment, as a merchant can trust them:
 *
 * - a purchase rate's 95% interval is Wilson's score interval (Wilson 1927; method 3 of Newcombe 1998a);
 * - the difference of two rates is Newcombe's hybrid score interval (method 10 of Newcombe 1998,
 *   "Interval estimation for the difference between independent proportions", Stat Med 17:873–890),
 *   which keeps its coverage for small arms and rates near 0, where the textbook Wald interval fails;
 * - the difference in revenue per eligible customer is Welch's unequal-variance interval with the
 *   normal quantile (customers who bought nothing count as 0), fine for arms of tens of customers up;
 * - planning (minimum detectable effect, customers needed, run length) uses the unpooled normal
 *   approximation at two-sided alpha 0.05 and power 0.8.
 */

/** Two-sided 95%: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;
/** Power 0.8: the 0.8 quantile of the standard normal. */
export const Z_POWER_80 = 0.8416212335729143;

export interface Interval {
  lower: number;
  upper: number;
}

export interface Estimate extends Interval {
  /** Treated minus held out (rates: 0.05 is five percentage points). */
  difference: number;
}

/** Wilson's score interval for `successes` of `n`; null without observations. */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
  if (!(n > 0) || successes < 0 || successes > n) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval (method 10) for p1 − p2 of two independent groups; null if a group is empty. */
export function rateDifference(x1: number, n1: number, x2: number, n2: number, z = Z_95): Estimate | null {
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  if (!w1 || !w2) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const difference = p1 - p2;
  return {
    difference,
    lower: difference - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: difference + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

/** Running sums of one arm's per-customer values (revenue), enough for a mean and a variance. */
export interface Moments {
  n: number;
  sum: number;
  sumOfSquares: number;
}

export const NO_MOMENTS: Moments = { n: 0, sum: 0, sumOfSquares: 0 };

export function addMoment(m: Moments, value: number): Moments {
  return { n: m.n + 1, sum: m.sum + value, sumOfSquares: m.sumOfSquares + value * value };
}

function sampleVariance(m: Moments): number {
  return Math.max(0, (m.sumOfSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
}

/** Welch's interval for mean(a) − mean(b) with the normal quantile; null with fewer than two values in an arm. */
export function meanDifference(a: Moments, b: Moments, z = Z_95): Estimate | null {
  if (a.n < 2 || b.n < 2) return null;
  const difference = a.sum / a.n - b.sum / b.n;
  const half = z * Math.sqrt(sampleVariance(a) / a.n + sampleVariance(b) / b.n);
  return { difference, lower: difference - half, upper: difference + half };
}

/** Half the width of the 95% interval of a rate difference at `eligible` customers, when both arms buy at `baseRate`. */
export function intervalHalfWidth(baseRate: number, eligible: number, holdoutShare: number, z = Z_95): number | null {
  if (!(eligible > 0) || !(holdoutShare > 0 && holdoutShare < 1)) return null;
  const variance = baseRate * (1 - baseRate);
  return z * Math.sqrt(variance / (eligible * (1 - holdoutShare)) + variance / (eligible * holdoutShare));
}

/**
 * Eligible customers (both arms together) needed to detect a lift of `lift` over `baseRate` with a
 * two-sided 5% test at 80% power, `holdoutShare` of them held out; null when it cannot be planned.
 */
export function customersToDetect(baseRate: number, lift: number, holdoutShare: number): number | null {
  const treatedRate = baseRate + lift;
  if (!(lift !== 0) || !(holdoutShare > 0 && holdoutShare < 1) || !(baseRate > 0 && baseRate < 1)) return null;
  if (!(treatedRate > 0 && treatedRate < 1)) return null;
  const perCustomer = (treatedRate * (1 - treatedRate)) / (1 - holdoutShare) + (baseRate * (1 - baseRate)) / holdoutShare;
  return Math.ceil(((Z_95 + Z_POWER_80) ** 2 * perCustomer) / (lift * lift));
}

/**
 * The smallest lift (in rate, upward) that `eligible` customers detect at 80% power; null when even
 * the largest possible lift would go unseen, or nothing can be planned.
 */
export function minimumDetectableEffect(baseRate: number, eligible: number, holdoutShare: number): number | null {
  if (!(eligible > 0)) return null;
  let high = 1 - baseRate - 1e-9;
  const atHigh = customersToDetect(baseRate, high, holdoutShare);
  if (atHigh === null || atHigh > eligible) return null;
  let low = 0;
  // customersToDetect falls as the lift grows, so bisection finds where it meets `eligible`.
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if ((customersToDetect(baseRate, mid, holdoutShare) ?? Infinity) > eligible) low = mid;
    else high = mid;
  }
  return high;
}

/** Periods (e.g. months) of this shop's eligible volume the experiment needs to detect `lift`; null if it never can. */
export function expectedRunLength(baseRate: number, lift: number, eligiblePerPeriod: number, holdoutShare: number): number | null {
  const needed = customersToDetect(baseRate, lift, holdoutShare);
  if (needed === null || !(eligiblePerPeriod > 0)) return null;
  return Math.ceil(needed / eligiblePerPeriod);
}

/**
 * What the merchant reads: "too early" until both arms have enough customers whose window is over,
 * then "works" / "hurts" when the 95% interval of the rate difference lies above / below zero, and
 * "no detectable effect yet" while it spans zero.
 */
export type ExperimentState = "tooEarly" | "noDetectableEffect" | "works" | "hurts";
export const EXPERIMENT_STATES: readonly ExperimentState[] = ["tooEarly", "noDetectableEffect", "works", "hurts"];

/**
 * Complete customers each arm needs before any verdict. Below this the interval is honest but so wide
 * that a merchant would read noise into it, and one odd customer can move the point estimate by 5 points.
 */
export const MIN_COMPLETE_PER_ARM = 20;

export function experimentState(treatedComplete: number, heldOutComplete: number, rate: Interval | null): ExperimentState {
  if (!rate || treatedComplete < MIN_COMPLETE_PER_ARM || heldOutComplete < MIN_COMPLETE_PER_ARM) return "tooEarly";
  if (rate.lower > 0) return "works";
  if (rate.upper < 0) return "hurts";
  return "noDetectableEffect";
}

/** The lift the planner quotes a run length for: three points, the order of what a good reward does. */
export const PLANNING_LIFT = 0.03;
/** The horizon the planner quotes a minimum detectable effect for. */
export const PLANNING_MONTHS = 3;

export interface HoldoutPlan {
  /** The smallest lift in purchase rate detectable after PLANNING_MONTHS of this volume; null if none is. */
  minimumDetectableEffect: number | null;
  /** Months of this volume needed to detect PLANNING_LIFT; null if it cannot be planned. */
  monthsToDetect: number | null;
}

/** What a holdout of `holdoutShare` can show with this shop's eligible customers per month and base rate; null without a holdout. */
export function planHoldout(baseRate: number, eligiblePerMonth: number, holdoutShare: number): HoldoutPlan | null {
  if (!(holdoutShare > 0 && holdoutShare < 1)) return null;
  return {
    minimumDetectableEffect: minimumDetectableEffect(baseRate, eligiblePerMonth * PLANNING_MONTHS, holdoutShare),
    monthsToDetect: expectedRunLength(baseRate, PLANNING_LIFT, eligiblePerMonth, holdoutShare),
  };
}
