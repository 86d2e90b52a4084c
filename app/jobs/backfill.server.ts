import type { AdminClient } from "../shopify/admin-client.server";
import { ShopifyUserErrors } from "../shopify/admin-errors";
import { streamJsonl } from "../shopify/jsonl.server";
import { BACKFILL_BULK_QUERY, BULK_OPERATION_STATUS, BULK_QUERY_RUN, type BulkOperationStatus } from "../shopify/queries/bulk";
import { countCustomers, refreshCustomerAggregates } from "../models/customers.server";
import { refreshDashboardFigures } from "./dashboard-figures.server";
import { openImportWriter } from "../models/import-batch.server";
import {
  activeSyncRun,
  createSyncRun,
  findSyncRunByBulkOperation,
  getSyncRun,
  takeDueBackfillRetry,
  updateSyncRun,
} from "../models/sync-runs.server";
import { customerFromBulkLine, orderFromBulkLine, type BulkOrderLine } from "../sync/bulk-records";
import type { CustomerRecord, OrderRecord } from "../sync/records";

export const MAX_BACKFILL_ATTEMPTS = 4;

/** Import batches handed to the writer and not yet committed, at most. */
const WRITE_AHEAD = 2;

/** Capped exponential backoff between backfill attempts: 1, 4, 16 minutes… up to an hour. */
export function backfillRetryDelayMs(attempt: number): number {
  return Math.min(60 * 60_000, 60_000 * 4 ** (attempt - 1));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function failRun(shop: string, runId: string, attempt: number, error: string, now = new Date()) {
  const retry = attempt < MAX_BACKFILL_ATTEMPTS;
  await updateSyncRun(shop, runId, {
    status: "failed",
    error: retry
      ? `${error} — retrying (attempt ${attempt + 1} of ${MAX_BACKFILL_ATTEMPTS})`
      : `${error} — gave up after ${attempt} attempts`,
    finishedAt: now,
    nextRetryAt: retry ? new Date(now.getTime() + backfillRetryDelayMs(attempt)) : null,
  });
}

/**
 * Starts the backfill bulk operation (on install, on demand, or as a retry). One backfill runs per
 * shop at a time: a second call returns the run already under way.
 */
export async function startBackfill(shop: string, client: AdminClient, attempt = 1) {
  const running = await activeSyncRun(shop);
  if (running) return running;
  const run = await createSyncRun(shop, "backfill", attempt);
  try {
    const data = await client.mutate<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null } }>(
      BULK_QUERY_RUN,
      { query: BACKFILL_BULK_QUERY },
      "bulkOperationRunQuery",
    );
    const id = data.bulkOperationRunQuery.bulkOperation?.id;
    if (!id) throw new Error("Shopify returned no bulk operation");
    await updateSyncRun(shop, run.id, { bulkOperationId: id });
    return { ...run, bulkOperationId: id };
  } catch (error) {
    const reason = error instanceof ShopifyUserErrors ? `Shopify refused the bulk query: ${error.message}` : describe(error);
    await failRun(shop, run.id, attempt, reason);
    return { ...run, status: "failed", error: reason };
  }
}

/** Re-starts failed backfills whose backoff has elapsed. */
export async function retryDueBackfills(shop: string, client: AdminClient, now = new Date()) {
  const due = await takeDueBackfillRetry(shop, now);
  return due ? startBackfill(shop, client, due.attempt + 1) : null;
}

export interface ImportOptions {
  fetchImpl?: typeof fetch;
  /** Lines per batch (5,000). */
  batchSize?: number;
  /** SQLite: batches per transaction (20). A crash loses at most this many batches of work. */
  batchesPerCommit?: number;
  /** Test seam: runs inside each batch's transaction, after the writes (a throw aborts that batch). */
  afterBatchWrite?: (batchNumber: number) => void;
}

/**
 * Called from the bulk_operations/finish webhook, or by polling when the webhook never came.
 * Idempotent: a completed run is not imported twice.
 */
export async function completeBackfill(shop: string, client: AdminClient, bulkOperationId: string, options: ImportOptions = {}) {
  const run = await findSyncRunByBulkOperation(shop, bulkOperationId);
  if (!run || run.status === "completed") return run;
  const { bulkOperation: op } = await client.request<{ bulkOperation: BulkOperationStatus | null }>(BULK_OPERATION_STATUS, {
    id: bulkOperationId,
  });
  if (!op) {
    await failRun(shop, run.id, run.attempt, `Shopify does not know bulk operation ${bulkOperationId}`);
    return findSyncRunByBulkOperation(shop, bulkOperationId);
  }
  if (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING") return run;
  if (op.status !== "COMPLETED") {
    const reason = `The bulk operation ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`;
    await failRun(shop, run.id, run.attempt, reason);
    return findSyncRunByBulkOperation(shop, bulkOperationId);
  }
  await updateSyncRun(shop, run.id, { expectedCount: Number(op.rootObjectCount) || Number(op.objectCount) || 0 });
  if (!op.url) {
    // A completed operation over zero objects has no file.
    await refreshCustomerAggregates(shop);
    await refreshDashboardFigures(shop);
    await finishImport(shop, run.id, 0, 0, 0);
    return findSyncRunByBulkOperation(shop, bulkOperationId);
  }
  await importBulkFile(shop, run.id, op.url, options);
  return findSyncRunByBulkOperation(shop, bulkOperationId);
}

/** Polling fallback: completes any running backfill whose operation has finished. */
export async function pollBackfill(shop: string, client: AdminClient, options: ImportOptions = {}) {
  const run = await activeSyncRun(shop);
  if (!run?.bulkOperationId) return run;
  return completeBackfill(shop, client, run.bulkOperationId, options);
}

async function finishImport(shop: string, runId: string, processed: number, orders: number, customers: number) {
  await updateSyncRun(shop, runId, {
    status: "completed",
    processedCount: processed,
    ordersCount: orders,
    customersCount: customers,
    error: null,
    nextRetryAt: null,
    finishedAt: new Date(),
  });
}

const byCustomer = (a: OrderRecord, b: OrderRecord) => compareText(a.customerShopifyId ?? "", b.customerShopifyId ?? "");
const byShopifyId = (a: CustomerRecord, b: CustomerRecord) => compareText(a.shopifyId, b.shopifyId);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Streams the JSONL into the database in batches. Each batch (its orders, their customers and the
 * run's cursor) commits in one transaction, so a crash leaves a consistent prefix and a restart
 * continues after the last committed line. Upserts make a full re-import harmless too.
 */
export async function importBulkFile(shop: string, runId: string, url: string, options: ImportOptions = {}) {
  const batchSize = options.batchSize ?? 5_000;
  const run = await getSyncRun(shop, runId);
  // The cursor belongs to this run's file: resume after the last committed line.
  const resumeAfter = run.cursor ? Number(run.cursor) : 0;
  let processed = resumeAfter ? run.processedCount : 0;
  let ordersWritten = resumeAfter ? run.ordersCount : 0;
  await updateSyncRun(shop, runId, { status: "importing", error: null });

  let orders: OrderRecord[] = [];
  let customers = new Map<string, CustomerRecord>();
  // Snapshot time of each customer already written by this import: a customer with many orders
  // comes back on each of their lines, and an unchanged snapshot need not be upserted again.
  const written = new Map<string, number>();
  const snapshotTime = (c: CustomerRecord) => c.shopifyUpdatedAt?.getTime() ?? 0;
  let lastLine = resumeAfter;
  let batchNumber = 0;
  // Batches commit while the next ones are parsed. At most WRITE_AHEAD wait for their commit: memory
  // stays bounded, and a failed write stops the import at the next flush.
  const writer = openImportWriter({ batchesPerCommit: options.batchesPerCommit ?? 20 });
  const writing: Promise<void>[] = [];

  const flush = async () => {
    if (!orders.length) return;
    if (writing.length >= WRITE_AHEAD) await writing.shift();
    batchNumber += 1;
    // In key order for the indexes rows land in at random (an order's customer, a customer's id): a
    // batch then walks each index once from start to end instead of jumping about it.
    const batchOrders = orders.sort(byCustomer);
    const batchCustomers = [...customers.values()].sort(byShopifyId);
    const number = batchNumber;
    const write = writer.write({
      shop,
      runId,
      customers: batchCustomers,
      orders: batchOrders,
      progress: { cursor: String(lastLine), processedCount: processed, ordersCount: ordersWritten + batchOrders.length },
      afterWrite: options.afterBatchWrite ? () => options.afterBatchWrite!(number) : undefined,
    });
    // Handled here so a failure while the next batch is parsed is not an unhandled rejection; awaiting
    // `write` later still throws it.
    write.catch(() => undefined);
    writing.push(write);
    ordersWritten += batchOrders.length;
    for (const c of batchCustomers) written.set(c.shopifyId, snapshotTime(c));
    orders = [];
    customers = new Map();
  };

  try {
    for await (const lines of streamJsonl<BulkOrderLine>(url, options.fetchImpl)) {
      for (const { lineNumber, value } of lines) {
        if (lineNumber <= resumeAfter) continue;
        let order: OrderRecord;
        try {
          order = orderFromBulkLine(value);
        } catch (error) {
          throw new Error(`JSONL line ${lineNumber}: ${describe(error)}`);
        }
        orders.push(order);
        const customer = customerFromBulkLine(value);
        if (customer && snapshotTime(customer) > (written.get(customer.shopifyId) ?? -1)) {
          const seen = customers.get(customer.shopifyId);
          if (!seen || snapshotTime(customer) >= snapshotTime(seen)) customers.set(customer.shopifyId, customer);
        }
        processed += 1;
        lastLine = lineNumber;
        if (orders.length >= batchSize) await flush();
      }
    }
    await flush();
    for (const write of writing.splice(0)) await write;
    await writer.refreshAggregates(shop);
  } catch (error) {
    // Batches written before the failure are committed and stay; the cursor says where a retry resumes.
    await Promise.allSettled(writing);
    await writer.close();
    await failRun(shop, runId, run.attempt, `Import failed: ${describe(error)}`);
    throw error;
  } finally {
    await writer.close();
  }
  // The dashboard's figures counted before the run says completed: what it shows then is exact.
  await refreshDashboardFigures(shop);
  const customerCount = await countCustomers(shop);
  await finishImport(shop, runId, processed, ordersWritten, customerCount);
}
