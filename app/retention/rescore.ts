/**
 * Re-scores one customer after an order webhook with the shop's stored parameters, without
 * refitting (fits run nightly and after a backfill). RFM quintiles need the whole shop, so the
 * customer keeps their last RFM scores until the next full run.
 */
import type { BgNbdParams } from "./clv/bgnbd";
import type { GammaGammaParams } from "./clv/gamma-gamma";
import { expectedAverageSpend } from "./clv/gamma-gamma";
import { customerHistoricClv } from "./clv/historic";
import { discountedExpectedPurchases, unitsPerMonth } from "./clv/predictive";
import type { CustomerSummary } from "./clv/summary";
import type { Score } from "./segments/rfm";
import { classifyLifecycle, type LifecycleAssignment, type LifecycleSettings, type ShopCadence } from "./segments/lifecycle";

export interface StoredShopModel {
  bgnbd: BgNbdParams | null;
  gammaGamma: GammaGammaParams | null;
  cadence: ShopCadence;
  lifespanYears: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
  lifecycle: LifecycleSettings;
}

export interface Rescored {
  historicClv: number;
  predictedClv: number | null;
  pAlive: number | null;
  expectedPurchases: number | null;
  lifecycle: LifecycleAssignment;
}

export function rescoreCustomer(c: CustomerSummary, model: StoredShopModel, frequencyScore: Score): Rescored {
  const historicClv = customerHistoricClv(c, model.lifespanYears, 1).clv;
  let predictedClv: number | null = null;
  let pAlive: number | null = null;
  let expectedPurchases: number | null = null;
  if (model.bgnbd) {
    const purchases = discountedExpectedPurchases(model.bgnbd, c, {
      unitsPerMonth: unitsPerMonth("days"),
      horizonMonths: model.horizonMonths,
      monthlyDiscountRate: model.monthlyDiscountRate,
    });
    const ownAverage = c.orderCount > 0 ? c.totalSpend / c.orderCount : 0;
    const spend = model.gammaGamma ? expectedAverageSpend(model.gammaGamma, c) : ownAverage;
    predictedClv = purchases.discountedPurchases * spend;
    pAlive = purchases.pAlive;
    expectedPurchases = purchases.expectedPurchases;
  }
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
  return { historicClv, predictedClv, pAlive, expectedPurchases, lifecycle };
}
