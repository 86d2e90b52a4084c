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
  /**
   * Winsorise day values above a robust cap (see robustSpendCap) in the spend input (monetaryValue) only;
   * totals stay as recorded. A number is used as the cap; "robust" derives it from the summarised days.
   */
  spendCap?: number | "robust";
  /** Filled with the rules that fired (pass an object to be told). */
  report?: CleaningReport;
  /** How a day whose net is exactly 0 counts (see ZeroDayRule). */
  zeroDays?: ZeroDayRule;
}

/**
 * "unless-refunded" (logs): a 0 day is a purchase unless it has a negative line (an order refunded the same day);
 * free items are purchases, as in CDNOW. "never" (the app): an order's net total of 0 means it was refunded.
 */
export type ZeroDayRule = "unless-refunded" | "never";

/**
 * The stated rules for amounts, in order: (1) a customer's lines of one day are netted (refunds are negative
 * lines); (2) a day whose net is < 0 (refund-only) is not a purchase day, nor one whose net is 0 after a refund
 * (ZeroDayRule), and a customer without a purchase day is not a customer; (3) with a spend cap, day values above it count as the
 * cap for the spend model and are flagged. Lines without an amount are purchases (logs without values).
 */
export interface CleaningReport {
  /** Lines with an amount ≤ 0 (refunds, zero-value orders). */
  nonPositiveLines: number;
  /** Customer-days whose net was < 0, or 0 after a refund, and so were not counted as purchases. */
  nonPurchaseDays: number;
  /** Customers left out because none of their days had a positive net. */
  customersWithoutPurchase: number;
  /** The cap applied to day values for the spend model; null when none. */
  spendCap: number | null;
  /** Customer-days above the cap (winsorised for the spend model). */
  cappedDays: number;
  /** Up to 20 customers with a capped day, for the analyst to look at. */
  cappedCustomers: string[];
}

export function emptyCleaningReport(): CleaningReport {
  return { nonPositiveLines: 0, nonPurchaseDays: 0, customersWithoutPurchase: 0, spendCap: null, cappedDays: 0, cappedCustomers: [] };
}

interface PurchaseDays {
  /** day number → net value of that day's lines (only purchase days: net > 0, or no amounts given) */
  days: Map<number, number>;
  /** Lines on purchase days with a non-negative or missing amount. */
  orderCount: number;
}

/**
 * Groups a log into per-customer purchase days, keeping only orders on or before `lastDay`, netting each day
 * and dropping days whose net is ≤ 0 (rules 1–2 of CleaningReport).
 */
export function purchaseDaysByCustomer(
  transactions: Iterable<Transaction>,
  lastDay?: number,
  report?: CleaningReport,
  zeroDays: ZeroDayRule = "unless-refunded",
): Map<string, PurchaseDays> {
  const byCustomer = new Map<string, PurchaseDays & { priced: Set<number>; refunded: Set<number>; lines: Map<number, number> }>();
  let nonPositiveLines = 0;
  for (const t of transactions) {
    const day = dayNumber(t.date);
    if (lastDay !== undefined && day > lastDay) continue;
    let entry = byCustomer.get(t.customerId);
    if (!entry) {
      entry = { days: new Map(), orderCount: 0, priced: new Set(), refunded: new Set(), lines: new Map() };
      byCustomer.set(t.customerId, entry);
    }
    if (t.amount !== undefined) {
      entry.priced.add(day);
      if (!(t.amount > 0)) nonPositiveLines += 1;
      if (t.amount < 0) entry.refunded.add(day);
    }
    if (t.amount === undefined || t.amount >= 0) entry.lines.set(day, (entry.lines.get(day) ?? 0) + 1);
    entry.days.set(day, (entry.days.get(day) ?? 0) + (t.amount ?? 0));
  }
  let nonPurchaseDays = 0;
  let customersWithoutPurchase = 0;
  const result = new Map<string, PurchaseDays>();
  for (const [customerId, { days, priced, refunded, lines }] of byCustomer) {
    let orderCount = 0;
    for (const [day, value] of days) {
      const notPurchase = value < 0 || (value === 0 && priced.has(day) && (zeroDays === "never" || refunded.has(day)));
      if (notPurchase) {
        days.delete(day);
        nonPurchaseDays += 1;
      } else {
        orderCount += lines.get(day) ?? 0;
      }
    }
    if (days.size === 0) customersWithoutPurchase += 1;
    else result.set(customerId, { days, orderCount });
  }
  if (report) {
    report.nonPositiveLines += nonPositiveLines;
    report.nonPurchaseDays += nonPurchaseDays;
    report.customersWithoutPurchase += customersWithoutPurchase;
  }
  return result;
}

/** Robust spread floor on the log scale: shops with near-identical order values still get a finite, wide cap. */
const MIN_LOG_SIGMA = 0.5;
/** How many robust standard deviations (of log day value) above the median the cap sits. */
const CAP_SIGMAS = 6;

/**
 * A cap for day values: exp(median + 6 σ) of log values, with σ = 1.4826 · MAD (the normal-consistent median
 * absolute deviation), at least 0.5. On a log-normal spend distribution it is exceeded by about 1 day in 10⁹;
 * a single order of 1e9 in a shop of $30 orders is far above it. Null with no positive values.
 */
export function robustSpendCap(values: Float64Array): number | null {
  const logs = values.filter((v) => v > 0).map(Math.log);
  if (logs.length === 0) return null;
  logs.sort();
  const median = medianOfSorted(logs);
  const deviations = logs.map((v) => Math.abs(v - median)).sort();
  const sigma = Math.max(1.4826 * medianOfSorted(deviations), MIN_LOG_SIGMA);
  return Math.exp(median + CAP_SIGMAS * sigma);
}

function medianOfSorted(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Builds (frequency, recency, T, monetary value) summaries from a transaction log, the way the CDNOW
 * benchmark does: a transaction is a purchase *day* (same-day orders add up), x excludes the first purchase,
 * and only orders up to `asOf` count. Days whose net is ≤ 0 are not purchases (see CleaningReport).
 * Customers appear in the order they first occur in the log.
 */
export function summarizeTransactions(transactions: Iterable<Transaction>, options: SummaryOptions): CustomerSummary[] {
  const end = dayNumber(options.asOf);
  const unitDays = daysPerUnit(options.unit);
  const report = options.report;
  const byCustomer = purchaseDaysByCustomer(transactions, end, report, options.zeroDays);
  let cap: number | null = null;
  if (typeof options.spendCap === "number") cap = options.spendCap;
  else if (options.spendCap === "robust") {
    let n = 0;
    for (const { days } of byCustomer.values()) n += days.size;
    const values = new Float64Array(n);
    let i = 0;
    for (const { days } of byCustomer.values()) for (const v of days.values()) values[i++] = v;
    cap = robustSpendCap(values);
  }
  if (report) report.spendCap = cap;
  const summaries: CustomerSummary[] = [];
  for (const [customerId, { days, orderCount }] of byCustomer) {
    const sorted = [...days.keys()].sort((p, q) => p - q);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    let totalSpend = 0;
    let repeatSpend = 0;
    let capped = false;
    for (const day of sorted) {
      const value = days.get(day) ?? 0;
      totalSpend += value;
      if (cap !== null && value > cap) capped = true;
      if (day !== first) repeatSpend += cap !== null && value > cap ? cap : value;
    }
    if (capped && report) {
      for (const v of days.values()) if (v > (cap ?? Infinity)) report.cappedDays += 1;
      if (report.cappedCustomers.length < 20) report.cappedCustomers.push(customerId);
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
