import db from "../db.server";

export const ACTIVE_SYNC_STATUSES = ["running", "importing"] as const;

export async function createSyncRun(shop: string, kind: string, attempt = 1) {
  return db.syncRun.create({ data: { shop, kind, status: "running", attempt } });
}

export async function updateSyncRun(shop: string, id: string, data: Parameters<typeof db.syncRun.update>[0]["data"]) {
  // updateMany so the shop filter is part of the write, not only of the lookup.
  await db.syncRun.updateMany({ where: { shop, id }, data });
}

export async function findSyncRunByBulkOperation(shop: string, bulkOperationId: string) {
  return db.syncRun.findFirst({ where: { shop, bulkOperationId }, orderBy: { startedAt: "desc" } });
}

export async function activeSyncRun(shop: string, kind = "backfill") {
  return db.syncRun.findFirst({
    where: { shop, kind, status: { in: [...ACTIVE_SYNC_STATUSES] } },
    orderBy: { startedAt: "desc" },
  });
}

export async function latestSyncRun(shop: string, kind = "backfill") {
  return db.syncRun.findFirst({ where: { shop, kind }, orderBy: { startedAt: "desc" } });
}

/** Rows done / expected for the UI's progress bar (expected is Shopify's objectCount). */
export function syncProgress(run: { processedCount: number; expectedCount: number | null; status: string }) {
  if (run.status === "completed") return 1;
  if (!run.expectedCount) return null;
  return Math.min(1, run.processedCount / run.expectedCount);
}

/** The latest failed backfill whose backoff has elapsed, its retry cleared so only one caller takes it. */
export async function takeDueBackfillRetry(shop: string, now = new Date()) {
  const [due] = await db.syncRun.findMany({
    where: { shop, kind: "backfill", status: "failed", nextRetryAt: { lte: now } },
    orderBy: { startedAt: "desc" },
    take: 1,
  });
  if (!due) return null;
  await db.syncRun.updateMany({ where: { shop, kind: "backfill", status: "failed" }, data: { nextRetryAt: null } });
  return due;
}

export async function getSyncRun(shop: string, id: string) {
  return db.syncRun.findFirstOrThrow({ where: { shop, id } });
}

export async function recentSyncRuns(shop: string, take: number) {
  return db.syncRun.findMany({ where: { shop }, orderBy: { startedAt: "desc" }, take });
}

/** The last finished run of a kind (the nightly refresh starts where the previous one ended). */
export async function latestCompletedSyncRun(shop: string, kind: string) {
  return db.syncRun.findFirst({ where: { shop, kind, status: "completed" }, orderBy: { startedAt: "desc" } });
}
