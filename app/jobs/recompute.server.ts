import db from "../db.server";
import { loadValueOrders, saveCustomerScores, saveShopModelState, type CustomerScoreRow } from "../models/customer-scores.server";
import { backtest, type BacktestResult } from "../retention/clv/backtest";
import type { Transaction } from "../retention/clv/summary";
import { summarizeTransactions } from "../retention/clv/summary";
import { localDateAt } from "../retention/rewards/time-zone";
import { rescoreCustomer, type StoredShopModel } from "../retention/rescore";
import { DEFAULT_SCORING_SETTINGS, scoreShop, type ScoringSettings, type ShopScore } from "../retention/score";
import type { Score } from "../retention/segments/rfm";
import { dayNumber, dayString } from "../retention/time";

/**
 * Shop-local calendar day of each order. Time-zone offsets are whole quarter hours, so every UTC
 * quarter hour falls on one local day: cache per quarter hour instead of formatting a million dates.
 */
export function localDayConverter(timeZone: string) {
  const cache = new Map<number, string>();
  return (instant: Date): string => {
    const bucket = Math.floor(instant.getTime() / 900_000);
    let day = cache.get(bucket);
    if (day === undefined) {
      day = localDateAt(new Date(bucket * 900_000), timeZone);
      cache.set(bucket, day);
    }
    return day;
  };
}

export interface StoredModelState {
  asOf: string;
  /** The settings the model was scored with; single-customer re-scoring reuses them. */
  settings: ScoringSettings;
  model: ShopScore["model"];
  historic: ShopScore["historic"];
  cadence: ShopScore["cadence"];
  insights: ShopScore["insights"];
  backtest: BacktestSummary | null;
  customersScored: number;
}

export type BacktestSummary =
  | { status: "insufficient"; reason: string; calibrationEnd: string; holdoutEnd: string }
  | {
      status: "fitted";
      calibrationEnd: string;
      holdoutEnd: string;
      holdoutActual: number;
      holdoutPredicted: number;
      aggregateRelativeError: number | null;
      mae: number;
      naiveMae: number;
    };

/**
 * Holdout for the per-shop backtest: the last quarter of the shop's history, at least 28 days and at
 * most a year, so the calibration period keeps most of the data.
 */
export function backtestWindow(firstDay: string, asOf: string): { calibrationEnd: string; holdoutEnd: string } | null {
  const span = dayNumber(asOf) - dayNumber(firstDay);
  const holdout = Math.min(365, Math.max(28, Math.round(span / 4)));
  if (span < holdout * 2) return null;
  return { calibrationEnd: dayString(dayNumber(asOf) - holdout), holdoutEnd: asOf };
}

function summarizeBacktest(result: BacktestResult, window: { calibrationEnd: string; holdoutEnd: string }): BacktestSummary {
  if (result.status === "insufficient") return { status: "insufficient", reason: result.fit.reason, ...window };
  return {
    status: "fitted",
    ...window,
    holdoutActual: result.holdoutActual,
    holdoutPredicted: result.holdoutPredicted,
    aggregateRelativeError: result.aggregateRelativeError,
    mae: result.mae,
    naiveMae: result.naiveMae,
  };
}

function parseSettings(raw: string | null | undefined): ScoringSettings {
  let scoring: Partial<ScoringSettings> = {};
  try {
    scoring = (JSON.parse(raw ?? "{}") as { scoring?: Partial<ScoringSettings> }).scoring ?? {};
  } catch {
    // Unreadable settings fall back to the defaults rather than stopping the scoring.
  }
  return {
    ...DEFAULT_SCORING_SETTINGS,
    ...scoring,
    lifecycle: { ...DEFAULT_SCORING_SETTINGS.lifecycle, ...scoring.lifecycle },
  };
}

/** Shop-local date, summaries and settings: the common start of full and single-customer scoring. */
async function scoringInputs(shop: string, now: Date, customerShopifyIds?: string[]) {
  const shopRow = await db.shop.findUniqueOrThrow({ where: { shop } });
  const toLocalDay = localDayConverter(shopRow.ianaTimezone);
  const asOf = toLocalDay(now);
  const orders = await loadValueOrders(shop, customerShopifyIds);
  const transactions: Transaction[] = orders.map((o) => ({
    customerId: o.customerShopifyId,
    date: toLocalDay(o.processedAt),
    amount: o.netTotal,
  }));
  return {
    shopRow,
    asOf,
    transactions,
    settings: parseSettings(shopRow.settings),
    summaries: summarizeTransactions(transactions, { asOf, unit: "days" }),
  };
}

/**
 * Recomputes every customer's value, RFM and lifecycle group for one shop, stores the fitted model,
 * shop insights and backtest accuracy, and returns what changed for write-back.
 */
export async function recomputeShop(shop: string, now = new Date()) {
  const { asOf, transactions, summaries, settings } = await scoringInputs(shop, now);
  const result = scoreShop({ customers: summaries, asOf, settings });

  const window = transactions.length ? backtestWindow(transactions[0].date, asOf) : null;
  const backtestSummary = window ? summarizeBacktest(backtest(transactions, { ...window, unit: "days" }), window) : null;

  const previous = new Map(
    (await db.customer.findMany({ where: { shop }, select: { shopifyId: true, lifecycle: true, lapsedSince: true } })).map(
      (c) => [c.shopifyId, c],
    ),
  );
  const rows: CustomerScoreRow[] = result.customers.map((c) => {
    return {
      shopifyId: c.customerId,
      historicClv: round2(c.historicClv.clv),
      predictedClv: c.predictedClv === null ? null : round2(c.predictedClv),
      expectedPurchases: c.expectedPurchases,
      pAlive: c.pAlive,
      rfmRecency: c.rfm.r,
      rfmFrequency: c.rfm.f,
      rfmMonetary: c.rfm.m,
      rfmSegment: c.rfmSegment,
      lifecycle: c.lifecycle.group,
      lifecycleReason: JSON.stringify({ text: c.lifecycle.text, reason: c.lifecycle.reason }),
      lapsedSince: lapsedSince(c.lifecycle.group, previous.get(c.customerId), now),
    };
  });
  await saveCustomerScores(shop, rows, now);
  const state: StoredModelState = {
    asOf,
    settings,
    model: result.model,
    historic: result.historic,
    cadence: result.cadence,
    insights: result.insights,
    backtest: backtestSummary,
    customersScored: rows.length,
  };
  await saveShopModelState(shop, state, now);
  return { state, scored: rows.length };
}

/**
 * After an order webhook: re-score just these customers with the stored parameters (no refit).
 * Does nothing until the shop has been scored once.
 */
export async function rescoreCustomers(shop: string, customerShopifyIds: string[], now = new Date()) {
  if (!customerShopifyIds.length) return 0;
  const { shopRow, summaries } = await scoringInputs(shop, now, customerShopifyIds);
  if (!shopRow.modelState) return 0;
  const state = JSON.parse(shopRow.modelState) as StoredModelState;
  const model: StoredShopModel = {
    bgnbd: state.model.status === "fitted" ? state.model.bgnbd : null,
    gammaGamma: state.model.status === "fitted" ? state.model.gammaGamma : null,
    cadence: state.cadence,
    lifespanYears: state.historic.lifespanYears,
    horizonMonths: state.settings.horizonMonths,
    monthlyDiscountRate: state.settings.monthlyDiscountRate,
    lifecycle: state.settings.lifecycle,
  };
  const current = new Map(
    (await db.customer.findMany({ where: { shop, shopifyId: { in: customerShopifyIds } } })).map((c) => [c.shopifyId, c]),
  );
  let updated = 0;
  for (const summary of summaries) {
    const row = current.get(summary.customerId);
    if (!row) continue;
    const scored = rescoreCustomer(summary, model, (row.rfmFrequency ?? 1) as Score);
    await db.customer.updateMany({
      where: { shop, shopifyId: summary.customerId },
      data: {
        historicClv: round2(scored.historicClv),
        predictedClv: scored.predictedClv === null ? null : round2(scored.predictedClv),
        pAlive: scored.pAlive,
        expectedPurchases: scored.expectedPurchases,
        lifecycle: scored.lifecycle.group,
        lifecycleReason: JSON.stringify({ text: scored.lifecycle.text, reason: scored.lifecycle.reason }),
        lapsedSince: lapsedSince(scored.lifecycle.group, row, now),
        scoredAt: now,
      },
    });
    updated += 1;
  }
  return updated;
}

/** The day a customer entered Lapsed is kept while they stay there (win-back: one offer per lapse). */
function lapsedSince(group: string, before: { lifecycle: string | null; lapsedSince: Date | null } | undefined, now: Date) {
  if (group !== "lapsed") return null;
  return before?.lifecycle === "lapsed" && before.lapsedSince ? before.lapsedSince : now;
}

function round2(value: number) {
  return Math.round(value * 100) / 100;
}
