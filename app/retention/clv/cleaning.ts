/**
 * The data rules between a transaction log and the CLV models. The analysts' command (`clv fit --transactions`)
 * and the app's recompute read their rows through the same ledger, so both count the same way:
 *
 * 1. **Net per customer per day.** A customer's lines of one calendar day add up; refunds are negative lines
 *    (in the app an order's value is already its total minus what was refunded).
 * 2. **Only positive days are purchases.** A day whose net is < 0 (refund-only) is not a purchase day, nor one whose
 *    net is 0 after a refund (`ZeroDayRule`); a customer with no purchase day is not a customer. A log's 0-value line
 *    with no refund that day is a purchase (free items, as the 8 in CDNOW); in the app an order netted to 0 is not.
 * 3. **Exact duplicates.** A row that repeats an earlier row of the same customer to the second (date, time of day,
 *    amount) is a double export and is dropped. Rows with a date only are kept even when identical: two equal orders
 *    on one day are real (CDNOW has 19 such pairs and its published summaries count both); they are counted.
 *    The app's orders are keyed by their Shopify id, so it never sees one twice.
 * 4. **Dates.** Rows after the end of the period (the calibration end, or today in the app) are not counted. Rows
 *    after today are flagged as future-dated and never move the default calibration end, which is the last day with
 *    rows on or before today, leaving out an isolated late stretch: rows after a gap of more than 90 days that hold
 *    fewer than 0.1% of the log (a mistyped year, not a shop's last season).
 * 5. **Extreme values.** For the spend model (Gamma-Gamma's input, `monetaryValue`) a day's value above a robust cap
 *    counts as the cap: exp(median + 6σ) of the log day values, σ = 1.4826 · MAD (at least 0.5). On log-normal spend
 *    about 1 day in 10⁹ exceeds it. Totals (historic value, RFM) keep what was recorded. Capped customers are flagged.
 *
 * Every rule that fired is counted in a CleaningReport.
 */
import { dayNumber, dayString } from "../time";

/** One order (or line of a transaction log). */
export interface Transaction {
  customerId: string;
  /** Local calendar day, "YYYY-MM-DD" (or "YYYYMMDD"). */
  date: string;
  /** Order value; missing counts as 0 (the BG/NBD part does not need it). */
  amount?: number;
  /** Time of day as the log gave it ("HH:MM:SS"), when it did: tells a re-exported row from a second order. */
  time?: string;
}

/**
 * "unless-refunded" (logs): a 0 day is a purchase unless it has a negative line (an order refunded the same day);
 * free items are purchases, as in CDNOW. "never" (the app): an order's net total of 0 means it was refunded.
 */
export type ZeroDayRule = "unless-refunded" | "never";

/** How the app reads its stored orders (one value per order, refunds already subtracted). */
export const SHOP_ORDER_RULES = { zeroDays: "never" } as const satisfies { zeroDays: ZeroDayRule };

/** What each rule of this module did, for the command's JSON and the dashboard. */
export interface CleaningReport {
  /** Lines with an amount ≤ 0 (refunds, zero-value orders) on or before the end. */
  nonPositiveLines: number;
  /** Customer-days whose net was < 0, or 0 after a refund, and so were not counted as purchases. */
  nonPurchaseDays: number;
  /** Customers left out because none of their days had a positive net. */
  customersWithoutPurchase: number;
  /** Rows dropped as exact duplicates of an earlier row (same customer, date and time, amount). */
  duplicateLines: number;
  /** Date-only rows identical to an earlier one (same customer, day, amount): kept as separate orders. */
  identicalDateOnlyLines: number;
  /** Rows dated after today: not counted, and they do not move the default calibration end. */
  futureDatedLines: number;
  latestFutureDate: string | null;
  /** Rows in an isolated late stretch (rule 4) left out of the default calibration end. */
  isolatedLateLines: number;
  /** Rows after the end of the period summarised (holdout or excluded rows included). */
  linesAfterEnd: number;
  /** The cap applied to day values for the spend model; null when none. */
  spendCap: number | null;
  /** Customer-days above the cap (winsorised for the spend model). */
  cappedDays: number;
  /** Up to 20 customers with a capped day, for the analyst to look at. */
  cappedCustomers: string[];
}

export function emptyCleaningReport(): CleaningReport {
  return {
    nonPositiveLines: 0,
    nonPurchaseDays: 0,
    customersWithoutPurchase: 0,
    duplicateLines: 0,
    identicalDateOnlyLines: 0,
    futureDatedLines: 0,
    latestFutureDate: null,
    isolatedLateLines: 0,
    linesAfterEnd: 0,
    spendCap: null,
    cappedDays: 0,
    cappedCustomers: [],
  };
}

/** The counts of a report, for a short "what fired" list: the rules whose count is above 0. */
export function rulesThatFired(report: CleaningReport): Array<{ rule: keyof CleaningReport; count: number }> {
  const counted = [
    "nonPurchaseDays",
    "customersWithoutPurchase",
    "duplicateLines",
    "identicalDateOnlyLines",
    "futureDatedLines",
    "isolatedLateLines",
    "cappedDays",
  ] as const;
  return counted.filter((rule) => report[rule] > 0).map((rule) => ({ rule, count: report[rule] }));
}

export interface PurchaseDays {
  /** day number → net value of that day's lines (only purchase days: net > 0, or no amounts given) */
  days: Map<number, number>;
  /** Lines on purchase days with a non-negative or missing amount. */
  orderCount: number;
}

/** One customer-day: everything the rules need, without keeping the lines. */
class DayCell {
  net = 0;
  /** Lines kept (after rule 3). */
  lines = 0;
  /** Lines with a non-negative or missing amount (the day's orders). */
  orders = 0;
  nonPositive = 0;
  priced = false;
  refunded = false;
  /** The first line's time and amount; "time|amount" of every line once a second one arrives (rule 3). */
  firstTime: string | undefined = undefined;
  firstAmount: number | undefined = undefined;
  stamps: Set<string> | null = null;
}

const stampOf = (time: string | undefined, amount: number | undefined) => `${time ?? ""}|${amount ?? ""}`;

/** Rule 4's isolated late stretch: a gap longer than this many days … */
const LATE_GAP_DAYS = 90;
/** … before rows that are fewer than this share of the log. */
const LATE_SHARE = 0.001;

/**
 * A log reduced to customer-days as it is read, one row at a time (a file of any size is streamed through it;
 * memory grows with customer-days, not rows). Rows after `keepUntil` are counted as future-dated and dropped.
 */
export class PurchaseLedger {
  private readonly customers = new Map<string, Map<number, DayCell>>();
  /** Rows kept per day, for the default calibration end. */
  private readonly rowsPerDay = new Map<number, number>();
  private readonly counts = { duplicateLines: 0, identicalDateOnlyLines: 0, futureDatedLines: 0, latestFuture: -Infinity };
  /** Rows kept (after rules 3 and 4's future-dated rows). */
  rows = 0;
  /** Whether any row carried an amount (a log of dates only has no spend model). */
  hasAmounts = false;

  constructor(
    private readonly options: {
      /** Last day kept (usually today); later rows are future-dated. */
      keepUntil?: number;
      zeroDays?: ZeroDayRule;
    } = {},
  ) {}

  add(t: Transaction): void {
    const day = dayNumber(t.date);
    if (this.options.keepUntil !== undefined && day > this.options.keepUntil) {
      this.counts.futureDatedLines += 1;
      if (day > this.counts.latestFuture) this.counts.latestFuture = day;
      return;
    }
    let days = this.customers.get(t.customerId);
    if (!days) {
      days = new Map();
      this.customers.set(t.customerId, days);
    }
    let cell = days.get(day);
    if (!cell) {
      cell = new DayCell();
      days.set(day, cell);
    }
    if (cell.lines === 0) {
      cell.firstTime = t.time;
      cell.firstAmount = t.amount;
    } else {
      // Only days with several lines pay for the strings.
      cell.stamps ??= new Set([stampOf(cell.firstTime, cell.firstAmount)]);
      const stamp = stampOf(t.time, t.amount);
      if (cell.stamps.has(stamp)) {
        if (t.time !== undefined) {
          this.counts.duplicateLines += 1;
          return;
        }
        this.counts.identicalDateOnlyLines += 1;
      } else cell.stamps.add(stamp);
    }
    this.rows += 1;
    cell.lines += 1;
    this.rowsPerDay.set(day, (this.rowsPerDay.get(day) ?? 0) + 1);
    if (t.amount !== undefined) {
      this.hasAmounts = true;
      cell.priced = true;
      if (!(t.amount > 0)) cell.nonPositive += 1;
      if (t.amount < 0) cell.refunded = true;
    }
    if (t.amount === undefined || t.amount >= 0) cell.orders += 1;
    cell.net += t.amount ?? 0;
  }

  addAll(transactions: Iterable<Transaction>): this {
    for (const t of transactions) this.add(t);
    return this;
  }

  /** Rows set aside as duplicates or future-dated. */
  get droppedRows(): number {
    return this.counts.duplicateLines + this.counts.futureDatedLines;
  }

  /**
   * Rule 4's default calibration end: the last day with rows, leaving out an isolated late stretch (rows after a
   * gap of more than 90 days holding fewer than 0.1% of the rows). Null for an empty ledger.
   */
  defaultEnd(): { end: number; isolatedLateLines: number } | null {
    const days = [...this.rowsPerDay.keys()].sort((p, q) => p - q);
    if (days.length === 0) return null;
    let end = days[days.length - 1];
    let isolatedLateLines = 0;
    let tail = 0;
    for (let i = days.length - 1; i > 0; i--) {
      tail += this.rowsPerDay.get(days[i]) ?? 0;
      if (tail >= LATE_SHARE * this.rows) break;
      if (days[i] - days[i - 1] > LATE_GAP_DAYS) {
        end = days[i - 1];
        isolatedLateLines = tail;
      }
    }
    return { end, isolatedLateLines };
  }

  /** The report's counts that do not depend on the period's end (rules 3 and 4). */
  reportReading(report: CleaningReport): void {
    report.duplicateLines += this.counts.duplicateLines;
    report.identicalDateOnlyLines += this.counts.identicalDateOnlyLines;
    report.futureDatedLines += this.counts.futureDatedLines;
    if (this.counts.futureDatedLines > 0) {
      const latest = dayString(this.counts.latestFuture);
      if (report.latestFutureDate === null || latest > report.latestFutureDate) report.latestFutureDate = latest;
    }
  }

  /**
   * Purchase days per customer on or before `lastDay` (all when undefined), after rules 1–2, in the order
   * customers first appeared. Counts what fired into `report`.
   */
  purchaseDays(lastDay?: number, report?: CleaningReport): Map<string, PurchaseDays> {
    const result = new Map<string, PurchaseDays>();
    this.forEachPurchaseHistory(
      lastDay,
      (customerId, days, values, orderCount) => {
        const map = new Map<number, number>();
        days.forEach((day, i) => map.set(day, values[i]));
        result.set(customerId, { days: map, orderCount });
      },
      report,
    );
    return result;
  }

  /**
   * Visits each customer with a purchase day on or before `lastDay` (all when undefined), after rules 1–2, in the
   * order customers first appeared: purchase days ascending, their net values, and the orders on them. The arrays
   * are reused between calls (copy what you keep). Counts what fired into `report`.
   */
  forEachPurchaseHistory(
    lastDay: number | undefined,
    visit: (customerId: string, days: readonly number[], values: readonly number[], orderCount: number) => void,
    report?: CleaningReport,
  ): void {
    const zeroDays = this.options.zeroDays ?? "unless-refunded";
    let nonPositiveLines = 0;
    let nonPurchaseDays = 0;
    let customersWithoutPurchase = 0;
    let linesAfterEnd = 0;
    const days: number[] = [];
    const values: number[] = [];
    for (const [customerId, cells] of this.customers) {
      days.length = 0;
      let orderCount = 0;
      let seen = false;
      let sorted = true;
      for (const [day, cell] of cells) {
        if (lastDay !== undefined && day > lastDay) {
          linesAfterEnd += cell.lines;
          continue;
        }
        seen = true;
        nonPositiveLines += cell.nonPositive;
        const notPurchase = cell.net < 0 || (cell.net === 0 && cell.priced && (zeroDays === "never" || cell.refunded));
        if (notPurchase) nonPurchaseDays += 1;
        else {
          if (days.length > 0 && day < days[days.length - 1]) sorted = false;
          days.push(day);
          orderCount += cell.orders;
        }
      }
      if (!seen) continue;
      if (days.length === 0) {
        customersWithoutPurchase += 1;
        continue;
      }
      // Logs are usually in date order, so the days mostly arrive sorted.
      if (!sorted) days.sort((p, q) => p - q);
      values.length = days.length;
      for (let i = 0; i < days.length; i++) values[i] = cells.get(days[i])!.net;
      visit(customerId, days, values, orderCount);
    }
    if (report) {
      report.nonPositiveLines += nonPositiveLines;
      report.nonPurchaseDays += nonPurchaseDays;
      report.customersWithoutPurchase += customersWithoutPurchase;
      report.linesAfterEnd += linesAfterEnd;
    }
  }

  /** The purchase days as transactions (one per customer-day, its net): re-reading them gives the same days. */
  *purchaseTransactions(): Iterable<Transaction> {
    for (const [customerId, { days }] of this.purchaseDays()) {
      for (const [day, amount] of days) yield { customerId, date: dayString(day), amount };
    }
  }
}

/**
 * Groups a log into per-customer purchase days on or before `lastDay`, netting each day and dropping days
 * that are not purchases (rules 1–3).
 */
export function purchaseDaysByCustomer(
  transactions: Iterable<Transaction>,
  lastDay?: number,
  report?: CleaningReport,
  zeroDays: ZeroDayRule = "unless-refunded",
): Map<string, PurchaseDays> {
  const ledger = new PurchaseLedger({ zeroDays }).addAll(transactions);
  if (report) ledger.reportReading(report);
  return ledger.purchaseDays(lastDay, report);
}

/** Robust spread floor on the log scale: shops with near-identical order values still get a finite, wide cap. */
const MIN_LOG_SIGMA = 0.5;
/** How many robust standard deviations (of log day value) above the median the cap sits. */
const CAP_SIGMAS = 6;

/**
 * Rule 5's cap for day values: exp(median + 6 σ) of log values, with σ = 1.4826 · MAD (the normal-consistent median
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
