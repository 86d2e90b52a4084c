import { describe, expect, it } from "vitest";
import { TransactionLog } from "../../../app/jobs/recompute.server";

const day = (instant: Date) => instant.toISOString().slice(0, 10);
const order = (customer: string, at: string, value: number) => ({
  customerShopifyId: customer,
  processedAt: new Date(at),
  netTotal: value,
});

describe("TransactionLog", () => {
  it("yields the appended orders as transactions, in order, every time it is iterated", () => {
    const log = new TransactionLog(day);
    expect(log.firstDay).toBeUndefined();
    expect([...log]).toEqual([]);
    log.append([]);
    log.append([order("gid://c/1", "2026-01-02T23:00:00Z", 10.5), order("gid://c/2", "2026-01-03T01:00:00Z", 20)]);
    log.append([order("gid://c/1", "2026-01-03T12:00:00Z", 0.25)]);
    log.append([]);
    const expected = [
      { customerId: "gid://c/1", date: "2026-01-02", amount: 10.5 },
      { customerId: "gid://c/2", date: "2026-01-03", amount: 20 },
      { customerId: "gid://c/1", date: "2026-01-03", amount: 0.25 },
    ];
    expect([...log]).toEqual(expected);
    expect([...log]).toEqual(expected); // re-iterable: the backtest reads it twice
    expect(log.length).toBe(3);
    expect(log.firstDay).toBe("2026-01-02");
  });
});
