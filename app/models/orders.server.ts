import db from "../db.server";
import type { OrderRecord } from "../sync/records";
import { netOrderValue } from "../sync/records";
import { batchSize, newId, placeholder, sqlBool, sqlTimestamp, upsertRows, type RawSql, type UpsertSpec } from "./sql/sql.server";

// Bind order, with each column's PostgreSQL type (see UpsertSpec.pgTypes).
const ORDER_COLUMN_TYPES = {
  id: "text",
  shop: "text",
  shopifyId: "text",
  customerShopifyId: "text",
  name: "text",
  processedAt: "timestamp(3)",
  shopifyUpdatedAt: "timestamp(3)",
  totalPrice: "float8",
  totalRefunded: "float8",
  netTotal: "float8",
  currencyCode: "text",
  cancelledAt: "timestamp(3)",
  test: "boolean",
  discountCodes: "text",
  totalDiscounts: "float8",
  createdAt: "timestamp(3)",
  updatedAt: "timestamp(3)",
};
const ORDER_COLUMNS = Object.keys(ORDER_COLUMN_TYPES);

export function orderSpec(onlyIfNewer: boolean): UpsertSpec {
  return {
    table: "Order",
    columns: ORDER_COLUMNS,
    pgTypes: Object.values(ORDER_COLUMN_TYPES),
    conflict: ["shop", "shopifyId"],
    update: ORDER_COLUMNS.filter((c) => !["id", "shop", "shopifyId", "createdAt"].includes(c)),
    // An older delivery never overwrites a newer state (webhooks arrive out of order).
    updateWhere: onlyIfNewer
      ? `"Order"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= "Order"."shopifyUpdatedAt"`
      : undefined,
  };
}

/** `now` is the write time already in the dialect's form (one conversion per batch, not per row). */
export function orderRow(shop: string, order: OrderRecord, now: string | Date | null): unknown[] {
  return [
    newId(),
    shop,
    order.shopifyId,
    order.customerShopifyId,
    order.name,
    sqlTimestamp(order.processedAt),
    sqlTimestamp(order.shopifyUpdatedAt),
    order.totalPrice,
    order.totalRefunded,
    netOrderValue(order),
    order.currencyCode,
    sqlTimestamp(order.cancelledAt),
    sqlBool(order.test),
    order.discountCodes.join(","),
    order.totalDiscounts,
    now,
    now,
  ];
}

/** Upserts orders in batched multi-row statements; returns rows written. */
export async function upsertOrders(
  shop: string,
  orders: OrderRecord[],
  { onlyIfNewer = true, tx }: { onlyIfNewer?: boolean; tx?: RawSql } = {},
) {
  const now = sqlTimestamp(new Date());
  const size = batchSize(ORDER_COLUMNS.length);
  let written = 0;
  for (let i = 0; i < orders.length; i += size) {
    const rows = orders.slice(i, i + size).map((order) => orderRow(shop, order, now));
    written += await upsertRows(tx ?? db, orderSpec(onlyIfNewer), rows);
  }
  return written;
}

export async function findOrder(shop: string, shopifyId: string) {
  return db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId } } });
}

/** The customer an order is stored under: undefined when the order is not stored, null for a guest order. */
export async function storedOrderCustomer(sql: RawSql, shop: string, shopifyId: string): Promise<string | null | undefined> {
  const rows = await sql.$queryRawUnsafe<Array<{ customerShopifyId: string | null }>>(
    `SELECT "customerShopifyId" FROM "Order" WHERE "shop" = ${placeholder(1)} AND "shopifyId" = ${placeholder(2)}`,
    shop,
    shopifyId,
  );
  return rows.length ? rows[0].customerShopifyId : undefined;
}

export async function listCustomerOrders(shop: string, customerShopifyId: string) {
  return db.order.findMany({ where: { shop, customerShopifyId }, orderBy: { processedAt: "desc" } });
}

/** Shop totals include guest orders; test and cancelled orders are excluded. */
export async function shopOrderTotals(shop: string) {
  const result = await db.order.aggregate({
    where: { shop, test: false, cancelledAt: null },
    _count: { _all: true },
    _sum: { netTotal: true },
  });
  return { orders: result._count._all, revenue: Math.round((result._sum.netTotal ?? 0) * 100) / 100 };
}

/** orders/delete: removes the order; returns the customer it was stored under (null: guest, undefined: not stored). */
export async function deleteOrder(sql: RawSql, shop: string, shopifyId: string): Promise<string | null | undefined> {
  const customer = await storedOrderCustomer(sql, shop, shopifyId);
  if (customer !== undefined) {
    await sql.$executeRawUnsafe(
      `DELETE FROM "Order" WHERE "shop" = ${placeholder(1)} AND "shopifyId" = ${placeholder(2)}`,
      shop,
      shopifyId,
    );
  }
  return customer;
}

/** Each customer's order dates after `after` (real orders: not test, not cancelled), read 500 customers at a time. */
export async function orderDatesAfter(shop: string, customerIds: readonly string[], after: Date): Promise<Map<string, Date[]>> {
  const byCustomer = new Map<string, Date[]>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const orders = await db.order.findMany({
      where: { shop, customerShopifyId: { in: customerIds.slice(i, i + 500) }, processedAt: { gt: after }, test: false, cancelledAt: null },
      select: { customerShopifyId: true, processedAt: true },
    });
    for (const o of orders) {
      const list = byCustomer.get(o.customerShopifyId!) ?? [];
      list.push(o.processedAt);
      byCustomer.set(o.customerShopifyId!, list);
    }
  }
  return byCustomer;
}
