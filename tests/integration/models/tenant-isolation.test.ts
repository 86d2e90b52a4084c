import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { countCustomers, findCustomer, refreshCustomerAggregates, upsertCustomers } from "../../../app/models/customers.server";
import { findOrder, listCustomerOrders, shopOrderTotals, upsertOrders } from "../../../app/models/orders.server";
import { exportCustomerData } from "../../../app/models/privacy.server";
import { getShop } from "../../../app/models/shop.server";
import { activeSyncRun, findSyncRunByBulkOperation, latestSyncRun } from "../../../app/models/sync-runs.server";
import type { OrderRecord } from "../../../app/sync/records";
import { resetDatabase } from "../../support/fixtures";

const A = "alpha-shop.myshopify.com";
const B = "beta-shop.myshopify.com";
// The same GIDs in both shops: isolation must come from `shop`, never from ids being unique.
const CUSTOMER = "gid://shopify/Customer/1";

function order(id: number, total: number, extra: Partial<OrderRecord> = {}): OrderRecord {
  return {
    shopifyId: `gid://shopify/Order/${id}`,
    customerShopifyId: CUSTOMER,
    name: `#${id}`,
    processedAt: new Date(Date.UTC(2026, 0, id)),
    shopifyUpdatedAt: new Date(Date.UTC(2026, 0, id)),
    totalPrice: total,
    totalRefunded: 0,
    currencyCode: "USD",
    cancelledAt: null,
    test: false,
    discountCodes: [],
    totalDiscounts: 0,
    ...extra,
  };
}

const customer = (email: string) => ({
  shopifyId: CUSTOMER,
  email,
  firstName: null,
  lastName: null,
  marketingState: null,
  birthday: null,
  tags: [],
  shopifyRfmGroup: null,
  shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
});

describe("tenant isolation", () => {
  beforeEach(async () => {
    await resetDatabase();
    for (const [shop, email, totals] of [
      [A, "a@a.test", [10, 20]],
      [B, "b@b.test", [300]],
    ] as const) {
      await db.shop.create({ data: { shop, name: shop } });
      await upsertCustomers(shop, [customer(email)]);
      await upsertOrders(
        shop,
        totals.map((total, i) => order(i + 1, total)),
      );
      await refreshCustomerAggregates(shop);
      await db.syncRun.create({ data: { shop, kind: "backfill", status: "running", bulkOperationId: "gid://shopify/BulkOperation/1" } });
    }
  });

  it("keeps rows with the same Shopify ids apart per shop", async () => {
    expect(await db.order.count()).toBe(3);
    expect(await db.customer.count()).toBe(2);
  });

  it("every read returns only the caller's shop's rows", async () => {
    expect((await getShop(A))?.shop).toBe(A);
    expect((await findCustomer(A, CUSTOMER))?.email).toBe("a@a.test");
    expect((await findCustomer(B, CUSTOMER))?.email).toBe("b@b.test");
    expect(await countCustomers(A)).toBe(1);
    expect((await findOrder(B, "gid://shopify/Order/1"))?.totalPrice).toBe(300);
    expect(await findOrder(B, "gid://shopify/Order/2")).toBeNull();
    expect((await listCustomerOrders(A, CUSTOMER)).map((o) => o.totalPrice)).toEqual([20, 10]);
    expect(await shopOrderTotals(A)).toEqual({ orders: 2, revenue: 30 });
    expect(await shopOrderTotals(B)).toEqual({ orders: 1, revenue: 300 });
    expect((await latestSyncRun(A))?.shop).toBe(A);
    expect((await activeSyncRun(B))?.shop).toBe(B);
    expect((await findSyncRunByBulkOperation(A, "gid://shopify/BulkOperation/1"))?.shop).toBe(A);
    const exported = await exportCustomerData(A, CUSTOMER);
    expect(exported.customer?.shop).toBe(A);
    expect(exported.orders.map((o) => o.shop)).toEqual([A, A]);
  });

  it("aggregates are computed per shop and writes to one shop leave the other untouched", async () => {
    expect(await findCustomer(A, CUSTOMER)).toMatchObject({ orderCount: 2, totalSpent: 30 });
    expect(await findCustomer(B, CUSTOMER)).toMatchObject({ orderCount: 1, totalSpent: 300 });
    await upsertOrders(A, [order(3, 5, { cancelledAt: new Date() }), order(4, 7, { test: true }), order(5, 40, { totalRefunded: 15 })]);
    await refreshCustomerAggregates(A, [CUSTOMER]);
    expect(await findCustomer(A, CUSTOMER)).toMatchObject({ orderCount: 3, totalSpent: 55 });
    expect(await findCustomer(B, CUSTOMER)).toMatchObject({ orderCount: 1, totalSpent: 300 });
  });
});
