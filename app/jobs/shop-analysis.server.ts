/**
 * The CPU work of a shop's full recompute, from its value orders to every customer's score: summaries, the
 * backtest, the model fit with per-customer scoring, and the shop's ranges. No database and no Shopify here:
 * it runs on the scoring worker thread (scoring-worker.server.ts), or in the request thread when the worker
 * cannot start (shop-scoring.server.ts). It yields between its steps so the in-thread run can let the event
 * loop in, and yields the scored customers in batches so the worker can send them as they are ready.
 */
import type { BacktestView } from "../models/model-state.server";
import type { ValueOrder } from "../models/customer-scores.server";
import { backtest, type BacktestResult } from "../retention/clv/backtest";
import { chooseModel, type ModelChoice } from "../retention/clv/model-choice";
import { emptyCleaningReport, SHOP_ORDER_RULES, type CleaningReport, type Transaction } from "../retention/clv/cleaning";
import { summarizeTransactions } from "../retention/clv/summary";
import { customerColumns } from "../retention/customer-score";
import { fitShopModel, scoreShopChunks, type CustomerScore, type ScoringSettings, type ShopScoreSummary } from "../retention/score";
import { shopRanges, type ShopRanges } from "../retention/score-ranges";
import { dayNumber, dayString } from "../retention/time";
import {
  backfillMonths,
  closeAndForecastMonths,
  lazyPurchaseDays,
  type ForecastMonthsPlan,
  type ForecastMonthsWork,
} from "./forecast-months-analysis.server";

/** The columns of a TransactionLog: what the worker thread is sent (typed arrays and two string tables). */
export interface TransactionColumns {
  customerIds: string[];
  days: string[];
  pages: Array<{ customer: Int32Array; day: Int32Array; amount: Float64Array }>;
}

/**
 * A shop's value orders as the retention core reads them (customer, local day, value), kept as columns
 * instead of a million objects: per order a customer number, a day number and the value, with one
 * string per customer and per day. Iterating yields the transactions in the order they were appended
 * (oldest first), as often as needed.
 */
export class TransactionLog implements Iterable<Transaction> {
  private customerIds: string[] = [];
  private readonly customerNumbers = new Map<string, number>();
  private days: string[] = [];
  private readonly dayNumbers = new Map<string, number>();
  private pages: TransactionColumns["pages"] = [];
  length = 0;

  constructor(private readonly toLocalDay: (instant: Date) => string) {}

  /** A log read back from its columns (on the worker thread); it can be iterated, not appended to. */
  static fromColumns(columns: TransactionColumns): TransactionLog {
    const log = new TransactionLog(() => {
      throw new Error("A log made from columns is read-only");
    });
    log.customerIds = columns.customerIds;
    log.days = columns.days;
    log.pages = columns.pages;
    log.length = columns.pages.reduce((n, page) => n + page.customer.length, 0);
    return log;
  }

  get columns(): TransactionColumns {
    return { customerIds: this.customerIds, days: this.days, pages: this.pages };
  }

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

export interface ShopAnalysisInput {
  asOf: string;
  settings: ScoringSettings;
  /** What the monthly report asks of this run (forecast-months.server.ts reads it from the stored rows). */
  forecastMonths: ForecastMonthsPlan;
}

export interface ShopAnalysis {
  dataRules: CleaningReport;
  window: { calibrationEnd: string; holdoutEnd: string } | null;
  /** The backtest without its calibration summaries and per-customer rows (not sent back from the worker). */
  backtest: BacktestResult | null;
  backtestSummary: BacktestView | null;
  score: ShopScoreSummary;
  ranges: ShopRanges | null;
  /** Issue 19: the purchase model kept for the shop and the candidates' validation errors. */
  modelChoice: ModelChoice | null;
  /** The monthly report's figures for this run (issue 19). */
  forecastMonths: ForecastMonthsWork;
}

/** Customers per yielded batch: one message from the worker, one write batch's worth. */
export const ANALYSIS_BATCH = 5_000;

/**
 * The recompute's CPU work, one step per `next()`: yields "step" between the summaries, the backtest, the
 * scoring and the ranges, a batch of scored customers as each is ready, and returns the rest.
 */
export function* analyseShop(
  transactions: TransactionLog,
  { asOf, settings, forecastMonths: plan }: ShopAnalysisInput,
): Generator<"step" | CustomerScore[], ShopAnalysis, undefined> {
  // The data rules of retention/clv/cleaning.ts, as the command applies them; what fired is stored and shown.
  const dataRules = emptyCleaningReport();
  const summaries = summarizeTransactions(transactions, {
    asOf,
    today: asOf,
    unit: "days",
    ...SHOP_ORDER_RULES,
    // The robust cap needs the whole shop's days (a single-customer re-score reuses the last full run's cap).
    spendCap: "robust",
    report: dataRules,
  });
  yield "step";
  const window = transactions.firstDay ? backtestWindow(transactions.firstDay, asOf) : null;
  let tested = window ? backtest(transactions, { ...window, unit: "days", ...SHOP_ORDER_RULES }) : null;
  const backtestSummary = tested && window ? summarizeBacktest(tested, window) : null;
  yield "step";
  // Issue 19 monthly report, a shop's first run: the past months from the backtest's calibration model, fitted on
  // the calibration summaries, which are dropped afterwards.
  const days = lazyPurchaseDays(transactions, asOf);
  const backfill = backfillMonths(plan, days, tested, window?.calibrationEnd ?? null, asOf);
  if (tested) tested = { ...tested, summaries: [], ...(tested.status === "fitted" ? { perCustomer: [] } : {}) };
  yield "step";
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
  yield "step";
  const model = fitShopModel(summaries, settings, modelChoice ?? undefined);
  yield "step";
  const run = scoreShopChunks({ customers: customerColumns(summaries), asOf, settings, model, chunkSize: ANALYSIS_BATCH });
  let step = run.next();
  for (; !step.done; step = run.next()) {
    const chunk = step.value;
    const batch = new Array<CustomerScore>(chunk.length);
    for (let j = 0; j < chunk.length; j++) batch[j] = chunk.row(j);
    yield batch;
  }
  const score = step.value;
  // Issue 19 "how sure": the parameters' sampling distributions and the 12-month revenue range.
  const ranges = shopRanges(score, summaries, settings);
  yield "step";
  const forecastMonths = { backfill, ...closeAndForecastMonths(plan, days, score.model, asOf) };
  return { dataRules, window, backtest: tested, backtestSummary, score, ranges, modelChoice, forecastMonths };
}
