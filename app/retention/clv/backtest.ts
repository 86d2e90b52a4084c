/**
 * Calibration / holdout backtest: fit BG/NBD on the orders up to the calibration end, predict each
 * calibration customer's purchases in the holdout, and compare with what happened and with the naive
 * "same rate as before" forecast.
 */
import { dayNumber, daysPerUnit, type TimeUnit } from "../time";
import { expectedPurchases, fitBgNbd, type BgNbdFit, type BgNbdFitOptions } from "./bgnbd";
import { PurchaseLedger, type Transaction, type ZeroDayRule } from "./cleaning";
import { summarizeTransactions, type CustomerSummary } from "./summary";

export interface BacktestOptions extends BgNbdFitOptions {
  /** Last calibration day (inclusive), "YYYY-MM-DD". */
  calibrationEnd: string;
  /** Last holdout day (inclusive); the holdout starts the day after calibrationEnd. */
  holdoutEnd: string;
  unit: TimeUnit;
  /** Calibration summaries already built (e.g. with a spend cap); built from `transactions` otherwise. */
  summaries?: CustomerSummary[];
  /** How a day with net 0 counts, in calibration and holdout alike (see summarizeTransactions). */
  zeroDays?: ZeroDayRule;
}

export interface BacktestCustomer {
  customerId: string;
  actual: number;
  predicted: number;
  naive: number;
}

export interface BacktestAccuracy {
  /** Holdout length in model units. */
  holdoutLength: number;
  customers: number;
  /** Repeat purchase days that happened in the holdout (customers first seen in the holdout excluded). */
  holdoutActual: number;
  holdoutPredicted: number;
  /** (predicted − actual) / actual; null when nothing happened in the holdout. */
  aggregateRelativeError: number | null;
  /** Mean |predicted − actual| per customer. */
  mae: number;
  /** Same for the naive forecast: calibration repeat rate x / T carried over the holdout. */
  naiveMae: number;
  naivePredicted: number;
}

export type BacktestResult =
  | ({
      status: "fitted";
      fit: Extract<BgNbdFit, { status: "fitted" }>;
      summaries: CustomerSummary[];
      perCustomer: BacktestCustomer[];
    } & BacktestAccuracy)
  | { status: "insufficient"; fit: Extract<BgNbdFit, { status: "insufficient" }>; summaries: CustomerSummary[] };

/**
 * Repeat purchase days of each customer in (fromDay, toDay] (also the model choice's validation window). A ledger
 * already filled (the command's) is read as it is instead of being copied.
 */
export function purchaseDaysBetween(
  transactions: Iterable<Transaction> | PurchaseLedger,
  fromDay: number,
  toDay: number,
  zeroDays?: ZeroDayRule,
): Map<string, number> {
  const ledger = transactions instanceof PurchaseLedger ? transactions : new PurchaseLedger({ zeroDays }).addAll(transactions);
  const counts = new Map<string, number>();
  ledger.forEachPurchaseHistory(toDay, (customerId, days) => {
    let n = 0;
    for (const day of days) if (day > fromDay) n += 1;
    counts.set(customerId, n);
  });
  return counts;
}

/** `transactions` is read twice (calibration summaries, then holdout purchases): pass an array or a re-iterable log. */
export function backtest(transactions: Iterable<Transaction>, options: BacktestOptions): BacktestResult {
  const calibrationEnd = dayNumber(options.calibrationEnd);
  const holdoutEnd = dayNumber(options.holdoutEnd);
  if (!(holdoutEnd > calibrationEnd)) {
    throw new RangeError(`holdout end ${options.holdoutEnd} must be after calibration end ${options.calibrationEnd}`);
  }
  const summaries =
    options.summaries ??
    summarizeTransactions(transactions, { asOf: options.calibrationEnd, unit: options.unit, zeroDays: options.zeroDays });
  const fit = fitBgNbd(summaries, options);
  if (fit.status === "insufficient") return { status: "insufficient", fit, summaries };

  const holdoutLength = (holdoutEnd - calibrationEnd) / daysPerUnit(options.unit);
  const actualByCustomer = purchaseDaysBetween(transactions, calibrationEnd, holdoutEnd, options.zeroDays);
  const perCustomer: BacktestCustomer[] = summaries.map((c) => ({
    customerId: c.customerId,
    actual: actualByCustomer.get(c.customerId) ?? 0,
    predicted: expectedPurchases(fit, c, holdoutLength),
    // A customer first seen on the calibration end day has no observed rate yet: forecast 0.
    naive: c.T > 0 ? (c.frequency / c.T) * holdoutLength : 0,
  }));
  return { status: "fitted", fit, summaries, perCustomer, ...accuracy(perCustomer, holdoutLength) };
}

export function accuracy(perCustomer: readonly BacktestCustomer[], holdoutLength: number): BacktestAccuracy {
  let holdoutActual = 0;
  let holdoutPredicted = 0;
  let naivePredicted = 0;
  let absoluteError = 0;
  let naiveAbsoluteError = 0;
  for (const c of perCustomer) {
    holdoutActual += c.actual;
    holdoutPredicted += c.predicted;
    naivePredicted += c.naive;
    absoluteError += Math.abs(c.predicted - c.actual);
    naiveAbsoluteError += Math.abs(c.naive - c.actual);
  }
  const n = Math.max(perCustomer.length, 1);
  return {
    holdoutLength,
    customers: perCustomer.length,
    holdoutActual,
    holdoutPredicted,
    aggregateRelativeError: holdoutActual > 0 ? (holdoutPredicted - holdoutActual) / holdoutActual : null,
    mae: absoluteError / n,
    naiveMae: naiveAbsoluteError / n,
    naivePredicted,
  };
}
