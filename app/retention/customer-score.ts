/**
 * The one per-customer scoring kernel: historic and predicted value, P(alive) and the lifecycle group
 * of one customer under a shop's model. The shop-wide run (score.ts) and the single-customer re-score
 * after a webhook (jobs/recompute) both call it, so the two can never disagree.
 */
import { purchaseProbabilityAlive, type PurchaseParams } from "./clv/purchase-model";
import { expectedAverageSpend, type GammaGammaParams } from "./clv/gamma-gamma";
import { customerHistoricClv, type HistoricClv } from "./clv/historic";
import { discountedExpectedPurchases, unitsPerMonth, type DiscountedPurchases } from "./clv/predictive";
import type { CustomerSummary } from "./clv/summary";
import type { Score } from "./segments/rfm";
import { classifyLifecycle, type LifecycleAssignment, type LifecycleSettings, type ShopCadence } from "./segments/lifecycle";

/** What scoring one customer needs from the shop: the fitted (or stored) model and the settings. */
export interface ScoringModel {
  /** The shop's purchase model (BG/NBD, or the one its model choice kept); null: historic value only. */
  purchase: PurchaseParams | null;
  /** The spend model when usable; null: each customer's own average order value. */
  gammaGamma: GammaGammaParams | null;
  cadence: ShopCadence;
  lifespanYears: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
  lifecycle: LifecycleSettings;
}

export type Predict<P extends DiscountedPurchases> = (c: CustomerSummary, params: PurchaseParams) => P;

/** Discounted purchases over the model's horizon, in days. */
export function predictPurchases(model: Pick<ScoringModel, "horizonMonths" | "monthlyDiscountRate">): Predict<DiscountedPurchases> {
  return (c, params) =>
    discountedExpectedPurchases(params, c, {
      unitsPerMonth: unitsPerMonth("days"),
      horizonMonths: model.horizonMonths,
      monthlyDiscountRate: model.monthlyDiscountRate,
    });
}

export interface CustomerValue<P extends DiscountedPurchases = DiscountedPurchases> {
  historicClv: HistoricClv;
  /** Discounted CLV over the horizon; null when the shop's model is not fitted. */
  predictedClv: number | null;
  pAlive: number | null;
  /** Expected purchases over the horizon (undiscounted); null without a fitted model. */
  expectedPurchases: number | null;
  /** Expected value per future purchase; from Gamma-Gamma, or the customer's own AOV when that is unavailable. */
  expectedSpend: number;
  spendSource: "gamma-gamma" | "own-average";
  lifecycle: LifecycleAssignment;
  /** The model's prediction, null without a fitted model. */
  prediction: P | null;
  /** For a Lapsed customer, how many days ago their history crossed the line; null otherwise. */
  lapsedDaysAgo: number | null;
}

export function scoreCustomer<P extends DiscountedPurchases = DiscountedPurchases>(
  c: CustomerSummary,
  model: ScoringModel,
  frequencyScore: Score,
  predict: Predict<P> = predictPurchases(model) as Predict<P>,
): CustomerValue<P> {
  const ownAverage = c.orderCount > 0 ? c.totalSpend / c.orderCount : 0;
  const modelSpend = model.gammaGamma ? expectedAverageSpend(model.gammaGamma, c) : Number.NaN;
  const spendFromModel = Number.isFinite(modelSpend);
  const expectedSpend = spendFromModel ? modelSpend : ownAverage;
  const predicted = model.purchase ? predict(c, model.purchase) : null;
  // NaN or Infinity must never be stored: a customer the model cannot give finite numbers is scored as
  // in a shop without a model (historic value, interval rule) rather than with nonsense.
  const prediction = predicted !== null && isFinitePrediction(predicted) ? predicted : null;
  const pAlive = prediction ? prediction.pAlive : null;
  const lifecycle = classifyLifecycle(
    {
      orders: c.orderCount,
      purchaseDays: c.frequency + 1,
      daysSinceLastOrder: c.T - c.recency,
      firstToLastDays: c.recency,
      pAlive,
      frequencyScore,
    },
    model.cadence,
    model.lifecycle,
  );
  return {
    historicClv: customerHistoricClv(c, model.lifespanYears, 1),
    predictedClv: prediction ? prediction.discountedPurchases * expectedSpend : null,
    pAlive,
    expectedPurchases: prediction ? prediction.expectedPurchases : null,
    expectedSpend,
    spendSource: spendFromModel ? "gamma-gamma" : "own-average",
    lifecycle,
    prediction,
    lapsedDaysAgo: lapsedDaysAgo(c, lifecycle, prediction ? model.purchase : null),
  };
}

function isFinitePrediction(p: DiscountedPurchases): boolean {
  return Number.isFinite(p.expectedPurchases) && Number.isFinite(p.discountedPurchases) && Number.isFinite(p.pAlive);
}

/**
 * When a Lapsed customer crossed the line, read from their own history under today's rules: the day
 * they became overdue, or the first day without an order on which P(alive) fell below the threshold
 * (P(alive) only falls while no order comes, so a bisection over those days finds it).
 */
export function lapsedDaysAgo(c: CustomerSummary, lifecycle: LifecycleAssignment, purchase: PurchaseParams | null): number | null {
  if (lifecycle.group !== "lapsed") return null;
  const { reason } = lifecycle;
  const quiet = c.T - c.recency;
  let crossedAfter: number;
  if (reason.rule === "p-alive-low" && purchase) {
    const below = (days: number) =>
      purchaseProbabilityAlive(purchase, { frequency: c.frequency, recency: c.recency, T: c.recency + days }) < reason.pAliveThreshold;
    let [lo, hi] = [0, Math.max(0, Math.ceil(quiet))];
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (below(mid)) hi = mid;
      else lo = mid + 1;
    }
    crossedAfter = lo;
  } else {
    // Overdue means strictly more quiet days than the allowed interval.
    crossedAfter = Math.floor(reason.intervalMultiple * reason.usualIntervalDays) + 1;
  }
  return Math.max(0, Math.round(quiet - crossedAfter));
}
