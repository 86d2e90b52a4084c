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

let sqlite: Database.Database | null = null;

/**
 * On SQLite the backfill writes through its own better-sqlite3 connection with prepared single-row
 * statements: Prisma's raw-query path costs more per parameter than SQLite costs per row, and the
 * import is the one place where that dominates (decision 002). Same SQL, same file, WAL mode.
 */
function sqliteConnection(): Database.Database {
  if (!sqlite) {
    sqlite = new Database(databaseUrl().replace(/^file:/, ""));
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("busy_timeout = 10000");
  }
  return sqlite;
}

/** Orders, their customers and the run's cursor in one transaction. */
export async function writeImportBatch(batch: ImportBatch): Promise<void> {
  const now = new Date();
  if (dialect === "sqlite") {
    const conn = sqliteConnection();
    const insertCustomer = conn.prepare(upsertSql(customerSpec, 1));
    const insertOrder = conn.prepare(upsertSql(orderSpec(true), 1));
    const saveProgress = conn.prepare(
      `UPDATE "SyncRun" SET "cursor" = ?, "processedCount" = ?, "ordersCount" = ?, "updatedAt" = ? WHERE "shop" = ? AND "id" = ?`,
    );
    const stamp = sqlTimestamp(now);
    conn.transaction(() => {
      for (const customer of batch.customers) insertCustomer.run(customerRow(batch.shop, customer, stamp));
      for (const order of batch.orders) insertOrder.run(orderRow(batch.shop, order, now));
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
    { timeout: 120_000 },
  );
}
