import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { mainStartsWaiting, mainStopsWaiting } from "./sqlite-write-gate.server";

/**
 * Prisma's SQLite adapter for the main thread, whose statements never wait for the lock synchronously
 * (issue 23). better-sqlite3 is synchronous: with a busy_timeout, a write that meets a writer thread's
 * transaction sleeps in SQLite's busy handler and the whole event loop (every page and webhook of the
 * process) sleeps with it. Here the connection's busy_timeout is 0 and a statement answered SQLITE_BUSY is
 * tried again on a timer — 5 ms doubling to 50 ms, for up to BUSY_RETRY_MS — so the process serves requests
 * meanwhile. A statement that failed with SQLITE_BUSY had no effect (SQLite undoes the statement, and the
 * transaction it is in stays open), so it can run again. Inside a transaction only plain SQLITE_BUSY is retried:
 * SQLITE_BUSY_SNAPSHOT (the transaction read a snapshot another writer has since changed) fails as before and
 * is retried as a whole transaction where the caller does so (retryTransient); see `isRetryable`.
 */
export const BUSY_RETRY_MS = 10_000;

interface Queryable {
  queryRaw(query: unknown): Promise<unknown>;
  executeRaw(query: unknown): Promise<unknown>;
}

export class NonBlockingSqliteAdapter extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    retryWhileBusy(adapter, false);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => {
      const transaction = await startTransaction(...args);
      if (immediate.getStore()) {
        try {
          await beginImmediate(transaction);
        } catch (error) {
          // Nothing is open on the connection; this releases the adapter's transaction lock.
          await transaction.rollback();
          throw error;
        }
      }
      return retryWhileBusy(transaction, true);
    };
    return adapter;
  }
}

const immediate = new AsyncLocalStorage<boolean>();

/**
 * Runs `work` so that the transactions it starts on the main connection take the write lock first (BEGIN
 * IMMEDIATE), waiting for it on a timer like any statement here. A deferred transaction whose first write met
 * a writer thread's lock kept the snapshot of that first try, and every later try failed with
 * SQLITE_BUSY_SNAPSHOT while an import committed batch after batch: a webhook answered 503 after its whole
 * time budget (issue 23). For transactions that write (rawSqlTransaction); a read-only one has no reason to wait.
 */
export function withImmediateTransactions<T>(work: () => Promise<T>): Promise<T> {
  return immediate.run(true, work);
}

const statement = (sql: string) => ({ sql, args: [], argTypes: [] }) as unknown as Parameters<Queryable["executeRaw"]>[0];

/** Turns the adapter's deferred BEGIN (no lock taken yet) into BEGIN IMMEDIATE, retried on a timer while busy. */
async function beginImmediate(transaction: Queryable): Promise<void> {
  await transaction.executeRaw(statement("ROLLBACK"));
  // Between tries no transaction is open on the connection, so statements from outside may run meanwhile.
  await untilNotBusy(() => transaction.executeRaw(statement("BEGIN IMMEDIATE")), false);
}

function retryWhileBusy<T extends Queryable>(queryable: T, inTransaction: boolean): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => untilNotBusy(() => queryRaw(query), inTransaction);
  queryable.executeRaw = (query) => untilNotBusy(() => executeRaw(query), inTransaction);
  return queryable;
}

/**
 * While a transaction's statement waits for the lock on a timer, statements from outside it wait too: the
 * connection is one, and a statement run then would join that transaction (and go with its rollback). Before,
 * the synchronous wait kept anything else from running meanwhile.
 */
let transactionWaiting: Promise<void> | null = null;

/*
 * Not done here: letting the event loop turn before a statement outside a transaction (Prisma's SQLite queries
 * settle in microtasks alone, so a loop of awaited queries starves timers and I/O). Tried in issue 23, it let a
 * double-clicked compensation create two codes in 2 of 6 runs (tests/integration/jobs/feedback-rewards.test.ts):
 * the one connection's interleaving is part of what keeps that path exactly-once.
 */

async function untilNotBusy<T>(statement: () => Promise<T>, inTransaction: boolean): Promise<T> {
  if (!inTransaction) {
    while (transactionWaiting) await transactionWaiting;
  }
  try {
    return await statement();
  } catch (error) {
    if (!isRetryable(error, inTransaction)) throw error;
  }
  let done!: () => void;
  if (inTransaction) transactionWaiting = new Promise<void>((resolve) => (done = resolve));
  // Writer threads let a waiting main thread go first (sqlite-write-gate.server.ts).
  mainStartsWaiting();
  try {
    const deadline = Date.now() + BUSY_RETRY_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await statement();
      } catch (error) {
        if (!isRetryable(error, inTransaction) || Date.now() + delay >= deadline) throw error;
      }
    }
  } finally {
    mainStopsWaiting();
    if (inTransaction) {
      transactionWaiting = null;
      done();
    }
  }
}

/**
 * The adapter reports SQLITE_BUSY as a DriverAdapterError whose cause keeps the driver's code. Outside a
 * transaction SQLITE_BUSY_SNAPSHOT (the adapter passes the driver's error on) is retried as well: the statement
 * was its own transaction, rolled back whole, and runs again on a fresh snapshot. Inside one it is not: the
 * transaction's earlier reads are stale, and only running all of it again can help.
 */
function isRetryable(error: unknown, inTransaction: boolean): boolean {
  const e = error as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  if (e?.cause?.originalCode === "SQLITE_BUSY") return true;
  return !inTransaction && e?.code === "SQLITE_BUSY_SNAPSHOT";
}
