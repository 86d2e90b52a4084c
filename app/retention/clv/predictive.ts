/**
 * Predictive CLV: BG/NBD expected purchases month by month, times the Gamma-Gamma expected spend,
 * discounted monthly. Time units are explicit: the BG/NBD parameters are in whatever unit the summaries
 * were in (the app uses days, CDNOW uses weeks), and `unitsPerMonth` converts the monthly horizon to it.
 */
import { DAYS_PER_MONTH, daysPerUnit, type TimeUnit } from "../time";
import { expectedPurchasesAt, probabilityAliveAt, type BgNbdParams } from "./bgnbd";
import type { FrequencyRecency } from "./summary";

export const DEFAULT_HORIZON_MONTHS = 12;
export const DEFAULT_MONTHLY_DISCOUNT_RATE = 0.01;

/** How many model time units make one (average) month. */
export function unitsPerMonth(unit: TimeUnit): number {
  return DAYS_PER_MONTH / daysPerUnit(unit);
}

export interface PredictiveClvOptions {
  /** Model time units per month, e.g. unitsPerMonth("days"). Required so the unit is never guessed. */
  unitsPerMonth: number;
  horizonMonths?: number;
  /** Discount rate per month (0.01 = 1%/month); cash flows of month m are divided by (1 + rate)^m. */
  monthlyDiscountRate?: number;
}

export interface PredictiveClv {
  /** Discounted value over the horizon. */
  clv: number;
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: number;
  /** Expected purchases with each month's share discounted. */
  discountedPurchases: number;
  /** Expected value per purchase used. */
  expectedSpend: number;
  pAlive: number;
}

export interface DiscountedPurchases {
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: number;
  /** Expected purchases with month m's share divided by (1 + rate)^m. */
  discountedPurchases: number;
  pAlive: number;
}

/** The spend-independent part of predictive CLV: depends only on (x, t_x, T), so callers can cache it. */
export function discountedExpectedPurchases(params: BgNbdParams, c: FrequencyRecency, options: PredictiveClvOptions): DiscountedPurchases {
  const out = new Float64Array(PREDICTION_SIZE);
  bgnbdPredictor(params, options).predict(c.frequency, c.recency, c.T, out);
  return {
    expectedPurchases: out[PREDICTION.expectedPurchases],
    discountedPurchases: out[PREDICTION.discountedPurchases],
    pAlive: out[PREDICTION.pAlive],
  };
}

/** Where a PurchasePredictor writes each figure in its output array. */
export const PREDICTION = { expectedPurchases: 0, discountedPurchases: 1, pAlive: 2, nextYear: 3 } as const;
export const PREDICTION_SIZE = 4;

/**
 * What scoring needs of a purchase model, as functions of (x, t_x, T) alone, with the shop's parameters and
 * horizon fixed: BG/NBD's here; another model (Pareto/NBD, MBG/NBD) plugs into the scoring kernel the same way.
 * `predict` writes at `out[at + PREDICTION.*]` (numbers, not an object: it runs for every customer of a shop).
 */
export interface PurchasePredictor {
  predict(x: number, tx: number, T: number, out: Float64Array, at?: number): void;
  /** P(alive) alone: the lapsed-day search asks for it at many T. */
  pAlive(x: number, tx: number, T: number): number;
}

/**
 * BG/NBD's predictor: P(alive), the expected purchases at each month end of the horizon (undiscounted total,
 * and each month's share divided by (1 + rate)^m), and over the next 12 months (the shop's revenue). The month
 * ends and discount factors are computed once per shop, with the same arithmetic as a month-by-month loop.
 */
export function bgnbdPredictor(params: BgNbdParams, options: PredictiveClvOptions): PurchasePredictor {
  const months = options.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const rate = options.monthlyDiscountRate ?? DEFAULT_MONTHLY_DISCOUNT_RATE;
  if (!(options.unitsPerMonth > 0)) throw new RangeError("unitsPerMonth must be > 0");
  const monthEnds = new Float64Array(months + 1);
  const discounts = new Float64Array(months + 1);
  let discount = 1;
  for (let m = 1; m <= months; m++) {
    monthEnds[m] = m * options.unitsPerMonth;
    discount /= 1 + rate;
    discounts[m] = discount;
  }
  const yearEnd = 12 * options.unitsPerMonth;
  return {
    pAlive: (x, tx, T) => probabilityAliveAt(params, x, tx, T),
    predict(x, tx, T, out, at = 0) {
      const pAlive = probabilityAliveAt(params, x, tx, T);
      let discountedPurchases = 0;
      let previous = 0;
      let nextYear = Number.NaN;
      for (let m = 1; m <= months; m++) {
        const cumulative = expectedPurchasesAt(params, x, T, monthEnds[m], pAlive);
        discountedPurchases += (cumulative - previous) * discounts[m];
        previous = cumulative;
        if (m === 12) nextYear = cumulative;
      }
      out[at + PREDICTION.expectedPurchases] = previous;
      out[at + PREDICTION.discountedPurchases] = discountedPurchases;
      out[at + PREDICTION.pAlive] = pAlive;
      out[at + PREDICTION.nextYear] = months >= 12 ? nextYear : expectedPurchasesAt(params, x, T, yearEnd, pAlive);
    },
  };
}

/** CLV = Σ_m (expected purchases in month m) / (1 + rate)^m × expected spend per purchase. */
export function predictiveClv(
  params: BgNbdParams,
  c: FrequencyRecency,
  expectedSpend: number,
  options: PredictiveClvOptions,
): PredictiveClv {
  const purchases = discountedExpectedPurchases(params, c, options);
  return { clv: purchases.discountedPurchases * expectedSpend, expectedSpend, ...purchases };
}
