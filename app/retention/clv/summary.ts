import { dayNumber, daysPerUnit, type TimeUnit } from "../time";

/** One order (or line of a transaction log). */
export interface Transaction {
  customerId: string;
  /** Local calendar day, "YYYY-MM-DD" (or "YYYYMMDD"). */
  date: string;
  /** Order value; missing counts as 0 (the BG/NBD part does not need it). */
  amount?: number;
}

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
}

interface PurchaseDays {
  /** day number → summed value of that day's orders */
  days: Map<number, number>;
  orderCount: number;
}

/** Groups a log into per-customer purchase days, keeping only orders on or before `lastDay`. */
export function purchaseDaysByCustomer(transactions: Iterable<Transaction>, lastDay?: number): Map<string, PurchaseDays> {
  const byCustomer = new Map<string, PurchaseDays>();
  for (const t of transactions) {
    const day = dayNumber(t.date);
    if (lastDay !== undefined && day > lastDay) continue;
    let entry = byCustomer.get(t.customerId);
    if (!entry) {
      entry = { days: new Map(), orderCount: 0 };
      byCustomer.set(t.customerId, entry);
    }
    entry.orderCount += 1;
    entry.days.set(day, (entry.days.get(day) ?? 0) + (t.amount ?? 0));
  }
  return byCustomer;
}

/**
 * Builds (frequency, recency, T, monetary value) summaries from a transaction log, the way the CDNOW
 * benchmark does: a transaction is a purchase *day* (same-day orders add up), x excludes the first purchase,
 * and only orders up to `asOf` count. Customers appear in the order they first occur in the log.
 */
export function summarizeTransactions(transactions: Iterable<Transaction>, options: SummaryOptions): CustomerSummary[] {
  const end = dayNumber(options.asOf);
  const unitDays = daysPerUnit(options.unit);
  const summaries: CustomerSummary[] = [];
  for (const [customerId, { days, orderCount }] of purchaseDaysByCustomer(transactions, end)) {
    const sorted = [...days.keys()].sort((p, q) => p - q);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    let totalSpend = 0;
    let repeatSpend = 0;
    for (const day of sorted) {
      const value = days.get(day) ?? 0;
      totalSpend += value;
      if (day !== first) repeatSpend += value;
    }
    const frequency = sorted.length - 1;
    summaries.push({
      customerId,
      frequency,
      recency: (last - first) / unitDays,
      T: (end - first) / unitDays,
      monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
      orderCount,
      totalSpend,
    });
  }
  return summaries;
}
