/**
 * The monthly accuracy report (issue 19), run by the recompute (nightly from the scheduler, and after an
 * import). Each run:
 *  - closes every stored month that has ended: adds what existing customers bought in it;
 *  - stores the current month's forecast when none is stored yet and the month is at most FORECAST_GRACE_DAYS
 *    old (the daily run makes it on the 1st; a forecast made later would have seen too much of the month);
 *  - on a shop's first run (no rows yet), fills the complete months after the backtest's calibration end from
 *    the backtest's calibration model, which never saw them (source "backfill"). The chart says so.
 * The figures are computed with the recompute's analysis, off the main thread (forecast-months-analysis.server.ts);
 * here the plan is read from the stored rows before it and the rows are written after it.
 */
import { closeForecastMonth, listForecastMonths, saveForecastMonth } from "../models/forecast-months.server";
import { monthOf } from "../retention/time";
import type { ForecastMonthsPlan, ForecastMonthsWork } from "./forecast-months-analysis.server";

export { FORECAST_GRACE_DAYS } from "./forecast-months-analysis.server";

/** What this run has to compute, from the stored rows (read before the analysis starts). */
export async function planForecastMonths(shop: string, asOf: string): Promise<ForecastMonthsPlan> {
  const current = monthOf(asOf);
  const stored = await listForecastMonths(shop);
  return {
    backfill: stored.length === 0,
    close: stored.filter((r) => r.closedAt === null && r.month < current).map((r) => r.month),
    forecastMissing: !stored.some((r) => r.month === current),
  };
}

/** Writes the backfill, closes ended months and stores this month's forecast (see the module comment). */
export async function recordForecastMonths(
  shop: string,
  work: ForecastMonthsWork,
  now: Date,
): Promise<{ backfilled: number; closed: number; forecast: string | null }> {
  for (const row of work.backfill)
    await saveForecastMonth(shop, { ...row, source: "backfill", model: "bgnbd", predictedAt: now, closedAt: now });
  for (const { month, actual } of work.closed) await closeForecastMonth(shop, month, actual, now);
  if (work.forecast)
    await saveForecastMonth(shop, { ...work.forecast, source: "forecast", model: "bgnbd", predictedAt: now, closedAt: null });
  return { backfilled: work.backfill.length, closed: work.closed.length, forecast: work.forecast?.month ?? null };
}
