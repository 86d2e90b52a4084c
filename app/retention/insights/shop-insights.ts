/**
 * Shop-level numbers from the shop's own customers: the figures retention articles quote, computed rather
 * than assumed. All inputs are returned next to the results so the UI can show the arithmetic.
 */
import { DAYS_PER_MONTH, DAYS_PER_YEAR } from "../time";

export interface InsightCustomer {
  orderCount: number;
  totalSpend: number;
  /** Days since the first order. */
  daysSinceFirstOrder: number;
}

export interface PredictedRevenue {
  value: number;
  /** "model": BG/NBD × Gamma-Gamma; "historic": each active customer's past yearly spend carried forward. */
  method: "model" | "historic";
}

export interface RetentionRoi {
  /** Percentage points of first-time buyers who would additionally come back. */
  liftPoints: number;
  firstTimeBuyersPerMonth: number;
  /** Orders a returning customer places after the first, on average in this shop. */
  extraOrdersPerReturningCustomer: number;
  averageOrderValue: number;
  /** firstTimeBuyersPerMonth × lift × extraOrdersPerReturningCustomer. */
  extraOrdersPerMonth: number;
  extraRevenuePerMonth: number;
}

export interface ShopInsights {
  customers: number;
  returningCustomers: number;
  /** Share of customers with more than one order. */
  repeatPurchaseRate: number;
  /** Share of revenue from the top 20% of customers by spend (ceil(20% of customers)). */
  top20RevenueShare: number;
  /** Mean orders of customers with more than one order (null without any). */
  averageOrdersOfReturning: number | null;
  averageOrderValue: number;
  predictedRevenue12Months: PredictedRevenue | null;
  retentionRoi: RetentionRoi;
}

export interface InsightOptions {
  predictedRevenue12Months?: PredictedRevenue | null;
  /** Percentage points for the ROI what-if (default 10). */
  retentionLiftPoints?: number;
}

export function computeShopInsights(customers: readonly InsightCustomer[], options: InsightOptions = {}): ShopInsights {
  return computeShopInsightsOfColumns(
    {
      orderCount: customers.map((c) => c.orderCount),
      totalSpend: customers.map((c) => c.totalSpend),
      daysSinceFirstOrder: customers.map((c) => c.daysSinceFirstOrder),
    },
    options,
  );
}

/** computeShopInsights on columns (large shops: no object per customer). */
export function computeShopInsightsOfColumns(
  customers: { readonly [K in keyof InsightCustomer]: ArrayLike<number> },
  options: InsightOptions = {},
): ShopInsights {
  const n = customers.orderCount.length;
  let revenue = 0;
  let orders = 0;
  let returning = 0;
  let returningOrders = 0;
  let recentFirstTimers = 0;
  let longestHistoryDays = 0;
  for (let i = 0; i < n; i++) {
    const orderCount = customers.orderCount[i];
    const daysSinceFirstOrder = customers.daysSinceFirstOrder[i];
    revenue += customers.totalSpend[i];
    orders += orderCount;
    if (orderCount > 1) {
      returning += 1;
      returningOrders += orderCount;
    }
    if (daysSinceFirstOrder < DAYS_PER_YEAR) recentFirstTimers += 1;
    longestHistoryDays = Math.max(longestHistoryDays, daysSinceFirstOrder);
  }
  const spends = Float64Array.from(customers.totalSpend).sort();
  const topCount = Math.ceil(0.2 * n);
  let topRevenue = 0;
  for (let i = n - topCount; i < n; i++) topRevenue += spends[i];

  const averageOrderValue = orders > 0 ? revenue / orders : 0;
  const averageOrdersOfReturning = returning > 0 ? returningOrders / returning : null;
  // First-time buyers per month over the last year (or the whole history if shorter, but at least a month).
  const monthsObserved = Math.min(12, Math.max(1, (longestHistoryDays + 1) / DAYS_PER_MONTH));
  const firstTimeBuyersPerMonth = recentFirstTimers / monthsObserved;
  const liftPoints = options.retentionLiftPoints ?? 10;
  // Without returning customers to learn from, assume a returning customer orders once more.
  const extraOrdersPerReturningCustomer = averageOrdersOfReturning !== null ? averageOrdersOfReturning - 1 : 1;
  const extraOrdersPerMonth = firstTimeBuyersPerMonth * (liftPoints / 100) * extraOrdersPerReturningCustomer;

  return {
    customers: n,
    returningCustomers: returning,
    repeatPurchaseRate: n > 0 ? returning / n : 0,
    top20RevenueShare: revenue > 0 ? topRevenue / revenue : 0,
    averageOrdersOfReturning,
    averageOrderValue,
    predictedRevenue12Months: options.predictedRevenue12Months ?? null,
    retentionRoi: {
      liftPoints,
      firstTimeBuyersPerMonth,
      extraOrdersPerReturningCustomer,
      averageOrderValue,
      extraOrdersPerMonth,
      extraRevenuePerMonth: extraOrdersPerMonth * averageOrderValue,
    },
  };
}
