import type { Shop } from "@prisma/client";
import {
  loadLapsedSince,
  openScoreWriter,
  SCORE_BATCH,
  saveCustomerScore,
  storedScores,
  valueOrderPages,
  type CustomerScoreRow,
  type ValueOrder,
} from "../models/customer-scores.server";
import { getShop } from "../models/shop.server";
import { backtest, type BacktestResult } from "../retention/clv/backtest";
import { emptyCleaningReport, SHOP_ORDER_RULES, type Transaction } from "../retention/clv/cleaning";
import { chooseModel } from "../retention/clv/model-choice";
import { summarizeTransactions } from "../retention/clv/summary";
import { customerColumns, scoreCustomer } from "../retention/customer-score";
import { fitShopModel, scoreShopChunks, type CustomerScore, type ShopScoreSummary } from "../retention/score";
import {
  readDataRules,
  readScoringModel,
  saveShopModelState,
  type BacktestView,
  type StoredModelState,
} from "../models/model-state.server";
import { shopRanges } from "../retention/score-ranges";
import { backfillForecastMonths, recordForecastMonths } from "./forecast-months.server";
import { readShopSettings, scoringSettings } from "../models/shop-settings.server";
import type { Score } from "../retention/segments/rfm";
import { dayNumber, dayString, localDayConverter } from "../retention/time";

/**
 * A shop's value orders as the retention core reads them (customer, local day, value), kept as columns
 * instead of a million objects: per order a customer number, a day number and the value, with one
 * string per customer and per day. Iterating yields the transactions in the order they were appended
 * (oldest first), as often as needed.
 */
export class TransactionLog implements Iterable<Transaction> {
  private readonly customerIds: string[] = [];
  private readonly customerNumbers = new Map<string, number>();
  private readonly days: string[] = [];
  private readonly dayNumbers = new Map<string, number>();
  private readonly pages: Array<{ customer: Int32Array; day: Int32Array; amount: Float64Array }> = [];
  length = 0;

  constructor(private readonly toLocalDay: (instant: Date) => string) {}

  append(orders: readonly ValueOrder[]): void {
    if (!orders.length) return;
    const customer = new Int32Array(orders.length);
    const day = new Int32Array(orders.length);
    const amount = new Float64Array(orders.length);
    orders.forEach((order, i) => {
      customer[i] = intern(this.customerNumbers, this.customerIds, order.customerShopifyId);
      day[i] = intern(this.dayNumbers, this.days, this.toLocalDay(order.processedAt));
      amount[i] = order.netTotal;
    });
    this.pages.push({ customer, day, amount });
    this.length += orders.length;
  }

  /** Local day of the first transaction; undefined when there is none. */
  get firstDay(): string | undefined {
    return this.length ? this.days[this.pages[0].day[0]] : undefined;
  }

  *[Symbol.iterator](): Iterator<Transaction> {
    for (const { customer, day, amount } of this.pages) {
      for (let i = 0; i < customer.length; i++) {
        yield { customerId: this.customerIds[customer[i]], date: this.days[day[i]], amount: amount[i] };
      }
    }
  }
}

function intern(numbers: Map<string, number>, values: string[], value: string): number {
  let n = numbers.get(value);
  if (n === undefined) {
    n = values.push(value) - 1;
    numbers.set(value, n);
  }
  return n;
}

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

function summarizeBacktest(result: BacktestResult, window: { calibrationEnd: string; holdoutEnd: string }): BacktestView {
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

/** Shop-local date, summaries and settings: the common start of full and single-customer scoring. */
async function scoringInputs(shop: string, now: Date, customerShopifyIds?: string[], given?: Shop) {
  const shopRow = given ?? (await getShop(shop));
  if (!shopRow) throw new Error(`Shop ${shop} is not installed`);
  const toLocalDay = localDayConverter(shopRow.ianaTimezone);
  const asOf = toLocalDay(now);
  const transactions = new TransactionLog(toLocalDay);
  for await (const page of valueOrderPages(shop, customerShopifyIds)) transactions.append(page);
  // The data rules of retention/clv/cleaning.ts, as the command applies them; what fired is stored and shown.
  const dataRules = emptyCleaningReport();
  return {
    shopRow,
    asOf,
    transactions,
    dataRules,
    settings: scoringSettings(readShopSettings(shopRow.settings)),
    summaries: summarizeTransactions(transactions, {
      asOf,
      today: asOf,
      unit: "days",
      ...SHOP_ORDER_RULES,
      // The robust cap needs the whole shop's days; a single-customer re-score reuses the last full run's cap.
      spendCap: customerShopifyIds ? (readDataRules(shopRow.modelState)?.spendCap ?? undefined) : "robust",
      report: dataRules,
    }),
  };
}

/**
 * The backtest, and (issue 19 monthly report) on a shop's first run the past months from its calibration model.
 * A function of its own so the calibration data are garbage once it returns.
 */
async function backtestAndBackfill(
  shop: string,
  transactions: TransactionLog,
  window: { calibrationEnd: string; holdoutEnd: string } | null,
  asOf: string,
  now: Date,
) {
  const result = window ? backtest(transactions, { ...window, unit: "days", ...SHOP_ORDER_RULES }) : null;
  return {
    backtestSummary: result && window ? summarizeBacktest(result, window) : null,
    backfill: await backfillForecastMonths(shop, transactions, result, window?.calibrationEnd ?? null, asOf, now),
  };
}

/**
 * Recomputes every customer's value, RFM and lifecycle group for one shop, stores the fitted model,
 * shop insights and backtest accuracy, and returns what changed for write-back.
 */
export async function recomputeShop(shop: string, now = new Date()) {
  const { asOf, transactions, summaries, settings, dataRules } = await scoringInputs(shop, now);
  // The fits and the scoring are synchronous CPU work (seconds on a large shop): between the steps the
  // event loop serves the requests that waited, so a page waits for one step, not for all of them.
  await nextTurn();
  // The backtest first: its working data is gone before scoring builds a result per customer.
  const window = transactions.firstDay ? backtestWindow(transactions.firstDay, asOf) : null;
  const { backtestSummary, backfill } = await backtestAndBackfill(shop, transactions, window, asOf, now);
  await nextTurn();
  // Issue 19 "model choice": BG/NBD, Pareto/NBD or MBG/NBD, by their errors on the last third of the history.
  const modelChoice = transactions.firstDay
    ? chooseModel(transactions, {
        calibrationEnd: asOf,
        firstDay: transactions.firstDay,
        unit: "days",
        ...SHOP_ORDER_RULES,
        minRepeatBuyers: settings.minRepeatBuyers,
      })
    : null;
  await nextTurn();
  const model = fitShopModel(summaries, settings, modelChoice ?? undefined);
  await nextTurn();
  // Read before the first write; rows are built and written one chunk at a time, as the kernel yields them.
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
  const run = scoreShopChunks({ customers: customerColumns(summaries), asOf, settings, model, chunkSize: SCORE_BATCH });
  const scores = openScoreWriter(shop, now);
  let result: ShopScoreSummary;
  try {
    for (let step = run.next(); ; step = run.next()) {
      if (step.done) {
        result = step.value;
        break;
      }
      const chunk = step.value;
      const rows = new Array<CustomerScoreRow>(chunk.length);
      for (let j = 0; j < chunk.length; j++) rows[j] = toRow(chunk.row(j));
      await scores.write(rows);
    }
  } finally {
    await scores.close();
  }
  // Issue 19 "how sure": the parameters' sampling distributions and the 12-month revenue range.
  const ranges = shopRanges(result, summaries, settings);
  await nextTurn();

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
  };
  await saveShopModelState(shop, state, now);
  await recordForecastMonths(shop, { transactions, asOf, model: result.model, backfill }, now);
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
  const { summaries } = await scoringInputs(shop, now, customerShopifyIds, shopRow);
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

/** Lets timers and I/O that are due run before the next synchronous step. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function round2(value: number) {
  return Math.round(value * 100) / 100;
}
