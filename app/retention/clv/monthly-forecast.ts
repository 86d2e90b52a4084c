/**
 * The monthly accuracy report (issue 19): for a shop-local month, what the model expected the shop's existing
 * customers to buy in it, from their histories up to the day before the month, against what they bought.
 *
 * Counted as the models count: a purchase is a purchase day (same-day orders are one), its value the day's net;
 * "existing" means a first purchase before the month, so new customers' first orders are in neither figure.
 */
import { dayNumber, dayString, firstDayOfNextMonth, monthOf } from "../time";
import { purchaseDaysByCustomer, robustSpendCap } from "./cleaning";
import type { CustomerSummary } from "./summary";
import type { ForecastModel } from "./uncertainty";

export type PurchaseDayMap = ReturnType<typeof purchaseDaysByCustomer>;

export interface MonthForecast {
  month: string;
  customers: number;
  predictedPurchases: number;
  predictedRevenue: number;
}

export interface MonthActual {
  actualPurchases: number;
  actualRevenue: number;
}

/** First and last day numbers of a "YYYY-MM" month. */
export function monthDays(month: string): { first: number; last: number } {
  const first = dayNumber(`${month}-01`);
  return { first, last: dayNumber(firstDayOfNextMonth(`${month}-01`)) - 1 };
}

/** The month before "YYYY-MM". */
export function previousMonth(month: string): string {
  return monthOf(dayString(monthDays(month).first - 1));
}

/**
 * Complete months that start after `afterDay` and end before `beforeMonth` starts, oldest first (the months a
 * model fitted up to `afterDay` never saw).
 */
export function monthsBetween(afterDay: string, beforeMonth: string): string[] {
  const months: string[] = [];
  let month = monthOf(firstDayOfNextMonth(afterDay));
  if (monthDays(month).first <= dayNumber(afterDay)) return months;
  while (month < beforeMonth) {
    months.push(month);
    month = monthOf(firstDayOfNextMonth(`${month}-01`));
  }
  return months;
}

/** The spend cap the recompute applies (summary.ts "robust"), over every purchase day in the map. */
export function spendCapOf(days: PurchaseDayMap): number | null {
  let n = 0;
  for (const c of days.values()) n += c.days.size;
  const values = new Float64Array(n);
  let i = 0;
  for (const c of days.values()) for (const v of c.days.values()) values[i++] = v;
  return robustSpendCap(values);
}

/**
 * Customers' summaries (days) as of the day before `month`, as summarizeTransactions would build them then.
 * orderCount counts purchase days (the per-line count is not kept); it only matters without a spend model.
 */
export function summariesBefore(days: PurchaseDayMap, month: string, spendCap: number | null): CustomerSummary[] {
  const asOf = monthDays(month).first - 1;
  const summaries: CustomerSummary[] = [];
  for (const [customerId, c] of days) {
    const before = [...c.days.keys()].filter((d) => d <= asOf).sort((p, q) => p - q);
    if (before.length === 0) continue;
    let totalSpend = 0;
    let repeatSpend = 0;
    before.forEach((day, k) => {
      const value = c.days.get(day) ?? 0;
      totalSpend += value;
      if (k > 0) repeatSpend += spendCap !== null && value > spendCap ? spendCap : value;
    });
    const frequency = before.length - 1;
    summaries.push({
      customerId,
      frequency,
      recency: before[before.length - 1] - before[0],
      T: asOf - before[0],
      monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
      orderCount: before.length,
      totalSpend,
    });
  }
  return summaries;
}

/** Purchase days in `month` of customers who had bought before it, and their net value. */
export function monthActual(days: PurchaseDayMap, month: string): MonthActual {
  const { first, last } = monthDays(month);
  let actualPurchases = 0;
  let actualRevenue = 0;
  for (const c of days.values()) {
    let existing = false;
    for (const day of c.days.keys()) if (day < first) existing = true;
    if (!existing) continue;
    for (const [day, value] of c.days) {
      if (day >= first && day <= last) {
        actualPurchases += 1;
        actualRevenue += value;
      }
    }
  }
  return { actualPurchases, actualRevenue };
}

/** The model's expectation for `month` from histories up to the day before it, under `params`. */
export function forecastMonth<P>(
  model: Pick<ForecastModel<P>, "predict">,
  params: P,
  summaries: readonly CustomerSummary[],
  month: string,
): MonthForecast {
  const { first, last } = monthDays(month);
  const length = last - first + 1;
  let predictedPurchases = 0;
  let predictedRevenue = 0;
  for (const c of summaries) {
    const { purchases, spend } = model.predict(params, c, [length]);
    predictedPurchases += purchases[0];
    predictedRevenue += purchases[0] * spend;
  }
  return { month, customers: summaries.length, predictedPurchases, predictedRevenue };
}
