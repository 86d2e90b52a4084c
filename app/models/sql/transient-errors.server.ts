/**
 * Database errors that mean "not now" rather than "wrong": another writer held the lock (SQLite's
 * SQLITE_BUSY, which Prisma reports as P1008 or P2010 with the driver's code beside it), or PostgreSQL
 * gave up a transaction over a conflict, a deadlock or a lock timeout. Trying the same work again a
 * little later succeeds; nothing about the input needs to change.
 */
const TRANSIENT_CODES = new Set([
  // Prisma: operations timed out; transaction failed over a write conflict or deadlock; an interactive
  // transaction expired or could not start in time (P2028: it waited behind a writer and was rolled back).
  "P1008",
  "P2028",
  "P2034",
  // SQLite (better-sqlite3 and Prisma's driver adapter report these as `code` / `originalCode`).
  "SQLITE_BUSY",
  "SQLITE_BUSY_SNAPSHOT",
  "SQLITE_BUSY_RECOVERY",
  "SQLITE_LOCKED",
  // PostgreSQL: serialization failure, deadlock, lock not available.
  "40001",
  "40P01",
  "55P03",
]);

const TRANSIENT_MESSAGE = /database is locked|database table is locked|deadlock detected|could not serialize access/i;

/** Whether `error` (or anything it wraps) is a transient lock or conflict error. */
export function isTransientDatabaseError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as {
    code?: unknown;
    originalCode?: unknown;
    message?: unknown;
    originalMessage?: unknown;
    cause?: unknown;
    meta?: unknown;
  };
  for (const code of [e.code, e.originalCode]) if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  for (const message of [e.message, e.originalMessage]) if (typeof message === "string" && TRANSIENT_MESSAGE.test(message)) return true;
  const meta = e.meta as { driverAdapterError?: unknown } | undefined;
  return isTransientDatabaseError(e.cause, depth + 1) || isTransientDatabaseError(meta?.driverAdapterError, depth + 1);
}

export interface RetryClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: RetryClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Runs `work`; while it fails with a transient lock or conflict (another writer held the database, or
 * PostgreSQL chose it as a deadlock's victim), waits and runs it again — 25 ms, then doubling up to
 * 400 ms — as long as the next try starts before `deadline`. The wait is a timer, so the process keeps
 * serving pages meanwhile. Any other error, or the last transient one, is thrown. `work` must be safe to
 * run again after it failed (a rolled-back transaction).
 */
export async function retryTransient<T>(work: () => Promise<T>, deadline: number, clock: RetryClock = realClock): Promise<T> {
  for (let delay = 25; ; delay = Math.min(delay * 2, 400)) {
    try {
      return await work();
    } catch (error) {
      if (!isTransientDatabaseError(error) || clock.now() + delay >= deadline) throw error;
      await clock.sleep(delay);
    }
  }
}

/**
 * Whether `error` is Prisma's unique-constraint violation (P2002): a racing writer inserted the same key.
 * By code, not `instanceof`: the PostgreSQL client is generated separately from `@prisma/client`, so its
 * error classes are not the ones `Prisma.PrismaClientKnownRequestError` names.
 */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}
