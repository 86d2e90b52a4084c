import Database from "better-sqlite3";
import db from "../db.server";
import { databaseUrl } from "../database-url";
import type { CustomerRecord, OrderRecord } from "../sync/records";
import { customerRow, customerSpec, upsertCustomers } from "./customers.server";
import { orderRow, orderSpec, upsertOrders } from "./orders.server";
import { dialect, sqlTimestamp, upsertSql } from "./sql.server";

export interface BatchProgress {
  cursor: string;
  processedCount: number;
  ordersCount: number;
}

export interface ImportBatch {
  shop: string;
  runId: string;
  customers: CustomerRecord[];
  orders: OrderRecord[];
  progress: BatchProgress;
  /** Test seam, called inside the transaction after the writes; a throw rolls the batch back. */
  afterWrite?: () => void;
}

interface SqliteImport {
  conn: Database.Database;
  insertCustomer: Database.Statement;
  insertOrder: Database.Statement;
  saveProgress: Database.Statement;
}

let sqlite: SqliteImport | null = null;

/**
 * On SQLite the backfill writes through its own better-sqlite3 connection with prepared single-row
 * statements: Prisma's raw-query path costs more per parameter than SQLite costs per row, and the
 * import is the one place where that dominates (decision 002). Same SQL, same file, WAL mode.
 */
function sqliteImport(): SqliteImport {
  if (!sqlite) {
    const conn = new Database(databaseUrl().replace(/^file:/, ""));
    conn.pragma("journal_mode = WAL");
    conn.pragma("synchronous = NORMAL");
    conn.pragma("busy_timeout = 10000");
    // The database grows by ~88 MB per 100,000 orders and the order indexes take rows at places spread
    // over them (by customer, by date): SQLite's default 2 MB page cache would re-read pages from the
    // OS for most rows. This connection only runs imports, so it gets 64 MB (counted in the RSS).
    conn.pragma("cache_size = -65536");
    sqlite = {
      conn,
      insertCustomer: conn.prepare(upsertSql(customerSpec, 1)),
      insertOrder: conn.prepare(upsertSql(orderSpec(true), 1)),
      saveProgress: conn.prepare(
        `UPDATE "SyncRun" SET "cursor" = ?, "processedCount" = ?, "ordersCount" = ?, "updatedAt" = ? WHERE "shop" = ? AND "id" = ?`,
      ),
    };
  }
  return sqlite;
}

/** Orders, their customers and the run's cursor in one transaction. */
export async function writeImportBatch(batch: ImportBatch): Promise<void> {
  const now = new Date();
  if (dialect === "sqlite") {
    const { conn, insertCustomer, insertOrder, saveProgress } = sqliteImport();
    const stamp = sqlTimestamp(now);
    conn.transaction(() => {
      for (const customer of batch.customers) insertCustomer.run(customerRow(batch.shop, customer, stamp));
      for (const order of batch.orders) insertOrder.run(orderRow(batch.shop, order, stamp));
      batch.afterWrite?.();
      const { cursor, processedCount, ordersCount } = batch.progress;
      saveProgress.run(cursor, processedCount, ordersCount, stamp, batch.shop, batch.runId);
    })();
    return;
  }
  await db.$transaction(
    async (tx) => {
      await upsertCustomers(batch.shop, batch.customers, { tx });
      await upsertOrders(batch.shop, batch.orders, { tx });
      batch.afterWrite?.();
      await tx.syncRun.updateMany({ where: { shop: batch.shop, id: batch.runId }, data: { ...batch.progress } });
    },
    // Prisma's defaults (2 s to start, 5 s to finish) suit short transactions. A batch of a
    // 1,000,000-order import on a busy machine ended in P2028 (transaction API error), so both are raised.
    { maxWait: 30_000, timeout: 120_000 },
  );
}
