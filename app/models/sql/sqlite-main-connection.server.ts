import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { mainStartsWaiting, mainStopsWaiting } from "./sqlite-write-gate.server";

/**
 * Prisma's SQLite adapter for the main thread, whose statements never wait for the lock synchronously
 * (issue 23). better-sqlite3 is synchronous: with a busy_timeout, a write that meets a writer thread's
 * transaction sleeps in SQLite's busy handler and the whole event loop (every page and webhook of the
 * process) sleeps with it. Here the connection's busy_timeout is 0 and a statement answered SQLITE_BUSY is
 * tried again on a timer — 5 ms doubling to 50 ms, for up to BUSY_RETRY_MS — so the process serves requests
 * meanwhile. A statement that failed with SQLITE_BUSY had no effect (SQLite undoes the statement, and the
 * transaction it is in stays open), so it can run again. Only plain SQLITE_BUSY is retried:
 * SQLITE_BUSY_SNAPSHOT (a transaction read a snapshot another writer has since changed) fails as before
 * and is retried as a whole transaction where the caller does so (retryTransient).
 */
export const BUSY_RETRY_MS = 10_000;

interface Queryable {
  queryRaw(query: unknown): Promise<unknown>;
  executeRaw(query: unknown): Promise<unknown>;
}

export class NonBlockingSqliteAdapter extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    retryWhileBusy(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => retryWhileBusy(await startTransaction(...args));
    return adapter;
  }
}

function retryWhileBusy<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => untilNotBusy(() => queryRaw(query));
  queryable.executeRaw = (query) => untilNotBusy(() => executeRaw(query));
  return queryable;
}

async function untilNotBusy<T>(statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    if (!isPlainBusy(error)) throw error;
  }
  // Writer threads let a waiting main thread go first (sqlite-write-gate.server.ts).
  mainStartsWaiting();
  try {
    const deadline = Date.now() + BUSY_RETRY_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await statement();
      } catch (error) {
        if (!isPlainBusy(error) || Date.now() + delay >= deadline) throw error;
      }
    }
  } finally {
    mainStopsWaiting();
  }
}

/** The adapter reports SQLITE_BUSY as a DriverAdapterError whose cause keeps the driver's code. */
function isPlainBusy(error: unknown): boolean {
  const cause = (error as { cause?: { originalCode?: unknown } } | null)?.cause;
  return cause?.originalCode === "SQLITE_BUSY";
}
