/**
 * The customer snapshot's order history (decision 005): loaded by the one loader, in shop-local days, only
 * the orders that count for value, only for customers in the snapshot, and only when asked for.
 */
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { upsertOrders } from "../../../app/models/orders.server";
import { loadRewardCustomer, loadRewardCustomers } from "../../../app/models/reward-customers.server";
import { orderCount, orderDaysBetween, previousOrderDay, spendThrough, type OrderHistory } from "../../../app/retention/rewards";
import type { OrderRecord } from "../../../app/sync/records";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "history-shop.myshopify.com";
const ANA = "gid://shopify/Customer/1";
const BO = "gid://shopify/Customer/2";
const GONE = "gid://shopify/Customer/3";
const NOW = new Date("2026-04-01T12:00:00Z");

function order(n: number, customer: string | null, at: string, amount: number, extra: Partial<OrderRecord> = {}): OrderRecord {
  return {
    shopifyId: `gid://shopify/Order/${n}`,
    customerShopifyId: customer,
    name: null,
    processedAt: new Date(at),
    shopifyUpdatedAt: null,
    totalPrice: amount,
    totalRefunded: 0,
    currencyCode: "EUR",
    cancelledAt: null,
    test: false,
    discountCodes: [],
    totalDiscounts: 0,
    ...extra,
  };
}

const days = (h: OrderHistory) => orderDaysBetween(h, "2000-01-01", "2100-01-01");

describe("loadRewardCustomers: the order history", () => {
  beforeEach(async () => {
    await resetDatabase();
    await db.customer.createMany({
      data: [
        { shop: SHOP, shopifyId: ANA, email: "ana@example.com", orderCount: 3, totalSpent: 60 },
        { shop: SHOP, shopifyId: BO, email: "bo@example.com" },
        { shop: SHOP, shopifyId: GONE, email: null, redactedAt: new Date("2026-02-01T00:00:00Z") },
      ],
    });
    await upsertOrders(SHOP, [
      // Late on 1 March UTC: 2 March in Kyiv.
      order(1, ANA, "2026-03-01T23:30:00Z", 10),
      order(2, ANA, "2025-09-10T08:00:00Z", 20),
      order(3, ANA, "2026-03-20T08:00:00Z", 30),
      order(4, ANA, "2026-03-21T08:00:00Z", 99, { test: true }),
      order(5, ANA, "2026-03-22T08:00:00Z", 99, { cancelledAt: new Date("2026-03-23T00:00:00Z") }),
      order(6, null, "2026-03-22T08:00:00Z", 99),
      order(7, GONE, "2026-03-22T08:00:00Z", 99),
    ]);
  });

  it("carries each customer's value orders in shop-local days, oldest first", async () => {
    const utc = await loadRewardCustomers(SHOP, "UTC", NOW, new Map(), undefined, true);
    expect(utc.map((c) => c.id)).toEqual([ANA, BO]);
    const [ana, bo] = utc.map((c) => c.orderHistory!);
    expect(days(ana)).toEqual(["2025-09-10", "2026-03-01", "2026-03-20"]);
    expect(spendThrough(ana, "2026-12-31")).toBe(60);
    expect(orderCount(bo)).toBe(0);
    const kyiv = await loadRewardCustomers(SHOP, "Europe/Kyiv", NOW, new Map(), undefined, true);
    expect(days(kyiv[0].orderHistory!)).toEqual(["2025-09-10", "2026-03-02", "2026-03-20"]);
    expect(previousOrderDay(kyiv[0].orderHistory!, "2026-03-20")).toBe("2026-03-02");
  });

  it("is left out unless asked for, and one customer's equals their row in the shop-wide load", async () => {
    expect((await loadRewardCustomers(SHOP, "UTC", NOW)).every((c) => c.orderHistory === undefined)).toBe(true);
    expect((await loadRewardCustomer(SHOP, "UTC", NOW, ANA)).orderHistory).toBeUndefined();
    const one = await loadRewardCustomer(SHOP, "UTC", NOW, ANA, true);
    expect(days(one.orderHistory!)).toEqual(["2025-09-10", "2026-03-01", "2026-03-20"]);
    const all = await loadRewardCustomers(SHOP, "UTC", NOW, new Map(), undefined, true);
    expect(days(all[0].orderHistory!)).toEqual(days(one.orderHistory!));
    // Not synced yet (or redacted): no orders known.
    expect(orderCount((await loadRewardCustomer(SHOP, "UTC", NOW, "gid://shopify/Customer/424242", true)).orderHistory!)).toBe(0);
    expect(orderCount((await loadRewardCustomer(SHOP, "UTC", NOW, GONE, true)).orderHistory!)).toBe(0);
  });
});
