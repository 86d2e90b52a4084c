import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { mainWaitingBuffer, releaseWriteGateHeldBy, WRITE_GATE_WORKER_SOURCE, writeGateBuffer } from "./sqlite-write-gate.server";

/** One statement and the rows (bound parameters) it runs for, one execution per row. */
export interface WriteStep {
  sql: string;
  rows: unknown[][];
}

/**
 * The writer thread's whole program. It is plain CommonJS run with `eval`, so the same code works under
 * tsx, Vitest and the bundled Remix server, which has no separate file to point a Worker at. It only
 * runs prepared statements: rows are built (and validated) on the main thread.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const conn = new Database(workerData.file);
conn.pragma("journal_mode = WAL");
conn.pragma("synchronous = NORMAL");
conn.pragma("busy_timeout = 10000");
conn.pragma("cache_size = -" + workerData.cacheKiB);
// Checkpoint every 256 MB of WAL instead of every 4 MB: pages rewritten by many batches are copied
// into the database (and synced) once, not once per batch. The WAL is cut back to 64 MB afterwards.
conn.pragma("wal_autocheckpoint = 65536");
conn.pragma("journal_size_limit = 67108864");
const prepared = new Map();
function statement(sql) {
  let found = prepared.get(sql);
  if (!found) prepared.set(sql, (found = conn.prepare(sql)));
  return found;
}
const verdict = new Int32Array(workerData.verdict);
${WRITE_GATE_WORKER_SOURCE}
// The process's write gate is taken first (sqlite-write-gate.server.ts): IMMEDIATE then waits only for
// a short write of the main thread's connection (or another process), never for another writer thread.
const begin = conn.prepare("BEGIN IMMEDIATE");
const commit = conn.prepare("COMMIT");
const rollback = conn.prepare("ROLLBACK");
class Aborted extends Error {}
// After a failed batch, none of the queued ones may be written: an import's cursor would skip the failed lines.
let failed = null;
let uncommitted = 0;
let startedAt = 0;
let idleCommit = null;
const pause = new Int32Array(new SharedArrayBuffer(4));
function commitGroup() {
  if (conn.inTransaction) {
    try {
      commit.run();
      // The main thread's connection waits in SQLite's busy handler, which retries up to 100 ms apart:
      // a gap longer than that before the next writer thread begins lets it in.
      Atomics.wait(pause, 0, 0, workerData.yieldMs);
    } finally {
      if (conn.inTransaction) rollback.run();
      releaseGate();
    }
  }
  uncommitted = 0;
}
function abortGroup() {
  if (conn.inTransaction) {
    try {
      rollback.run();
    } finally {
      releaseGate();
    }
  }
}
function write(message) {
  if (!conn.inTransaction) {
    acquireGate(workerData.id);
    try {
      begin.run();
    } catch (error) {
      releaseGate();
      throw error;
    }
    startedAt = Date.now();
  }
  for (const step of message.steps) {
    const run = statement(step.sql);
    for (const row of step.rows) run.run(row);
  }
  if (message.confirm) {
    Atomics.store(verdict, 0, 0);
    parentPort.postMessage({ type: "written" });
    Atomics.wait(verdict, 0, 0);
    if (Atomics.load(verdict, 0) !== 1) throw new Aborted();
  }
  const held = Date.now() - startedAt;
  if (++uncommitted >= workerData.batchesPerCommit || message.commit || held >= workerData.maxTransactionMs) commitGroup();
  // Nobody else in the process may write while this transaction is open: it never stays open longer
  // than maxTransactionMs, also while the main thread is still preparing the next batch.
  else idleCommit = setTimeout(idle, workerData.maxTransactionMs - held);
}
function idle() {
  idleCommit = null;
  if (failed) return;
  try {
    commitGroup();
  } catch (error) {
    failed = error && error.message ? error.message : String(error);
  }
}
parentPort.on("message", (message) => {
  if (idleCommit) clearTimeout(idleCommit);
  idleCommit = null;
  if (message.type === "close") {
    if (!failed) commitGroup();
    else abortGroup();
    conn.close();
    parentPort.close();
    return;
  }
  if (failed) {
    parentPort.postMessage({ type: "failed", aborted: false, message: "an earlier batch failed (" + failed + ")" });
    return;
  }
  try {
    if (message.outsideTransaction) {
      // Statements that only read the database (and write this connection's temp tables) need no write
      // lock: run after the open group commits, each on its own, so nobody waits on them.
      commitGroup();
      for (const step of message.steps) {
        const run = statement(step.sql);
        for (const row of step.rows) run.run(row);
      }
      parentPort.postMessage({ type: "done" });
      return;
    }
    write(message);
    parentPort.postMessage({ type: "done" });
  } catch (error) {
    abortGroup();
    failed = error && error.message ? error.message : String(error);
    parentPort.postMessage({ type: "failed", aborted: error instanceof Aborted, message: failed });
  }
});
`;

/**
 * The longest a writer thread keeps its transaction (and the process's write gate) open: every other
 * write of the process — a webhook, a merchant's save, another shop's import — waits at most this long
 * per writer ahead of it, well inside Shopify's 5 s webhook budget. The main thread's connection waits
 * synchronously (better-sqlite3), so that wait is also how long every page of the process may stall
 * (issue 23; 300 ms was tried, see decision 006). Longer groups would write fewer pages per row on a
 * large import (decision 002), at the cost of that wait.
 */
export const MAX_TRANSACTION_MS = 1_000;
/** Pause after each commit (longer than the 100 ms between SQLite's busy retries) for the main thread's writes. */
const YIELD_MS = 120;
let lastWriterId = 0;

type Reply = { type: "done" } | { type: "written" } | { type: "failed"; aborted: boolean; message: string };

/**
 * Bulk writes on a thread of their own, through a second better-sqlite3 connection (WAL, so the app's
 * connection keeps reading) with prepared single-row statements: Prisma's raw-query path costs more per
 * bound parameter than SQLite costs per row (decision 002). The main thread keeps working meanwhile —
 * the backfill downloads, parses and maps its next batches, so on two cores the import runs at the pace
 * of the slower half instead of their sum — and its event loop stays free. Batches are written in the
 * order given and commit in groups.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly verdict = new Int32Array(new SharedArrayBuffer(4));
  /** This thread's id in the write gate (0 is the main thread). */
  private readonly id = ++lastWriterId;
  /** Batches posted and not yet answered, oldest first (the thread answers in order). */
  private readonly pending: Array<{ resolve: () => void; reject: (error: Error) => void; afterWrite?: () => void; thrown?: unknown }> = [];
  private exited: Error | null = null;

  /**
   * `batchesPerCommit` batches share a transaction. Each commit writes every page its rows touched to
   * the WAL; on a large shop one batch of 5,000 orders touches about as many index pages as it has rows,
   * so commits of one batch each spent more time writing pages than inserting rows. `cacheMiB` is the
   * connection's page cache: pages that do not fit are read again and written again.
   */
  constructor(
    file: string,
    {
      batchesPerCommit = 1,
      cacheMiB = 64,
      maxTransactionMs = MAX_TRANSACTION_MS,
    }: { batchesPerCommit?: number; cacheMiB?: number; maxTransactionMs?: number } = {},
  ) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const workerData = {
      driver,
      file,
      batchesPerCommit,
      cacheKiB: cacheMiB * 1024,
      verdict: this.verdict.buffer,
      gate: writeGateBuffer,
      mainWaiting: mainWaitingBuffer,
      id: this.id,
      maxTransactionMs,
      yieldMs: YIELD_MS,
    };
    this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData });
    this.worker.on("message", (reply: Reply) => this.onReply(reply));
    this.worker.on("error", (error) => this.onExit(error));
    this.worker.on("exit", (code) => this.onExit(new Error(`The SQLite writer thread stopped (exit code ${code})`)));
  }

  /**
   * Writes one batch (its steps in order) after the ones before it; resolves once it is written. It
   * commits with its group (every `batchesPerCommit` batches), when `commit` is set, or at `close`. A
   * failed batch rolls its whole uncommitted group back, and no later batch is written. `afterWrite`
   * (a test seam) runs after the steps, inside the transaction, while the writer waits: a throw there
   * fails the batch with that error. `outsideTransaction` steps (reads into temp tables) run after the
   * open group commits, without the write gate.
   */
  write(
    steps: WriteStep[],
    {
      afterWrite,
      commit = false,
      outsideTransaction = false,
    }: { afterWrite?: () => void; commit?: boolean; outsideTransaction?: boolean } = {},
  ): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, afterWrite });
      this.worker.postMessage({ steps, confirm: Boolean(afterWrite), commit, outsideTransaction });
    });
  }

  /** Commits the written batches (unless one failed), closes the connection and ends the thread. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once("exit", resolve));
    this.worker.postMessage({ type: "close" });
    await exited;
  }

  private onReply(reply: Reply) {
    const pending = this.pending[0];
    if (!pending) return;
    if (reply.type === "written") {
      try {
        pending.afterWrite?.();
        Atomics.store(this.verdict, 0, 1);
      } catch (error) {
        pending.thrown = error;
        Atomics.store(this.verdict, 0, 2);
      }
      Atomics.notify(this.verdict, 0);
      return;
    }
    this.pending.shift();
    if (reply.type === "done") pending.resolve();
    else if (reply.aborted && pending.thrown !== undefined) pending.reject(pending.thrown as Error);
    else pending.reject(new Error(`The SQLite write failed: ${reply.message}`));
  }

  private onExit(error: Error) {
    if (this.exited) return;
    this.exited = error;
    releaseWriteGateHeldBy(this.id);
    for (const pending of this.pending.splice(0)) pending.reject(error);
  }
}
