/**
 * A customer's order history in the snapshot (decision 005): grouping a shop's orders into shared
 * columns, and the facts a kind derives from it.
 */
import { describe, expect, it } from "vitest";
import {
  firstOrderDay,
  historyOf,
  latestOrderDay,
  NO_ORDERS,
  orderCount,
  orderDaysBetween,
  OrderHistoryBuilder,
  orderHistoryFrom,
  ordersBefore,
  ordersBetween,
  ordersThrough,
  previousOrderDay,
  spendBefore,
  spendBetween,
  spendThrough,
} from "../../../../app/retention/rewards/order-history";
import { dayNumber, dayString } from "../../../../app/retention/time";
import { readsOrderHistory } from "../../../../app/retention/rewards/kinds";

// Two orders on 10 March (shop-local), one on 1 January, one on 20 June.
const ana = orderHistoryFrom([
  { day: "2026-03-10", amount: 20 },
  { day: "2026-01-01", amount: 10.1 },
  { day: "2026-06-20", amount: 40 },
  { day: "2026-03-10", amount: 30.2 },
]);

describe("order history: facts derived from it", () => {
  it("counts orders at a day, the day itself included or not", () => {
    expect(orderCount(ana)).toBe(4);
    expect(ordersThrough(ana, "2025-12-31")).toBe(0);
    expect(ordersThrough(ana, "2026-01-01")).toBe(1);
    expect(ordersBefore(ana, "2026-03-10")).toBe(1);
    expect(ordersThrough(ana, "2026-03-10")).toBe(3);
    expect(ordersThrough(ana, "2030-01-01")).toBe(4);
    expect(ordersBetween(ana, "2026-01-02", "2026-06-20")).toBe(3);
    expect(ordersBetween(ana, "2026-06-21", "2026-06-01")).toBe(0);
  });

  it("sums net spend before, through and between days, in cents", () => {
    expect(spendBefore(ana, "2026-03-10")).toBe(10.1);
    expect(spendThrough(ana, "2026-03-10")).toBe(60.3);
    expect(spendBefore(ana, "2026-01-01")).toBe(0);
    expect(spendBetween(ana, "2026-03-10", "2026-06-20")).toBe(90.2);
    expect(spendBetween(ana, "2026-07-01", "2026-01-01")).toBe(0);
  });

  it("finds the first, latest and previous order days (orders of the same day are one day)", () => {
    expect(firstOrderDay(ana)).toBe("2026-01-01");
    expect(latestOrderDay(ana)).toBe("2026-06-20");
    expect(latestOrderDay(ana, "2026-06-19")).toBe("2026-03-10");
    expect(latestOrderDay(ana, "2025-06-19")).toBeNull();
    expect(previousOrderDay(ana, "2026-06-20")).toBe("2026-03-10");
    expect(previousOrderDay(ana, "2026-03-10")).toBe("2026-01-01");
    expect(previousOrderDay(ana, "2026-01-01")).toBeNull();
    expect(orderDaysBetween(ana, "2026-01-01", "2026-12-31")).toEqual(["2026-01-01", "2026-03-10", "2026-06-20"]);
    expect(orderDaysBetween(ana, "2026-03-10", "2026-03-10")).toEqual(["2026-03-10"]);
  });

  it("has nothing to say about a customer without orders", () => {
    for (const h of [NO_ORDERS, orderHistoryFrom([])]) {
      expect([orderCount(h), ordersThrough(h, "2026-01-01"), spendBefore(h, "2026-01-01")]).toEqual([0, 0, 0]);
      expect([firstOrderDay(h), latestOrderDay(h), previousOrderDay(h, "2026-01-01")]).toEqual([null, null, null]);
    }
  });

  it("fails loudly when a kind reads a history that was not loaded", () => {
    expect(() => historyOf({ id: "ana" })).toThrow(/readsOrderHistory/);
    expect(historyOf({ id: "ana", orderHistory: ana })).toBe(ana);
  });
});

describe("order history: the shop's orders grouped by customer", () => {
  it("gives each customer their orders ascending, sharing two columns, in any arrival order", () => {
    const builder = new OrderHistoryBuilder();
    // Orders arrive oldest first across the shop (as the loader reads them), one day out of order for customer 2.
    const arrivals: [number, string, number][] = [
      [0, "2026-01-05", 5],
      [2, "2026-02-01", 7],
      [0, "2026-01-09", 6],
      [2, "2026-01-20", 8],
      [0, "2026-01-09", 1],
    ];
    for (const [c, day, amount] of arrivals) builder.add(c, dayNumber(day), amount);
    // Enough orders to make the columns grow past their first size.
    for (let i = 0; i < 3000; i++) builder.add(3, dayNumber("2025-01-01") + i, 1);
    expect(builder.orders).toBe(3005);
    const [zero, one, two, three] = builder.build(4);
    expect(orderCount(one)).toBe(0);
    expect(Array.from(zero.days.subarray(zero.from, zero.to), dayString)).toEqual(["2026-01-05", "2026-01-09", "2026-01-09"]);
    expect(Array.from(zero.amounts.subarray(zero.from, zero.to))).toEqual([5, 6, 1]);
    expect(Array.from(two.days.subarray(two.from, two.to), dayString)).toEqual(["2026-01-20", "2026-02-01"]);
    expect(Array.from(two.amounts.subarray(two.from, two.to))).toEqual([8, 7]);
    expect([orderCount(three), firstOrderDay(three), spendThrough(three, "2035-01-01")]).toEqual([3000, "2025-01-01", 3000]);
    // One pair of columns for the whole shop: 12 bytes an order.
    expect(zero.days).toBe(three.days);
    expect(zero.days.length).toBe(3005);
  });
});

describe("order history: only kinds that declare it make the run read it", () => {
  it("is off for kinds that read only the snapshot's fields", () => {
    expect(readsOrderHistory([])).toBe(false);
    expect(readsOrderHistory(["secondOrder", "orderMilestones", "winback", "loyaltyTiers"])).toBe(false);
  });
});
