import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** One batch as the writer thread runs it: bound-parameter rows, in the order of the statements. */
export interface SqliteImportBatch {
  customers: unknown[][];
  orders: unknown[][];
  /** Parameters of the cursor update, committed with the rows. */
  progress: unknown[];
}

export interface SqliteImportStatements {
  customer: string;
  order: string;
  progress: string;
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
conn.pragma("cache_size = -65536");
// Checkpoint every 256 MB of WAL instead of every 4 MB: pages rewritten by many batches are copied
// into the database (and synced) once, not once per batch. The WAL is cut back to 64 MB afterwards.
conn.pragma("wal_autocheckpoint = 65536");
conn.pragma("journal_size_limit = 67108864");
const insertCustomer = conn.prepare(workerData.sql.customer);
const insertOrder = conn.prepare(workerData.sql.order);
const saveProgress = conn.prepare(workerData.sql.progress);
const verdict = new Int32Array(workerData.verdict);
const begin = conn.prepare("BEGIN");
const commit = conn.prepare("COMMIT");
const rollback = conn.prepare("ROLLBACK");
class Aborted extends Error {}
// After a failed batch, none of the queued ones may commit: their cursor would skip the failed lines.
let failed = null;
let uncommitted = 0;
function commitGroup() {
  if (conn.inTransaction) commit.run();
  uncommitted = 0;
}
function write(batch) {
  if (!conn.inTransaction) begin.run();
  for (const row of batch.customers) insertCustomer.run(row);
  for (const row of batch.orders) insertOrder.run(row);
  if (batch.confirm) {
    Atomics.store(verdict, 0, 0);
    parentPort.postMessage({ type: "written" });
    Atomics.wait(verdict, 0, 0);
    if (Atomics.load(verdict, 0) !== 1) throw new Aborted();
  }
  saveProgress.run(batch.progress);
  if (++uncommitted >= workerData.batchesPerCommit) commitGroup();
}
const runAll = conn.transaction((statements) => {
  for (const { sql, params } of statements) conn.prepare(sql).run(params);
});
parentPort.on("message", (message) => {
  if (message.type === "close") {
    if (!failed) commitGroup();
    conn.close();
    parentPort.close();
    return;
  }
  if (failed) {
    parentPort.postMessage({ type: "failed", aborted: false, message: "an earlier batch failed (" + failed + ")" });
    return;
  }
  try {
    if (message.type === "run") {
      commitGroup();
      runAll(message.statements);
    } else write(message.batch);
    parentPort.postMessage({ type: "done" });
  } catch (error) {
    if (conn.inTransaction) rollback.run();
    failed = error && error.message ? error.message : String(error);
    parentPort.postMessage({ type: "failed", aborted: error instanceof Aborted, message: failed });
  }
});
`;

type Reply = { type: "done" } | { type: "written" } | { type: "failed"; aborted: boolean; message: string };

/**
 * Writes a SQLite backfill's batches on a thread of their own, through its own better-sqlite3
 * connection (WAL, so the app's connection keeps reading). The main thread downloads, parses and maps
 * the next batches while this one writes: on two cores the two halves take about the same time, so the
 * import runs at the pace of the slower one instead of their sum. Batches are written in the order
 * given, each with its cursor, and commit in groups.
 */
export class SqliteImportWriter {
  private readonly worker: Worker;
  private readonly verdict = new Int32Array(new SharedArrayBuffer(4));
  /** Batches posted and not yet answered, oldest first (the thread answers in order). */
  private readonly pending: Array<{ resolve: () => void; reject: (error: Error) => void; afterWrite?: () => void; thrown?: unknown }> = [];
  private exited: Error | null = null;

  /**
   * `batchesPerCommit` batches share a transaction. Each commit writes every page its rows touched to
   * the WAL; on a large shop one batch of 5,000 orders touches about as many index pages as it has rows,
   * so commits of one batch each spent more time writing pages than inserting rows.
   */
  constructor(file: string, sql: SqliteImportStatements, { batchesPerCommit = 1 }: { batchesPerCommit?: number } = {}) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { driver, file, sql, batchesPerCommit, verdict: this.verdict.buffer },
    });
    this.worker.on("message", (reply: Reply) => this.onReply(reply));
    this.worker.on("error", (error) => this.onExit(error));
    this.worker.on("exit", (code) => this.onExit(new Error(`The SQLite import writer stopped (exit code ${code})`)));
  }

  /**
   * Writes one batch after the ones before it; resolves once it is written. It commits with its group
   * (every `batchesPerCommit` batches), before a `run`, or at `close`. A failed batch rolls its whole
   * uncommitted group back, cursor included, and no later batch is written. `afterWrite` (a test seam)
   * runs after the rows are written, inside the transaction, while the writer waits: a throw there
   * fails the batch with that error.
   */
  write(batch: SqliteImportBatch, afterWrite?: () => void): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, afterWrite });
      this.worker.postMessage({ type: "write", batch: { ...batch, confirm: Boolean(afterWrite) } });
    });
  }

  /** Commits the written batches, then runs these statements in one transaction. */
  run(statements: Array<{ sql: string; params: unknown[] }>): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage({ type: "run", statements });
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
    else pending.reject(new Error(`Writing the import batch failed: ${reply.message}`));
  }

  private onExit(error: Error) {
    if (this.exited) return;
    this.exited = error;
    for (const pending of this.pending.splice(0)) pending.reject(error);
  }
}
