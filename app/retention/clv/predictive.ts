/**
 * Predictive CLV: the purchase model's (BG/NBD, Pareto/NBD or MBG/NBD) expected purchases month by month, times the Gamma-Gamma expected spend,
 * discounted monthly. Time units are explicit: the BG/NBD parameters are in whatever unit the summaries
 * were in (the app uses days, CDNOW uses weeks), and `unitsPerMonth` converts the monthly horizon to it.
 */
import { DAYS_PER_MONTH, daysPerUnit, type TimeUnit } from "../time";
import { purchaseExpected, purchaseProbabilityAlive, type PurchaseParams } from "./purchase-model";
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
export function discountedExpectedPurchases(
  params: PurchaseParams,
  c: FrequencyRecency,
  options: PredictiveClvOptions,
): DiscountedPurchases {
  const months = options.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const rate = options.monthlyDiscountRate ?? DEFAULT_MONTHLY_DISCOUNT_RATE;
  if (!(options.unitsPerMonth > 0)) throw new RangeError("unitsPerMonth must be > 0");
  const pAlive = purchaseProbabilityAlive(params, c);
  // One month-end at a time (no arrays): this runs for every customer of a shop.
  let discountedPurchases = 0;
  let previous = 0;
  let discount = 1;
  for (let m = 1; m <= months; m++) {
    const cumulative = purchaseExpected(params, c, m * options.unitsPerMonth, pAlive);
    discount /= 1 + rate;
    discountedPurchases += (cumulative - previous) * discount;
    previous = cumulative;
  }
  return { expectedPurchases: previous, discountedPurchases, pAlive };
}

/** CLV = Σ_m (expected purchases in month m) / (1 + rate)^m × expected spend per purchase. */
export function predictiveClv(
  params: PurchaseParams,
  c: FrequencyRecency,
  expectedSpend: number,
  options: PredictiveClvOptions,
): PredictiveClv {
  const purchases = discountedExpectedPurchases(params, c, options);
  return { clv: purchases.discountedPurchases * expectedSpend, expectedSpend, ...purchases };
}
