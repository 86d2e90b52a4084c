/**
 * The arithmetic of the monthly accuracy report (issue 19; forecast-months.server.ts writes its rows): the first
 * run's backfill, the actuals of months that have ended and this month's forecast. No database: it runs with the
 * recompute's analysis (shop-analysis.server.ts), on the scoring worker thread, because over a million orders the
 * purchase days alone take seconds (issue 23). What to compute is read from the stored rows before the analysis
 * (`ForecastMonthsPlan`); the rows are written after it.
 */
import type { BacktestResult } from "../retention/clv/backtest";
import { bgnbdGammaGammaPredict } from "../retention/clv/bgnbd-ranges";
import { purchaseDaysByCustomer, type Transaction } from "../retention/clv/cleaning";
import { fitGammaGamma } from "../retention/clv/gamma-gamma";
import {
  forecastMonth,
  monthActual,
  monthDays,
  monthsBetween,
  spendCapOf,
  summariesBefore,
  type MonthActual,
  type MonthForecast,
  type PurchaseDayMap,
} from "../retention/clv/monthly-forecast";
import type { ModelStatus } from "../retention/score";
import { dayNumber, monthOf } from "../retention/time";

/** A month's forecast is made by a run in its first week, or not at all. */
export const FORECAST_GRACE_DAYS = 7;

/** What the stored rows ask of this run. */
export interface ForecastMonthsPlan {
  /** The shop has no rows yet: fill the months after the backtest's calibration end. */
  backfill: boolean;
  /** Stored months that have ended without their actuals. */
  close: string[];
  /** This month has no row yet (made only in the month's first FORECAST_GRACE_DAYS days, by a fitted model). */
  forecastMissing: boolean;
}

export type ForecastMonthFigures = MonthForecast & { actualPurchases: number | null; actualRevenue: number | null };

/** The rows' figures; the caller dates them and writes them. */
export interface ForecastMonthsWork {
  backfill: Array<MonthForecast & MonthActual>;
  closed: Array<{ month: string; actual: MonthActual }>;
  forecast: ForecastMonthFigures | null;
}

export const NO_FORECAST_MONTHS_WORK: ForecastMonthsWork = { backfill: [], closed: [], forecast: null };

/** The app's purchase-day rules (recompute: a net-0 order is a refunded one). */
function purchaseDays(transactions: Iterable<Transaction>, asOf: string): PurchaseDayMap {
  return purchaseDaysByCustomer(transactions, dayNumber(asOf), undefined, "never");
}

/** The shop's purchase days, computed once when first needed. */
export function lazyPurchaseDays(transactions: Iterable<Transaction>, asOf: string): () => PurchaseDayMap {
  let days: PurchaseDayMap | null = null;
  return () => (days ??= purchaseDays(transactions, asOf));
}

/**
 * The first run's rows for the months after the calibration end, from the backtest's calibration fit (BG/NBD)
 * and a Gamma-Gamma fitted on the same calibration summaries (so it must run while they are alive). Empty unless
 * the plan asks for a backfill.
 */
export function backfillMonths(
  plan: ForecastMonthsPlan,
  days: () => PurchaseDayMap,
  backtest: BacktestResult | null,
  calibrationEnd: string | null,
  asOf: string,
): ForecastMonthsWork["backfill"] {
  if (!plan.backfill || !backtest || backtest.status !== "fitted" || !calibrationEnd) return [];
  const { fit } = backtest;
  if (!fit.converged || fit.parametersAtLimit.length > 0) return [];
  const months = monthsBetween(calibrationEnd, monthOf(asOf));
  if (months.length === 0) return [];
  const spend = fitGammaGamma(backtest.summaries);
  const gammaGamma =
    spend.status === "fitted" && spend.converged && spend.parametersAtLimit.length === 0 && spend.q > 1
      ? { p: spend.p, q: spend.q, v: spend.v }
      : null;
  const params = { bgnbd: { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b }, gammaGamma };
  const cap = spendCapOf(days());
  return months.map((month) => ({
    ...forecastMonth({ predict: bgnbdGammaGammaPredict }, params, summariesBefore(days(), month, cap), month),
    ...monthActual(days(), month),
  }));
}

/** The actuals of the plan's ended months and this month's forecast when it is missing and still due. */
export function closeAndForecastMonths(
  plan: ForecastMonthsPlan,
  days: () => PurchaseDayMap,
  model: ModelStatus,
  asOf: string,
): Pick<ForecastMonthsWork, "closed" | "forecast"> {
  const current = monthOf(asOf);
  const fitted = model.status === "fitted" ? model : null;
  const needForecast = fitted !== null && plan.forecastMissing && dayNumber(asOf) - monthDays(current).first < FORECAST_GRACE_DAYS;
  const close = plan.close.filter((month) => month < current);
  if (close.length === 0 && !needForecast) return { closed: [], forecast: null };
  const closed = close.map((month) => ({ month, actual: monthActual(days(), month) }));
  if (!fitted || !needForecast) return { closed, forecast: null };
  const { r, alpha, a, b } = fitted.bgnbd;
  const params = { bgnbd: { r, alpha, a, b }, gammaGamma: fitted.gammaGamma };
  const summaries = summariesBefore(days(), current, spendCapOf(days()));
  return {
    closed,
    forecast: {
      ...forecastMonth({ predict: bgnbdGammaGammaPredict }, params, summaries, current),
      actualPurchases: null,
      actualRevenue: null,
    },
  };
}
