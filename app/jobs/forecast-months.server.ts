/**
 * The monthly accuracy report (issue 19), run by the recompute (nightly from the scheduler, and after an
 * import). Each run:
 *  - closes every stored month that has ended: adds what existing customers bought in it;
 *  - stores the current month's forecast when none is stored yet and the month is at most FORECAST_GRACE_DAYS
 *    old (the daily run makes it on the 1st; a forecast made later would have seen too much of the month);
 *  - on a shop's first run (no rows yet), fills the complete months after the backtest's calibration end from
 *    the backtest's calibration model, which never saw them (source "backfill"). The chart says so.
 */
import {
  closeForecastMonth,
  hasForecastMonths,
  listForecastMonths,
  saveForecastMonth,
  type ForecastMonthRow,
} from "../models/forecast-months.server";
import type { BacktestResult } from "../retention/clv/backtest";
import { bgnbdGammaGammaPredict } from "../retention/clv/bgnbd-ranges";
import { fitGammaGamma } from "../retention/clv/gamma-gamma";
import {
  forecastMonth,
  monthActual,
  monthDays,
  monthsBetween,
  spendCapOf,
  summariesBefore,
  type PurchaseDayMap,
} from "../retention/clv/monthly-forecast";
import { purchaseDaysByCustomer, type Transaction } from "../retention/clv/cleaning";
import type { ModelStatus } from "../retention/score";
import { dayNumber, monthOf } from "../retention/time";

/** A month's forecast is made by a run in its first week, or not at all. */
export const FORECAST_GRACE_DAYS = 7;

/** The app's purchase-day rules (recompute: a net-0 order is a refunded one). */
function purchaseDays(transactions: Iterable<Transaction>, asOf: string): PurchaseDayMap {
  return purchaseDaysByCustomer(transactions, dayNumber(asOf), undefined, "never");
}

/**
 * Rows for the months after the calibration end, from the backtest's calibration fit (BG/NBD) and a
 * Gamma-Gamma fitted on the same calibration summaries. Empty unless the shop has no rows yet. Call it right
 * after the backtest, while its summaries are alive.
 */
export async function backfillForecastMonths(
  shop: string,
  transactions: Iterable<Transaction>,
  backtest: BacktestResult | null,
  calibrationEnd: string | null,
  asOf: string,
  now: Date,
): Promise<ForecastMonthRow[]> {
  if (!backtest || backtest.status !== "fitted" || !calibrationEnd) return [];
  const { fit } = backtest;
  if (!fit.converged || fit.parametersAtLimit.length > 0) return [];
  const months = monthsBetween(calibrationEnd, monthOf(asOf));
  if (months.length === 0 || (await hasForecastMonths(shop))) return [];
  const spend = fitGammaGamma(backtest.summaries);
  const gammaGamma =
    spend.status === "fitted" && spend.converged && spend.parametersAtLimit.length === 0 && spend.q > 1
      ? { p: spend.p, q: spend.q, v: spend.v }
      : null;
  const params = { bgnbd: { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b }, gammaGamma };
  const days = purchaseDays(transactions, asOf);
  const cap = spendCapOf(days);
  return months.map((month) => ({
    ...forecastMonth({ predict: bgnbdGammaGammaPredict }, params, summariesBefore(days, month, cap), month),
    ...monthActual(days, month),
    source: "backfill",
    model: "bgnbd",
    predictedAt: now,
    closedAt: now,
  }));
}

/** Writes the backfill, closes ended months and stores this month's forecast (see the module comment). */
export async function recordForecastMonths(
  shop: string,
  input: { transactions: Iterable<Transaction>; asOf: string; model: ModelStatus; backfill: ForecastMonthRow[] },
  now: Date,
): Promise<{ backfilled: number; closed: number; forecast: string | null }> {
  for (const row of input.backfill) await saveForecastMonth(shop, row);
  const current = monthOf(input.asOf);
  const stored = await listForecastMonths(shop);
  const open = stored.filter((r) => r.closedAt === null && r.month < current);
  const fitted = input.model.status === "fitted" ? input.model : null;
  const needForecast =
    fitted !== null && !stored.some((r) => r.month === current) && dayNumber(input.asOf) - monthDays(current).first < FORECAST_GRACE_DAYS;
  if (open.length === 0 && !needForecast) return { backfilled: input.backfill.length, closed: 0, forecast: null };

  const days = purchaseDays(input.transactions, input.asOf);
  for (const row of open) await closeForecastMonth(shop, row.month, monthActual(days, row.month), now);
  if (fitted && needForecast) {
    const { r, alpha, a, b } = fitted.bgnbd;
    const params = { bgnbd: { r, alpha, a, b }, gammaGamma: fitted.gammaGamma };
    const summaries = summariesBefore(days, current, spendCapOf(days));
    await saveForecastMonth(shop, {
      ...forecastMonth({ predict: bgnbdGammaGammaPredict }, params, summaries, current),
      actualPurchases: null,
      actualRevenue: null,
      source: "forecast",
      model: "bgnbd",
      predictedAt: now,
      closedAt: null,
    });
  }
  return { backfilled: input.backfill.length, closed: open.length, forecast: needForecast ? current : null };
}
