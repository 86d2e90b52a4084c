/**
 * Leases on periodic jobs, so one shop's daily run happens once however many app instances share
 * the database. The unique (shop, jobKey) row is the lease: inserting it wins the race; an expired
 * lease (its holder died) or a failed run is taken over by one atomic conditional UPDATE.
 *
 * A run's end is one of: `completed` (nothing left to do), `failed` (an error) or `unfinished` (work
 * left for later, e.g. codes Shopify could not create yet), both retried after `retryFailedAfterMs`;
 * or `paused` (Pause all), taken up again by the first tick after the merchant resumes.
 */
import defaultDb, { type Db } from "../db.server";
import { newId, placeholder, sqlTimestamp } from "./sql/sql.server";

export type LeaseOutcome =
  { acquired: true; takenOver: boolean } | { acquired: false; reason: "completed" | "held" | "failedRecently"; owner: string | null };

export type LeaseStatus = "running" | "completed" | "failed" | "unfinished" | "paused";

export interface LeaseOptions {
  owner: string;
  ttlMs: number;
  now?: Date;
  /** A failed run is retried by the next scheduler tick after this long. */
  retryFailedAfterMs?: number;
  /** Another connection pool (tests simulate a second app instance with its own client). */
  db?: Db;
}

export class LeaseLostError extends Error {
  constructor(shop: string, jobKey: string, owner: string) {
    super(`Lease ${jobKey} for ${shop} is no longer held by ${owner}`);
    this.name = "LeaseLostError";
  }
}

export async function acquireLease(shop: string, jobKey: string, options: LeaseOptions): Promise<LeaseOutcome> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + options.ttlMs);
  // ON CONFLICT DO NOTHING instead of catching a unique violation: on PostgreSQL a failed statement
  // would poison an enclosing transaction, and the affected-row count answers the race directly.
  const inserted = await db.$executeRawUnsafe(
    `INSERT INTO "JobRun" ("id", "shop", "jobKey", "status", "leaseUntil", "owner", "startedAt")
     VALUES (${[1, 2, 3, 4, 5, 6, 7].map(placeholder).join(", ")})
     ON CONFLICT ("shop", "jobKey") DO NOTHING`,
    newId(),
    shop,
    jobKey,
    "running",
    sqlTimestamp(leaseUntil),
    options.owner,
    sqlTimestamp(now),
  );
  if (inserted === 1) return { acquired: true, takenOver: false };

  const retryBefore = new Date(now.getTime() - (options.retryFailedAfterMs ?? 15 * 60_000));
  // One conditional UPDATE in autocommit: the row is taken over by whoever's statement lands first;
  // the others find it running with a fresh lease and match nothing.
  const p = placeholder;
  const count = await db.$executeRawUnsafe(
    `UPDATE "JobRun" SET "status" = 'running', "owner" = ${p(1)}, "leaseUntil" = ${p(2)}, "startedAt" = ${p(3)},
       "finishedAt" = NULL, "error" = NULL
     WHERE "shop" = ${p(4)} AND "jobKey" = ${p(5)}
       AND (("status" = 'running' AND "leaseUntil" < ${p(6)}) OR "status" = 'paused'
         OR ("status" IN ('failed', 'unfinished') AND "finishedAt" < ${p(7)}))`,
    options.owner,
    sqlTimestamp(leaseUntil),
    sqlTimestamp(now),
    shop,
    jobKey,
    sqlTimestamp(now),
    sqlTimestamp(retryBefore),
  );
  if (count === 1) return { acquired: true, takenOver: true };

  const row = await db.jobRun.findUnique({ where: { shop_jobKey: { shop, jobKey } } });
  const reason =
    row?.status === "completed" ? "completed" : row?.status === "failed" || row?.status === "unfinished" ? "failedRecently" : "held";
  return { acquired: false, reason, owner: row?.owner ?? null };
}

/** Extends a held lease; throws LeaseLostError if another instance took it over meanwhile. */
export async function renewLease(shop: string, jobKey: string, options: LeaseOptions): Promise<void> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const { count } = await db.jobRun.updateMany({
    where: { shop, jobKey, owner: options.owner, status: "running" },
    data: { leaseUntil: new Date(now.getTime() + options.ttlMs) },
  });
  if (count !== 1) throw new LeaseLostError(shop, jobKey, options.owner);
}

export async function completeLease(shop: string, jobKey: string, owner: string, result: unknown, now = new Date()): Promise<boolean> {
  const { count } = await defaultDb.jobRun.updateMany({
    where: { shop, jobKey, owner, status: "running" },
    data: { status: "completed", result: JSON.stringify(result), finishedAt: now, leaseUntil: null },
  });
  return count === 1;
}

export async function failLease(shop: string, jobKey: string, owner: string, error: unknown, now = new Date()): Promise<boolean> {
  const message = error instanceof Error ? error.message : String(error);
  const { count } = await defaultDb.jobRun.updateMany({
    where: { shop, jobKey, owner, status: "running" },
    data: { status: "failed", error: message.slice(0, 2000), finishedAt: now, leaseUntil: null },
  });
  return count === 1;
}

/** Ends a held lease with work left: `unfinished` (retried later) or `paused` (taken up after resume). */
export async function leaveLease(
  shop: string,
  jobKey: string,
  owner: string,
  status: "unfinished" | "paused",
  result: unknown,
  now = new Date(),
): Promise<boolean> {
  const { count } = await defaultDb.jobRun.updateMany({
    where: { shop, jobKey, owner, status: "running" },
    data: { status, result: JSON.stringify(result), finishedAt: now, leaseUntil: null },
  });
  return count === 1;
}

export async function findJobRun(shop: string, jobKey: string) {
  return defaultDb.jobRun.findUnique({ where: { shop_jobKey: { shop, jobKey } } });
}

export async function listJobRuns(shop: string, keyPrefix: string, take = 30) {
  return defaultDb.jobRun.findMany({ where: { shop, jobKey: { startsWith: keyPrefix } }, orderBy: { startedAt: "desc" }, take });
}

/** What a completed run recorded about itself (the scheduler reads whether birthday moments were due). */
export async function dailyRunResult(shop: string, jobKey: string): Promise<{ birthdayMomentsDue?: boolean } | null> {
  const row = await findJobRun(shop, jobKey);
  if (row?.status !== "completed" || !row.result) return null;
  try {
    const value = JSON.parse(row.result) as { birthdayMomentsDue?: unknown };
    return typeof value.birthdayMomentsDue === "boolean" ? { birthdayMomentsDue: value.birthdayMomentsDue } : {};
  } catch {
    return {};
  }
}
