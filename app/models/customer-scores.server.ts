import db from "../db.server";
import { databaseUrl } from "../database-url";
import { SqliteWriter } from "./sql/sqlite-writer.server";
import { dialect, placeholder, sqlTimestamp } from "./sql/sql.server";
import { reclaimAfterBulkWrite } from "./sql/sql-transaction.server";
import { retryTransient } from "./sql/transient-errors.server";

/** One customer's purchase history as the scoring job needs it: purchase instant and net value. */
export interface ValueOrder {
  customerShopifyId: string;
  processedAt: Date;
  netTotal: number;
}

/** Rows per read of value orders: bounds what the driver and Prisma materialise at once (on SQLite, synchronously). */
export const VALUE_ORDER_PAGE = 10_000;

/**
 * Orders that count for customer value (no test, no cancelled, no guests), oldest first, one page at a
 * time. Raw SQL (three columns, no Prisma models), read by keyset on ("processedAt", then the row key
 * that breaks ties: SQLite's rowid, which the ("shop", "processedAt") index ends with, or the id), so
 * a million orders never sit in the driver at once. Customer ids are interned across pages: the orders
 * of one customer share one string.
 */
export async function* valueOrderPages(
  shop: string,
  customerShopifyIds?: string[],
  pageSize = VALUE_ORDER_PAGE,
): AsyncGenerator<ValueOrder[]> {
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
    // Prisma's SQLite queries settle in microtasks alone: without a turn, reading a million orders held the
    // thread that serves pages and webhooks for seconds (issue 23). Reads only, outside any transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
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

// Score columns in the order both statements below bind them.
const SCORE_COLUMNS = [
  "historicClv",
  "predictedClv",
  "expectedPurchases",
  "pAlive",
  "rfmRecency",
  "rfmFrequency",
  "rfmMonetary",
  "rfmSegment",
  "lifecycle",
  "lifecycleReason",
  "lapsedSince",
] as const;
const PG_TYPES = ["float8", "float8", "float8", "float8", "int4", "int4", "int4", "text", "text", "text", "timestamp(3)"];

/** Rows per write of scores: one transaction on SQLite, one statement on PostgreSQL. */
export const SCORE_BATCH = 5_000;

export interface ScoreWriter {
  /** Writes these scores onto the customers' rows (scores follow sync: the rows exist). */
  write(scores: CustomerScoreRow[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where a recompute writes its scores. SQLite: one prepared UPDATE per customer on the writer thread
 * (through Prisma, multi-row statements of 30,000 parameters ran at ~90 µs per customer on the large
 * shop and left ~500 MB of garbage). PostgreSQL: one UPDATE … FROM unnest(arrays) per batch, so
 * Prisma binds one array per column instead of one parameter per value.
 */
export function openScoreWriter(shop: string, scoredAt = new Date()): ScoreWriter {
  const now = sqlTimestamp(scoredAt);
  const values = (s: CustomerScoreRow) => [
    s.historicClv,
    s.predictedClv,
    s.expectedPurchases,
    s.pAlive,
    s.rfmRecency,
    s.rfmFrequency,
    s.rfmMonetary,
    s.rfmSegment,
    s.lifecycle,
    s.lifecycleReason,
  ];
  if (dialect === "sqlite") {
    const writer = new SqliteWriter(databaseUrl().replace(/^file:/, ""));
    const sql = `UPDATE "Customer" SET ${SCORE_COLUMNS.map((c) => `"${c}" = ?`).join(", ")}, "scoredAt" = ?, "updatedAt" = ?
      WHERE "shop" = ? AND "shopifyId" = ?`;
    return {
      write: (scores) =>
        writer.write([{ sql, rows: scores.map((s) => [...values(s), sqlTimestamp(s.lapsedSince), now, now, shop, s.shopifyId]) }]),
      close: () => writer.close(),
    };
  }
  const columns = SCORE_COLUMNS.map((c, i) => `$${i + 2}::${PG_TYPES[i]}[]`).join(", ");
  const sql = `UPDATE "Customer" AS c SET ${SCORE_COLUMNS.map((col) => `"${col}" = s."${col}"`).join(", ")}, "scoredAt" = $13, "updatedAt" = $13
    FROM unnest($1::text[], ${columns}) AS s("shopifyId", ${SCORE_COLUMNS.map((c) => `"${c}"`).join(", ")})
    WHERE c."shop" = $14 AND c."shopifyId" = s."shopifyId"`;
  return {
    async write(scores) {
      const rows = scores.map((s) => [...values(s), s.lapsedSince?.toISOString() ?? null]);
      const arrays = SCORE_COLUMNS.map((_, i) => rows.map((row) => row[i]));
      // An import batch updating the same customers may make this statement a deadlock's victim; it
      // rolled back whole and is run again.
      await retryTransient(
        () =>
          db.$executeRawUnsafe(
            sql,
            scores.map((s) => s.shopifyId),
            ...arrays,
            scoredAt,
            shop,
          ),
        Date.now() + 30_000,
      );
    },
    // Every scored customer's row was rewritten: reclaim the old versions before the pages count them.
    close: () => reclaimAfterBulkWrite(["Customer"]),
  };
}

/** What re-scoring a few customers needs of their stored scores. */
export async function storedScores(shop: string, customerShopifyIds: string[]) {
  return db.customer.findMany({
    where: { shop, shopifyId: { in: customerShopifyIds } },
    select: { shopifyId: true, rfmFrequency: true, lifecycle: true, lapsedSince: true },
  });
}

/** One customer's new value and group, leaving the RFM scores (which need the whole shop) as they are. */
export async function saveCustomerScore(
  shop: string,
  score: Omit<CustomerScoreRow, "rfmRecency" | "rfmFrequency" | "rfmMonetary" | "rfmSegment">,
  scoredAt = new Date(),
) {
  const { shopifyId, ...data } = score;
  await db.customer.updateMany({ where: { shop, shopifyId }, data: { ...data, scoredAt } });
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
