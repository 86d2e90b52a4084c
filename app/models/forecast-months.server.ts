/**
 * The monthly accuracy report's rows (ForecastMonth): one per shop and shop-local month. A forecast, once
 * stored, is never rewritten: the report must show what the model said at the time, not what it says now.
 */
import db from "../db.server";

export interface ForecastMonthRow {
  month: string;
  source: "forecast" | "backfill";
  model: string;
  customers: number;
  predictedPurchases: number;
  predictedRevenue: number;
  actualPurchases: number | null;
  actualRevenue: number | null;
  predictedAt: Date;
  closedAt: Date | null;
}

/** Twelve years of months: far more than a chart shows, a bound on what one read returns. */
const MAX_MONTHS = 144;

/** The shop's months, oldest first (the most recent MAX_MONTHS). */
export async function listForecastMonths(shop: string): Promise<ForecastMonthRow[]> {
  const rows = await db.forecastMonth.findMany({ where: { shop }, orderBy: { month: "desc" }, take: MAX_MONTHS });
  return rows.reverse().map((r) => ({
    month: r.month,
    source: r.source === "backfill" ? "backfill" : "forecast",
    model: r.model,
    customers: r.customers,
    predictedPurchases: r.predictedPurchases,
    predictedRevenue: r.predictedRevenue,
    actualPurchases: r.actualPurchases,
    actualRevenue: r.actualRevenue,
    predictedAt: r.predictedAt,
    closedAt: r.closedAt,
  }));
}

export async function hasForecastMonths(shop: string): Promise<boolean> {
  return (await db.forecastMonth.count({ where: { shop } })) > 0;
}

/** Stores a month's forecast unless one is already stored (two instances may race: the first one wins). */
export async function saveForecastMonth(shop: string, row: ForecastMonthRow): Promise<void> {
  await db.forecastMonth.upsert({
    where: { shop_month: { shop, month: row.month } },
    create: { shop, ...row },
    update: {},
  });
}

/** Adds what happened to a month's stored forecast. */
export async function closeForecastMonth(
  shop: string,
  month: string,
  actual: { actualPurchases: number; actualRevenue: number },
  closedAt: Date,
): Promise<void> {
  await db.forecastMonth.updateMany({ where: { shop, month, closedAt: null }, data: { ...actual, closedAt } });
}
