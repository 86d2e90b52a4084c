/**
 * The dashboard's monthly accuracy report (issue 19): the stored months shaped for ForecastAccuracyCard, text
 * translated and money formatted here (the one formatter), numbers kept raw for the chart.
 */
import type { ShopFormatter } from "../formatting";
import { translate, type Locale } from "../i18n";
import { listForecastMonths } from "../models/forecast-months.server";

/** The report as ForecastAccuracyCard shows it (the component declares the same shape: views import no services). */
export interface ForecastReport {
  locale: Locale;
  currency: string;
  months: Array<{ label: string; predicted: number; actual: number | null }>;
  lastMonth: string | null;
  purchases: string | null;
  backfilled: string | null;
}

/** Months the chart shows: two years, enough to see a season come round twice. */
export const REPORT_MONTHS = 24;

export async function forecastReport(shop: string, locale: Locale, currency: string, f: ShopFormatter): Promise<ForecastReport> {
  const rows = (await listForecastMonths(shop)).slice(-REPORT_MONTHS);
  const closed = rows.filter((r) => r.actualRevenue !== null);
  const last = closed[closed.length - 1];
  const lastBackfilled = rows.filter((r) => r.source === "backfill").pop();
  let lastMonth: string | null = null;
  let purchases: string | null = null;
  if (last && last.actualRevenue !== null && last.actualPurchases !== null) {
    const error = last.actualRevenue > 0 ? (last.predictedRevenue - last.actualRevenue) / last.actualRevenue : null;
    lastMonth = translate(locale, "forecast.lastMonth", {
      month: f.monthLabel(last.month),
      predicted: f.money(last.predictedRevenue),
      actual: f.money(last.actualRevenue),
      error: error === null ? "—" : f.percent(Math.abs(error), 0),
      direction: translate(locale, (error ?? 0) > 0 ? "forecast.over" : "forecast.under"),
    });
    purchases = translate(locale, "forecast.purchasesLine", {
      predicted: f.number(last.predictedPurchases, { maximumFractionDigits: 1 }),
      actual: f.number(last.actualPurchases, { maximumFractionDigits: 0 }),
    });
  }
  return {
    locale,
    currency,
    months: rows.map((r) => ({
      label: f.monthLabel(r.month),
      predicted: Math.round(r.predictedRevenue * 100) / 100,
      actual: r.actualRevenue === null ? null : Math.round(r.actualRevenue * 100) / 100,
    })),
    lastMonth,
    purchases,
    backfilled: lastBackfilled ? translate(locale, "forecast.backfilled", { month: f.monthLabel(lastBackfilled.month) }) : null,
  };
}
