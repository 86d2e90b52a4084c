import type { Shop } from "@prisma/client";
import {
  loadLapsedSince,
  openScoreWriter,
  saveCustomerScore,
  storedScores,
  valueOrderPages,
  type CustomerScoreRow,
} from "../models/customer-scores.server";
import { getShop } from "../models/shop.server";
import { emptyCleaningReport, SHOP_ORDER_RULES } from "../retention/clv/cleaning";
import { summarizeTransactions } from "../retention/clv/summary";
import { scoreCustomer } from "../retention/customer-score";
import type { CustomerScore } from "../retention/score";
import { readDataRules, readScoringModel, saveShopModelState, type StoredModelState } from "../models/model-state.server";
import { retryTransient } from "../models/sql/transient-errors.server";
import { planForecastMonths, recordForecastMonths } from "./forecast-months.server";
import { TransactionLog, type ShopAnalysis } from "./shop-analysis.server";
import { scoreShopAnalysis, type ScoringOptions } from "./shop-scoring.server";
import { readShopSettings, scoringSettings } from "../models/shop-settings.server";
import type { Score } from "../retention/segments/rfm";
import { localDayConverter } from "../retention/time";
import { HIGH_VALUE_PERCENTILE } from "../retention/segments/kinship-segments";
import { predictedClvPercentile } from "../models/value-thresholds.server";
import { refreshDashboardFigures } from "./dashboard-figures.server";

// Moved beside the analysis the worker thread runs; still exported here for their callers.
export { backtestWindow, TransactionLog } from "./shop-analysis.server";

/** The shop, its local date, settings and value orders: the common start of full and single-customer scoring. */
async function shopOrders(shop: string, now: Date, customerShopifyIds?: string[], given?: Shop) {
  const shopRow = given ?? (await getShop(shop));
  if (!shopRow) throw new Error(`Shop ${shop} is not installed`);
  const toLocalDay = localDayConverter(shopRow.ianaTimezone);
  const asOf = toLocalDay(now);
  const transactions = new TransactionLog(toLocalDay);
  for await (const page of valueOrderPages(shop, customerShopifyIds)) transactions.append(page);
  return { shopRow, asOf, transactions, settings: scoringSettings(readShopSettings(shopRow.settings)) };
}

/**
 * Recomputes every customer's value, RFM and lifecycle group for one shop, stores the fitted model,
 * shop insights and backtest accuracy, and returns what changed for write-back.
 */
export async function recomputeShop(shop: string, now = new Date(), scoring: ScoringOptions = {}) {
  const { asOf, transactions, settings } = await shopOrders(shop, now);
  // Read before the first write; rows are built and written one batch at a time, as the analysis yields them.
  const lapsedBefore = await loadLapsedSince(shop);
  const toRow = (c: CustomerScore): CustomerScoreRow => {
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
      lapsedSince: lapsedSince(c.lapsedDaysAgo, lapsedBefore.get(c.customerId), now),
    };
  };
  // Summaries, backtest, fit and scoring are seconds of CPU on a large shop: a worker thread runs them, so
  // pages and webhooks are served meanwhile (shop-scoring.server.ts).
  // The monthly report's figures are computed with the analysis (issue 19; seconds over a million orders).
  const forecastMonths = await planForecastMonths(shop, asOf);
  const scores = openScoreWriter(shop, now);
  let analysis: ShopAnalysis;
  try {
    ({ analysis } = await scoreShopAnalysis(
      transactions,
      { asOf, settings, forecastMonths },
      (customers) => scores.write(customers.map(toRow)),
      scoring,
    ));
  } finally {
    await scores.close();
  }
  const { dataRules, backtestSummary, score: result, ranges, modelChoice } = analysis;
  const valueThresholds = await countValueThresholds(shop);

  const state: StoredModelState = {
    asOf,
    settings,
    model: result.model,
    historic: result.historic,
    cadence: result.cadence,
    insights: result.insights,
    backtest: backtestSummary,
    customersScored: result.customersScored,
    dataRules,
    ranges,
    modelChoice,
    valueThresholds,
  };
  // Meeting an import's writes (a lock, a stale snapshot, a deadlock) must not throw away the run's work.
  await retryTransient(() => saveShopModelState(shop, state, now), Date.now() + STATE_SAVE_BUDGET_MS);
  await recordForecastMonths(shop, analysis.forecastMonths, now);
  // Every customer's lifecycle group may have moved: the dashboard's figures are counted again before the run ends.
  await refreshDashboardFigures(shop);
  return { state, scored: result.customersScored };
}

/**
 * After an order webhook: re-score just these customers with the stored parameters (no refit), through
 * the same kernel as the shop-wide run. RFM quintiles need the whole shop, so the customers keep their
 * last RFM scores until the next full run. Does nothing until the shop has been scored once.
 */
export async function rescoreCustomers(shop: string, customerShopifyIds: string[], now = new Date()) {
  if (!customerShopifyIds.length) return 0;
  // Before the first recompute there is nothing to score with: skip reading the customers' orders.
  const shopRow = await getShop(shop);
  if (!shopRow?.modelState) return 0;
  const { asOf, transactions } = await shopOrders(shop, now, customerShopifyIds, shopRow);
  // A few customers: summarised here, with the last full run's spend cap (the robust cap needs the whole shop).
  const summaries = summarizeTransactions(transactions, {
    asOf,
    today: asOf,
    unit: "days",
    ...SHOP_ORDER_RULES,
    spendCap: readDataRules(shopRow.modelState)?.spendCap ?? undefined,
    report: emptyCleaningReport(),
  });
  const model = readScoringModel(shopRow.modelState);
  if (!model) return 0;
  const current = new Map((await storedScores(shop, customerShopifyIds)).map((c) => [c.shopifyId, c]));
  let updated = 0;
  for (const summary of summaries) {
    const row = current.get(summary.customerId);
    if (!row) continue;
    const scored = scoreCustomer(summary, model, (row.rfmFrequency ?? 1) as Score);
    await saveCustomerScore(
      shop,
      {
        shopifyId: summary.customerId,
        historicClv: round2(scored.historicClv.clv),
        predictedClv: scored.predictedClv === null ? null : round2(scored.predictedClv),
        pAlive: scored.pAlive,
        expectedPurchases: scored.expectedPurchases,
        lifecycle: scored.lifecycle.group,
        lifecycleReason: JSON.stringify({ text: scored.lifecycle.text, reason: scored.lifecycle.reason }),
        lapsedSince: lapsedSince(scored.lapsedDaysAgo, row.lifecycle === "lapsed" ? row.lapsedSince : null, now),
      },
      now,
    );
    updated += 1;
  }
  return updated;
}

/**
 * The day a customer entered Lapsed is kept while they stay there (win-back: one offer per lapse);
 * a customer newly found Lapsed is dated by their history, so the first scoring after install does
 * not make everyone lapse on install day.
 */
function lapsedSince(lapsedDaysAgo: number | null, lapsedBefore: Date | null | undefined, now: Date) {
  if (lapsedDaysAgo === null) return null;
  return lapsedBefore ?? new Date(now.getTime() - lapsedDaysAgo * DAY_MS);
}

const DAY_MS = 86_400_000;
const STATE_SAVE_BUDGET_MS = 30_000;

/**
 * The high-value threshold over the scores just written, counted once here so pages and the segment sync read it
 * instead of counting every scored customer on each load (issue 23 item 3). If the count fails, nothing is stored
 * and they count themselves, as before the first run.
 */
async function countValueThresholds(shop: string): Promise<StoredModelState["valueThresholds"]> {
  try {
    const predictedClv = await retryTransient(() => predictedClvPercentile(shop, HIGH_VALUE_PERCENTILE), Date.now() + STATE_SAVE_BUDGET_MS);
    return { highValue: { share: HIGH_VALUE_PERCENTILE, predictedClv } };
  } catch (error) {
    console.error("recompute: value thresholds not counted; pages count them until the next run", shop, error);
    return null;
  }
}

function round2(value: number) {
  return Math.round(value * 100) / 100;
}
