import { databaseUrl } from "../database-url";
import type { CustomerRecord, OrderRecord } from "../sync/records";
import {
  AGGREGATE_CHUNK,
  countCustomers,
  customerRow,
  customerSpec,
  refreshCustomerAggregates,
  sqliteAggregateRefresh,
  upsertCustomers,
} from "./customers.server";
import { orderRow, orderSpec, upsertOrders } from "./orders.server";
import { SqliteWriter } from "./sql/sqlite-writer.server";
import { rawSqlTransaction, reclaimAfterBulkWrite } from "./sql/sql-transaction.server";
import { retryTransient } from "./sql/transient-errors.server";
import { dialect, placeholder, sqlTimestamp, upsertSql } from "./sql/sql.server";

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

export interface ImportWriter {
  /**
   * Writes one batch (orders, their customers and the run's cursor) after the batches before it. On
   * SQLite `batchesPerCommit` batches share a transaction; on PostgreSQL each batch is one.
   */
  write(batch: ImportBatch): Promise<void>;
  /** The whole shop's customer aggregates from the stored orders, after the last batch. */
  refreshAggregates(shop: string): Promise<void>;
  /** Commits what is written (unless a batch failed) and releases the writer; after the last write settled. */
  close(): Promise<void>;
}

// SQLite import statements, one row each (the writer thread prepares them once); the cursor on both.
const UPSERT_CUSTOMER = upsertSql(customerSpec, 1);
const UPSERT_ORDER = upsertSql(orderSpec(true), 1);
const SAVE_PROGRESS = `UPDATE "SyncRun" SET "cursor" = ${placeholder(1)}, "processedCount" = ${placeholder(2)}, "ordersCount" = ${placeholder(3)}, "updatedAt" = ${placeholder(4)} WHERE "shop" = ${placeholder(5)} AND "id" = ${placeholder(6)}`;

/**
 * The backfill's batch writer for this database. SQLite: prepared single-row statements on a writer
 * thread with its own better-sqlite3 connection — Prisma's raw-query path costs more per parameter
 * than SQLite costs per row, and on one thread parsing and writing add up (decision 002). PostgreSQL:
 * one array-bound upsert per table on a pooled connection; the server does that work while this
 * process parses the next batch.
 */
export function openImportWriter({ batchesPerCommit = 1 } = {}): ImportWriter {
  if (dialect === "sqlite") {
    // A 256 MB page cache: with 64 MB the large shop's index pages were read 2.2 GB more and written
    // 0.4 GB more (the writer's RSS is gone when the import ends).
    const writer = new SqliteWriter(databaseUrl().replace(/^file:/, ""), { batchesPerCommit, cacheMiB: 256 });
    return {
      write(batch) {
        const stamp = sqlTimestamp(new Date());
        const { cursor, processedCount, ordersCount } = batch.progress;
        return writer.write(
          [
            { sql: UPSERT_CUSTOMER, rows: batch.customers.map((customer) => customerRow(batch.shop, customer, stamp)) },
            { sql: UPSERT_ORDER, rows: batch.orders.map((order) => orderRow(batch.shop, order, stamp)) },
            { sql: SAVE_PROGRESS, rows: [[cursor, processedCount, ordersCount, stamp, batch.shop, batch.runId]] },
          ],
          { afterWrite: batch.afterWrite },
        );
      },
      // In short transactions (sqliteAggregateRefresh): the writer commits every MAX_TRANSACTION_MS.
      refreshAggregates: async (shop) => {
        const refresh = sqliteAggregateRefresh(shop, new Date());
        try {
          await writer.write(refresh.snapshot, { outsideTransaction: true });
          // The snapshot holds at most one row per customer of the shop.
          const customers = await countCustomers(shop);
          const chunks: Promise<void>[] = [];
          for (let from = 0; from < customers; from += AGGREGATE_CHUNK)
            chunks.push(writer.write([refresh.chunk(from, from + AGGREGATE_CHUNK)]));
          chunks.push(writer.write(refresh.finish, { commit: true }));
          await Promise.all(chunks);
        } finally {
          await writer.write(refresh.cleanup, { outsideTransaction: true }).catch(() => undefined);
        }
      },
      close: () => writer.close(),
    };
  }
  // Chained: batches commit in order, and none after a failed one (its cursor would skip the failed lines).
  let last: Promise<void> = Promise.resolve();
  return {
    write(batch) {
      last = last.then(() => writePostgresBatch(batch));
      return last;
    },
    refreshAggregates: async (shop) => {
      await refreshCustomerAggregates(shop);
      await reclaimAfterBulkWrite(["Customer"]);
    },
    close: async () => undefined,
  };
}

/** How long an import batch on PostgreSQL keeps trying after a deadlock or serialization failure. */
const BATCH_RETRY_MS = 30_000;

async function writePostgresBatch(batch: ImportBatch): Promise<void> {
  // The recompute's score writes and webhooks update the same customers in another order: PostgreSQL
  // may pick this batch as a deadlock's victim. It rolled back whole, so it is written again.
  await retryTransient(() => writePostgresBatchOnce(batch), Date.now() + BATCH_RETRY_MS);
}

async function writePostgresBatchOnce(batch: ImportBatch): Promise<void> {
  await rawSqlTransaction(async (sql) => {
    await upsertCustomers(batch.shop, batch.customers, { tx: sql });
    await upsertOrders(batch.shop, batch.orders, { tx: sql });
    batch.afterWrite?.();
    const { cursor, processedCount, ordersCount } = batch.progress;
    await sql.$executeRawUnsafe(SAVE_PROGRESS, cursor, processedCount, ordersCount, new Date(), batch.shop, batch.runId);
  });
}
