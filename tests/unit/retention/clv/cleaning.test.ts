import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emptyCleaningReport, PurchaseLedger, rulesThatFired, type Transaction } from "../../../../app/retention/clv/cleaning";
import { parseTransactionLog } from "../../../../app/retention/clv/csv-input";
import { simulateCustomer } from "../../../../app/retention/clv/simulate";
import { summarizeTransactions } from "../../../../app/retention/clv/summary";
import { mulberry32 } from "../../../../app/retention/random";
import { scoreShop } from "../../../../app/retention/score";
import { dayNumber, dayString } from "../../../../app/retention/time";
import { cdnowFile, HAS_CDNOW } from "../../../support/shared-data";

const day = (offset: number) => dayString(dayNumber("2024-01-01") + offset);

/** A small seeded shop (days), customers joining over its first 200 days, observed to day 365. */
function simulatedLog(customers: number, seed = 11): Transaction[] {
  const rng = mulberry32(seed);
  const log: Transaction[] = [];
  for (let c = 0; c < customers; c++) {
    const joined = Math.floor(rng() * 200);
    const { times, amounts } = simulateCustomer(rng, { r: 1.2, alpha: 40, a: 0.5, b: 4 }, { p: 6, q: 4, v: 60 }, 365 - joined);
    times.forEach((t, i) =>
      log.push({ customerId: `c${c}`, date: day(joined + Math.floor(t)), amount: Math.round(amounts[i] * 100) / 100 }),
    );
  }
  return log;
}

describe("data rules (PurchaseLedger)", () => {
  it("nets a customer's day, and a later refund-only day is not a repeat purchase", () => {
    const report = emptyCleaningReport();
    const [a] = summarizeTransactions(
      [
        { customerId: "a", date: "2024-01-01", amount: 30 },
        { customerId: "a", date: "2024-01-01", amount: -10 }, // partial refund the same day: the day is worth 20
        { customerId: "a", date: "2024-01-20", amount: -20 }, // the rest refunded later: not a purchase
      ],
      { asOf: "2024-01-31", unit: "days", report },
    );
    expect(a).toMatchObject({ frequency: 0, recency: 0, totalSpend: 20, orderCount: 1 });
    expect(report).toMatchObject({ nonPositiveLines: 2, nonPurchaseDays: 1 });
    expect(rulesThatFired(report)).toEqual([{ rule: "nonPurchaseDays", count: 1 }]);
  });

  it("drops a row re-exported to the second, keeps identical date-only rows as separate orders, and says so", () => {
    const report = emptyCleaningReport();
    const [timed, dated] = summarizeTransactions(
      [
        { customerId: "t", date: "2024-01-02", time: "10:00:00", amount: 25 },
        { customerId: "t", date: "2024-01-02", time: "10:00:00", amount: 25 }, // the same row again
        { customerId: "t", date: "2024-01-02", time: "16:30:00", amount: 25 }, // a second order that day
        { customerId: "d", date: "2024-01-02", amount: 12 },
        { customerId: "d", date: "2024-01-02", amount: 12 },
      ],
      { asOf: "2024-01-31", unit: "days", report },
    );
    expect(timed).toMatchObject({ orderCount: 2, totalSpend: 50 });
    expect(dated).toMatchObject({ orderCount: 2, totalSpend: 24 });
    expect(report).toMatchObject({ duplicateLines: 1, identicalDateOnlyLines: 1 });
  });

  it.runIf(HAS_CDNOW)("keeps CDNOW's identical same-day rows, so its published summaries still come out", () => {
    const report = emptyCleaningReport();
    const rows = parseTransactionLog(readFileSync(cdnowFile("CDNOW_sample.txt"), "utf8"));
    const summaries = summarizeTransactions(rows, { asOf: "1997-09-30", unit: "weeks", report });
    expect(report.identicalDateOnlyLines).toBeGreaterThan(0);
    expect(report.duplicateLines).toBe(0);
    expect(summaries.reduce((n, s) => n + s.frequency, 0)).toBe(2457);
  });

  it("counts future-dated rows, which never move the default end; nor does a mistyped year after a long gap", () => {
    // 1,500 rows over 1997–98, one row typed as 2019 (in the past, so only the gap rule can catch it) and one in 2031.
    const ledger = new PurchaseLedger({ keepUntil: dayNumber("2026-12-03") });
    for (let i = 0; i < 1_500; i++)
      ledger.add({ customerId: `c${i % 300}`, date: dayString(dayNumber("1997-01-01") + (i % 540)), amount: 10 });
    ledger.add({ customerId: "c1", date: "2019-06-01", amount: 10 });
    ledger.add({ customerId: "c2", date: "2031-03-01", amount: 10 });
    expect(ledger.defaultEnd()).toEqual({ end: dayNumber("1998-06-24"), isolatedLateLines: 1 });
    const report = emptyCleaningReport();
    ledger.reportReading(report);
    expect(report).toMatchObject({ futureDatedLines: 1, latestFutureDate: "2031-03-01" });
    // A shop's real last season is not an outlier: 2% of the rows after the same gap move the end.
    const busy = new PurchaseLedger();
    for (let i = 0; i < 1_000; i++) busy.add({ customerId: `c${i}`, date: i < 980 ? "1997-03-01" : "1997-09-01", amount: 10 });
    expect(busy.defaultEnd()).toEqual({ end: dayNumber("1997-09-01"), isolatedLateLines: 0 });
  });

  it("reduces a 150,000-row stream to customer-days without holding the rows", () => {
    const ledger = new PurchaseLedger();
    // Row i: customer i mod 2,000 on day ⌊i / 2,000⌋, so each customer buys on days 0..74.
    for (let i = 0; i < 150_000; i++) ledger.add({ customerId: `c${i % 2_000}`, date: day(Math.floor(i / 2_000)), amount: 5 + (i % 7) });
    expect(ledger.rows).toBe(150_000);
    expect(ledger.defaultEnd()?.end).toBe(dayNumber(day(74)));
    const summaries = summarizeTransactions(ledger, { asOf: day(74), unit: "days" });
    expect(summaries).toHaveLength(2_000);
    expect(summaries[0]).toMatchObject({ customerId: "c0", frequency: 74, recency: 74, T: 74, orderCount: 75 });
  });
});

describe("scoring under the data rules", () => {
  it("refund lines never make a customer's or the shop's predicted value negative", () => {
    // A later refund line (−90% of an order) for every third order: as purchases they would be negative spend days.
    const log = simulatedLog(300).flatMap((t, i) =>
      i % 3 === 0
        ? [t, { customerId: t.customerId, date: day(dayNumber(t.date) - dayNumber("2024-01-01") + 5), amount: -0.9 * t.amount! }]
        : [t],
    );
    const report = emptyCleaningReport();
    const customers = summarizeTransactions(log, { asOf: day(365), unit: "days", spendCap: "robust", report });
    expect(report.nonPurchaseDays).toBeGreaterThan(50);
    const scored = scoreShop({ customers, asOf: day(365) });
    expect(scored.model.status).toBe("fitted");
    expect(customers.every((c) => c.monetaryValue >= 0)).toBe(true);
    expect(scored.customers.filter((c) => (c.predictedClv ?? 0) < 0)).toEqual([]);
    expect(scored.insights.predictedRevenue12Months?.value).toBeGreaterThan(0);
  });

  it("one order of 1e9 is capped for the spend model: that customer's CLV stays in range and nobody else's moves", () => {
    const log = simulatedLog(300);
    const repeatOfFirst = log.findIndex((t, i) => i > 0 && t.customerId === log[i - 1].customerId && t.date !== log[i - 1].date);
    const outlier = log.map((t, i) => (i === repeatOfFirst ? { ...t, amount: 1e9 } : t));
    const score = (rows: Transaction[]) =>
      scoreShop({ customers: summarizeTransactions(rows, { asOf: day(365), unit: "days", spendCap: "robust" }), asOf: day(365) });
    const clean = score(log);
    const dirty = score(outlier);
    const who = log[repeatOfFirst].customerId;
    const clv = (s: typeof clean, id: string) => s.customers.find((c) => c.customerId === id)?.predictedClv ?? 0;
    expect(clv(dirty, who)).toBeLessThan(100 * Math.max(...clean.customers.map((c) => c.predictedClv ?? 0)));
    const others = clean.customers.filter((c) => c.customerId !== who && (c.predictedClv ?? 0) > 1);
    const moved = others.map((c) => Math.abs(clv(dirty, c.customerId) / c.predictedClv! - 1));
    moved.sort((p, q) => p - q);
    expect(moved[moved.length >> 1]).toBeLessThan(0.02);
    expect(moved[moved.length - 1]).toBeLessThan(0.1);
  });
});
