import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backtest } from "../../../../app/retention/clv/backtest";
import { expectedPurchases } from "../../../../app/retention/clv/bgnbd";
import { parseTransactionLog } from "../../../../app/retention/clv/csv-input";
import { emptyCleaningReport } from "../../../../app/retention/clv/cleaning";
import { summarizeTransactions } from "../../../../app/retention/clv/summary";
import { cdnowFile, HAS_CDNOW, once, PUBLISHED } from "../../../support/shared-data";

describe("summarizeTransactions", () => {
  it("does not count a fully refunded order (net 0, as the app stores it) or a refund-only day as a purchase", () => {
    const log = [
      { customerId: "a", date: "2024-01-01", amount: 40 },
      { customerId: "a", date: "2024-01-10", amount: 0 }, // fully refunded order: net total 0
      { customerId: "a", date: "2024-01-20", amount: -15 }, // refund of the first order, on a later day
      { customerId: "b", date: "2024-01-05", amount: 0 },
    ];
    const report = emptyCleaningReport();
    const summaries = summarizeTransactions(log, { asOf: "2024-01-31", unit: "days", zeroDays: "never", report });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ customerId: "a", frequency: 0, recency: 0, orderCount: 1, totalSpend: 40 });
    expect(report).toMatchObject({ nonPositiveLines: 3, nonPurchaseDays: 3, customersWithoutPurchase: 1 });
    // A log's zero-value line (a free item) is a purchase unless refunded the same day.
    const free = summarizeTransactions(log.slice(0, 2), { asOf: "2024-01-31", unit: "days" });
    expect(free[0].frequency).toBe(1);
  });

  it("winsorises day values above the robust cap for the spend model only", () => {
    const log = Array.from({ length: 50 }, (_, i) => [
      { customerId: `c${i}`, date: "2024-01-01", amount: 20 + (i % 9) },
      { customerId: `c${i}`, date: "2024-01-15", amount: i === 0 ? 1e9 : 25 + (i % 7) },
    ]).flat();
    const report = emptyCleaningReport();
    const [first] = summarizeTransactions(log, { asOf: "2024-01-31", unit: "days", spendCap: "robust", report });
    expect(report.cappedDays).toBe(1);
    expect(report.cappedCustomers).toEqual(["c0"]);
    expect(first.monetaryValue).toBe(report.spendCap);
    expect(first.monetaryValue).toBeLessThan(1e4);
    expect(first.totalSpend).toBeGreaterThan(1e9);
  });

  const log = [
    { customerId: "a", date: "2024-01-01", amount: 10 },
    { customerId: "a", date: "2024-01-01", amount: 5 }, // same day: one transaction worth 15
    { customerId: "a", date: "2024-01-11", amount: 20 },
    { customerId: "a", date: "2024-01-21", amount: 40 },
    { customerId: "a", date: "2024-02-15", amount: 99 }, // after asOf: ignored
    { customerId: "b", date: "2024-01-31", amount: 7 },
    { customerId: "c", date: "2024-02-10", amount: 1 }, // first purchase after asOf: not a customer yet
  ];

  it("merges same-day orders, excludes the first purchase from x and zbar, and measures from the first day", () => {
    const [a, b, ...rest] = summarizeTransactions(log, { asOf: "2024-01-31", unit: "days" });
    expect(rest).toHaveLength(0);
    expect(a).toEqual({
      customerId: "a",
      frequency: 2,
      recency: 20,
      T: 30,
      monetaryValue: 30,
      orderCount: 4,
      totalSpend: 75,
    });
    expect(b).toMatchObject({ frequency: 0, recency: 0, T: 0, monetaryValue: 0, orderCount: 1, totalSpend: 7 });
  });

  it("converts to weeks without rounding", () => {
    const [a] = summarizeTransactions(log, { asOf: "2024-01-31", unit: "weeks" });
    expect(a.recency).toBeCloseTo(20 / 7, 12);
    expect(a.T).toBeCloseTo(30 / 7, 12);
  });

  it("rejects impossible dates", () => {
    expect(() => summarizeTransactions([{ customerId: "x", date: "2024-02-30" }], { asOf: "2024-03-01", unit: "days" })).toThrow(
      /calendar date/,
    );
  });
});

describe.runIf(HAS_CDNOW)("backtest on CDNOW (calibration to 1997-09-30, holdout to 1998-06-30)", () => {
  const log = once(() => parseTransactionLog(readFileSync(cdnowFile("CDNOW_sample.txt"), "utf8")));
  const backtested = once(() => backtest(log(), { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30", unit: "weeks" }));

  it("fits the calibration period to the published parameters", () => {
    const result = backtested();
    expect(result.status).toBe("fitted");
    if (result.status !== "fitted") return;
    expect(result.fit.r).toBeCloseTo(PUBLISHED.bgnbd.r, 2);
    expect(Math.abs(result.fit.alpha / PUBLISHED.bgnbd.alpha - 1)).toBeLessThan(0.01);
  });

  it("counts the 1,882 distinct holdout purchase days of the README and predicts per customer", () => {
    const result = backtested();
    if (result.status !== "fitted") throw new Error("not fitted");
    expect(result.holdoutLength).toBe(39);
    expect(result.customers).toBe(2357);
    expect(result.holdoutActual).toBe(1882);
    const sum = result.perCustomer.reduce((s, c) => s + c.predicted, 0);
    expect(result.holdoutPredicted).toBeCloseTo(sum, 8);
    const first = result.summaries[0];
    expect(result.perCustomer[0].predicted).toBeCloseTo(expectedPurchases(result.fit, first, 39), 12);
    // Aggregate error within ±20% and a clearly better per-customer MAE than "same rate as before".
    expect(Math.abs(result.aggregateRelativeError ?? 1)).toBeLessThan(0.2);
    expect(result.mae).toBeLessThan(result.naiveMae * 0.9);
  });

  it("computes the naive baseline as the calibration repeat rate carried over the holdout", () => {
    const result = backtested();
    if (result.status !== "fitted") throw new Error("not fitted");
    const c = result.summaries[0];
    expect(result.perCustomer[0].naive).toBeCloseTo((c.frequency / c.T) * 39, 12);
  });

  it("rejects a holdout that ends before the calibration", () => {
    expect(() => backtest(log(), { calibrationEnd: "1997-09-30", holdoutEnd: "1997-09-01", unit: "weeks" })).toThrow(/must be after/);
  });
});

describe("backtest with the app's amount rule", () => {
  it("does not count a fully refunded order (net 0) in the holdout as a purchase", () => {
    const log = Array.from({ length: 60 }, (_, i) => [
      { customerId: `c${i}`, date: "2024-01-02", amount: 30 },
      { customerId: `c${i}`, date: `2024-02-${String(1 + (i % 20)).padStart(2, "0")}`, amount: 25 },
      { customerId: `c${i}`, date: "2024-04-10", amount: i % 2 === 0 ? 0 : 40 },
    ]).flat();
    const window = { calibrationEnd: "2024-03-31", holdoutEnd: "2024-05-31", unit: "days" as const, minRepeatBuyers: 10 };
    const app = backtest(log, { ...window, zeroDays: "never" });
    const free = backtest(log, window);
    if (app.status !== "fitted" || free.status !== "fitted") throw new Error("expected fits");
    expect(app.holdoutActual).toBe(30);
    expect(free.holdoutActual).toBe(60);
  });
});
