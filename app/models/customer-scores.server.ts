import db from "../db.server";
import { batchSize, dialect, newId, placeholder, sqlTimestamp, upsertRows } from "./sql.server";

/** One customer's purchase history as the scoring job needs it: purchase instant and net value. */
export interface ValueOrder {
  customerShopifyId: string;
  processedAt: Date;
  netTotal: number;
}

/** Rows per read of value orders: bounds what the driver and Prisma materialise at once. */
export const VALUE_ORDER_PAGE = 50_000;

/**
 * Orders that count for customer value (no test, no cancelled, no guests), oldest first, one page at a
 * time. Raw SQL (three columns, no Prisma models), read by keyset on ("processedAt", then the row key
 * that breaks ties: SQLite's rowid, which the ("shop", "processedAt") index ends with, or the id), so
 * a million orders never sit in the driver at once. Customer ids are interned across pages: the orders
 * of one customer share one string.
 */
export async function* valueOrderPages(shop: string, customerShopifyIds?: string[], pageSize = VALUE_ORDER_PAGE): AsyncGenerator<ValueOrder[]> {
  const ids = customerShopifyIds ?? [];
  const filter = ids.length ? ` AND "customerShopifyId" IN (${ids.map((_, i) => placeholder(i + 2)).join(", ")})` : "";
  const key = dialect === "sqlite" ? "rowid" : `"id"`;
  const afterKeyset = ` AND ("processedAt", ${key}) > (${placeholder(ids.length + 2)}, ${placeholder(ids.length + 3)})`;
  const interned = new Map<string, string>();
  let last: { at: unknown; k: unknown } | null = null;
  for (;;) {
    const rows: Array<{ c: string; at: string | Date; v: number; k: unknown }> = await db.$queryRawUnsafe(
      `SELECT "customerShopifyId" AS c, "processedAt" AS at, "netTotal" AS v, ${key} AS k FROM "Order"
       WHERE "shop" = ${placeholder(1)} AND "customerShopifyId" IS NOT NULL AND "test" = FALSE AND "cancelledAt" IS NULL${filter}${last ? afterKeyset : ""}
       ORDER BY "processedAt", ${key} LIMIT ${pageSize}`,
      shop,
      ...ids,
      ...(last ? [last.at, last.k] : []),
    );
    if (!rows.length) return;
    const page = rows.map((row): ValueOrder => {
      let customerShopifyId = interned.get(row.c);
      if (customerShopifyId === undefined) interned.set(row.c, (customerShopifyId = row.c));
      return { customerShopifyId, processedAt: new Date(row.at), netTotal: Number(row.v) };
    });
    if (rows.length < pageSize) {
      yield page;
      return;
    }
    last = { at: rows[rows.length - 1].at, k: rows[rows.length - 1].k };
    yield page;
  }
}

/** All value orders of the shop (or of these customers), oldest first: see `valueOrderPages`. */
export async function loadValueOrders(shop: string, customerShopifyIds?: string[]): Promise<ValueOrder[]> {
  const orders: ValueOrder[] = [];
  for await (const page of valueOrderPages(shop, customerShopifyIds)) for (const order of page) orders.push(order);
  return orders;
}

export interface CustomerScoreRow {
  shopifyId: string;
  historicClv: number;
  predictedClv: number | null;
  expectedPurchases: number | null;
  pAlive: number | null;
  rfmRecency: number;
  rfmFrequency: number;
  rfmMonetary: number;
  rfmSegment: string;
  lifecycle: string;
  lifecycleReason: string;
  lapsedSince: Date | null;
}

const SCORE_COLUMNS = [
  "id", "shop", "shopifyId", "historicClv", "predictedClv", "expectedPurchases", "pAlive", "rfmRecency",
  "rfmFrequency", "rfmMonetary", "rfmSegment", "lifecycle", "lifecycleReason", "lapsedSince", "scoredAt",
  "createdAt", "updatedAt",
];

/** Rows per upsert statement of scores. */
export const SCORE_BATCH = batchSize(SCORE_COLUMNS.length);

/** Writes scores onto existing customer rows (the insert branch never fires: scores follow sync). */
export async function saveCustomerScores(shop: string, scores: CustomerScoreRow[], scoredAt = new Date()) {
  const now = sqlTimestamp(scoredAt);
  const size = SCORE_BATCH;
  const spec = {
    table: "Customer",
    columns: SCORE_COLUMNS,
    conflict: ["shop", "shopifyId"],
    update: SCORE_COLUMNS.filter((c) => !["id", "shop", "shopifyId", "createdAt"].includes(c)),
  };
  let written = 0;
  for (let i = 0; i < scores.length; i += size) {
    const rows = scores.slice(i, i + size).map((s) => [
      newId(), shop, s.shopifyId, s.historicClv, s.predictedClv, s.expectedPurchases, s.pAlive, s.rfmRecency,
      s.rfmFrequency, s.rfmMonetary, s.rfmSegment, s.lifecycle, s.lifecycleReason, sqlTimestamp(s.lapsedSince),
      now, now, now,
    ]);
    // One statement is atomic on its own: no interactive transaction (and its 5 s limit) around it.
    written += await upsertRows(db, spec, rows);
  }
  return written;
}

export async function saveShopModelState(shop: string, state: unknown, fittedAt = new Date()) {
  await db.shop.updateMany({ where: { shop }, data: { modelState: JSON.stringify(state), modelFittedAt: fittedAt } });
}

/**
 * The day each customer now in Lapsed entered it, for the customers that have one: all that
 * recomputing needs of the previous scores (raw SQL, not a Prisma model per customer).
 */
export async function loadLapsedSince(shop: string): Promise<Map<string, Date>> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; since: string | Date }>>(
    `SELECT "shopifyId" AS id, "lapsedSince" AS since FROM "Customer"
     WHERE "shop" = ${placeholder(1)} AND "lifecycle" = ${placeholder(2)} AND "lapsedSince" IS NOT NULL`,
    shop,
    "lapsed",
  );
  return new Map(rows.map((row) => [row.id, new Date(row.since)]));
}
