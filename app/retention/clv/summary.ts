import { dayNumber, daysPerUnit, type TimeUnit } from "../time";
export type { Transaction } from "./cleaning";
import { PurchaseLedger, robustSpendCap, type CleaningReport, type Transaction, type ZeroDayRule } from "./cleaning";

/** What BG/NBD needs per customer, in one time unit: x, t_x and T of Fader, Hardie & Lee. */
export interface FrequencyRecency {
  /** x: number of repeat purchase periods (days with an order after the first one). */
  frequency: number;
  /** t_x: time from the first to the last purchase (0 when frequency = 0). */
  recency: number;
  /** Time from the first purchase to the end of the observation period. */
  T: number;
}

/** A customer's history as the CLV models and segments see it. */
export interface CustomerSummary extends FrequencyRecency {
  customerId: string;
  /** Mean value of the repeat purchase days (first purchase excluded, as Gamma-Gamma expects); 0 if none. */
  monetaryValue: number;
  /** Orders placed (several on one day count separately here, unlike frequency). */
  orderCount: number;
  /** Sum of all order values, first purchase included. */
  totalSpend: number;
}

export interface SummaryOptions {
  /** Last day of the observation period (inclusive), "YYYY-MM-DD". */
  asOf: string;
  /** Unit for recency and T; BG/NBD parameters come out in this unit. */
  unit: TimeUnit;
  /**
   * Winsorise day values above a robust cap (see robustSpendCap) in the spend input (monetaryValue) only;
   * totals stay as recorded. A number is used as the cap; "robust" derives it from the summarised days.
   */
  spendCap?: number | "robust";
  /** Filled with the rules that fired (pass an object to be told; see cleaning.ts). */
  report?: CleaningReport;
  /** How a day whose net is exactly 0 counts (see ZeroDayRule). */
  zeroDays?: ZeroDayRule;
  /** Rows after this day ("YYYY-MM-DD") are future-dated: counted in the report, never summarised. */
  today?: string;
}

/**
 * Builds (frequency, recency, T, monetary value) summaries from a transaction log, the way the CDNOW
 * benchmark does: a transaction is a purchase *day* (same-day orders add up), x excludes the first purchase,
 * and only orders up to `asOf` count, under the data rules of cleaning.ts (net per day; days whose net is ≤ 0 are
 * not purchases; exact re-exports dropped; a spend cap when asked). Customers appear in the order they first occur.
 * `transactions` may be a PurchaseLedger already filled (the command streams its file into one).
 */
export function summarizeTransactions(transactions: Iterable<Transaction> | PurchaseLedger, options: SummaryOptions): CustomerSummary[] {
  const end = dayNumber(options.asOf);
  const unitDays = daysPerUnit(options.unit);
  const report = options.report;
  const ledger =
    transactions instanceof PurchaseLedger
      ? transactions
      : new PurchaseLedger({
          zeroDays: options.zeroDays,
          keepUntil: options.today === undefined ? undefined : dayNumber(options.today),
        }).addAll(transactions);
  if (report) ledger.reportReading(report);
  let cap: number | null = null;
  if (typeof options.spendCap === "number") cap = options.spendCap;
  else if (options.spendCap === "robust") {
    const all: number[] = [];
    ledger.forEachPurchaseHistory(end, (_, __, values) => {
      for (const v of values) all.push(v);
    });
    cap = robustSpendCap(Float64Array.from(all));
  }
  if (report) report.spendCap = cap;
  const summaries: CustomerSummary[] = [];
  ledger.forEachPurchaseHistory(
    end,
    (customerId, days, values, orderCount) => {
      const first = days[0];
      const last = days[days.length - 1];
      let totalSpend = 0;
      let repeatSpend = 0;
      let cappedDays = 0;
      for (let i = 0; i < days.length; i++) {
        const value = values[i];
        totalSpend += value;
        const over = cap !== null && value > cap;
        if (over) cappedDays += 1;
        if (i > 0) repeatSpend += over ? cap! : value;
      }
      if (cappedDays > 0 && report) {
        report.cappedDays += cappedDays;
        if (report.cappedCustomers.length < 20) report.cappedCustomers.push(customerId);
      }
      const frequency = days.length - 1;
      summaries.push({
        customerId,
        frequency,
        recency: (last - first) / unitDays,
        T: (end - first) / unitDays,
        monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
        orderCount,
        totalSpend,
      });
    },
    report,
  );
  return summaries;
}
