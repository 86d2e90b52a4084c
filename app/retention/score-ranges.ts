/**
 * The ranges of a scored shop (issue 19, "how sure"): the sampling distributions of the fitted models, kept in
 * the model state so a page can redraw the same parameters, and the range of the 12-month revenue, which needs
 * every customer and is therefore computed once, with the scoring. Per-customer ranges are computed on read
 * (customerRanges): 200 draws × 12 month-ends for one customer is about a millisecond, while storing them would
 * multiply the shop-wide scoring's cost by the number of draws.
 */
import { bgnbdGammaGammaModel, storedUncertainty, type StoredUncertainty } from "./clv/bgnbd-ranges";
import type { CustomerSummary } from "./clv/summary";
import { customerIntervals, shopRevenueInterval, type Interval } from "./clv/uncertainty";
import type { ShopScore } from "./score";

/** What the model state keeps: the distributions and shop range, and the horizon the customer ranges use. */
export interface ShopRanges extends StoredUncertainty {
  horizonMonths: number;
  monthlyDiscountRate: number;
}

type Horizon = { horizonMonths: number; monthlyDiscountRate: number };

/** Null when the shop has no fitted model (historic fallback: no quantified range) or no usable Hessian. */
export function shopRanges(
  score: Pick<ShopScore, "model" | "insights">,
  summaries: readonly CustomerSummary[],
  horizon: Horizon,
): ShopRanges | null {
  if (score.model.status !== "fitted") return null;
  const { r, alpha, a, b } = score.model.bgnbd;
  const point = { bgnbd: { r, alpha, a, b }, gammaGamma: score.model.gammaGamma };
  const stored = storedUncertainty(point, summaries);
  const model = stored && bgnbdGammaGammaModel(stored);
  if (!stored || !model) return null;
  const predicted = score.insights.predictedRevenue12Months;
  const revenue12Months = shopRevenueInterval(model, point, summaries, {
    draws: stored.draws,
    seed: stored.seed,
    level: stored.level,
    pointRevenue: predicted?.method === "model" ? predicted.value : undefined,
  });
  return { ...stored, revenue12Months, horizonMonths: horizon.horizonMonths, monthlyDiscountRate: horizon.monthlyDiscountRate };
}

/** One customer's ranges of expected purchases and predictive CLV over the horizon, from the stored distributions. */
export function customerRanges(
  stored: ShopRanges,
  customer: CustomerSummary,
): { purchases: Interval; clv: Interval; level: number } | null {
  const model = bgnbdGammaGammaModel(stored);
  if (!model) return null;
  return customerIntervals(model, customer, {
    horizonMonths: stored.horizonMonths,
    monthlyDiscountRate: stored.monthlyDiscountRate,
    draws: stored.draws,
    seed: stored.seed,
    level: stored.level,
  });
}
