/**
 * Runs a shop's recompute analysis (shop-analysis.server.ts: summaries, backtest, fit and per-customer
 * scoring, ranges) on a worker thread, so the seconds of CPU it takes on a large shop never stall the pages
 * and webhooks this process serves (issue 23). When the worker cannot start or dies, the same analysis runs
 * here instead, giving the event loop a turn between its steps and batches, and the reason is logged.
 */
import type { CustomerScore } from "../retention/score";
import { analyseShop, type ShopAnalysis, type ShopAnalysisInput, type TransactionLog } from "./shop-analysis.server";
import type { ScoringMessage, ScoringRequest } from "./scoring-worker.server";
import { startWorker, workerProgram, type WorkerProgram } from "./worker-program.server";

export interface ScoringOptions {
  /** Called on this thread as each batch of scored customers has been handed on: where the analysis runs, customers so far. */
  onProgress?: (progress: { ranOn: ShopScoring["ranOn"]; scored: number }) => void;
  /**
   * Test seam: the worker waits on this cell (Atomics) after sending its first batch until it is set non-zero,
   * so a test can prove requests are served while the analysis is still running.
   */
  holdAfterFirstBatch?: Int32Array;
}

export interface ShopScoring {
  analysis: ShopAnalysis;
  /** Where it ran: "worker", or "inline" after the worker could not start or failed. */
  ranOn: "worker" | "inline";
}

/** Each batch of scored customers, in order; the analysis waits while this many are not yet handled. */
export type BatchHandler = (customers: CustomerScore[]) => Promise<void>;
const BATCHES_IN_FLIGHT = 2;

/**
 * Runs the analysis and hands every batch of scored customers to `onBatch` (the score writer) as it is ready,
 * so the shop's results are never held at once. If the worker fails half way, the analysis runs again inline
 * from the start: `onBatch` must accept a customer twice (the score writer's updates do).
 */
export async function scoreShopAnalysis(
  transactions: TransactionLog,
  input: ShopAnalysisInput,
  onBatch: BatchHandler,
  options: ScoringOptions = {},
): Promise<ShopScoring> {
  const entry = workerProgram("scoring-worker");
  if (entry) {
    try {
      return await onWorker(entry, transactions, input, onBatch, options);
    } catch (error) {
      if (error instanceof BatchFailed) throw error.cause;
      console.error("The scoring worker failed; scoring on the main thread instead", error);
    }
  } else {
    console.error("The scoring worker's program was not found (run `npm run build`); scoring on the main thread instead");
  }
  return inline(transactions, input, onBatch, options);
}

/** `onBatch` itself failed (a write): no reason to score again inline. */
class BatchFailed extends Error {}

function onWorker(
  entry: WorkerProgram,
  transactions: TransactionLog,
  input: ShopAnalysisInput,
  onBatch: BatchHandler,
  options: ScoringOptions,
): Promise<ShopScoring> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(entry);
    // Batches the worker may send before this thread has handled them (shared memory: it waits at zero).
    const credits = new Int32Array(new SharedArrayBuffer(4));
    credits[0] = BATCHES_IN_FLIGHT;
    let handled: Promise<void> = Promise.resolve();
    let scored = 0;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on("message", (message: ScoringMessage) => {
      if (message.type === "ready") {
        const request: ScoringRequest = { columns: transactions.columns, input, credits, hold: options.holdAfterFirstBatch };
        worker.postMessage(request);
      } else if (message.type === "customers") {
        handled = handled.then(async () => {
          if (settled) return;
          await onBatch(message.customers);
          scored += message.customers.length;
          options.onProgress?.({ ranOn: "worker", scored });
          Atomics.add(credits, 0, 1);
          Atomics.notify(credits, 0);
        });
        handled.catch((error: unknown) => finish(() => reject(new BatchFailed("A batch of scores was not written", { cause: error }))));
      } else if (message.type === "done") {
        void handled.then(() => finish(() => resolve({ analysis: message.analysis, ranOn: "worker" })));
      } else {
        finish(() => reject(Object.assign(new Error(message.message), { stack: message.stack })));
      }
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => {
      // After "done" the worker is terminated once the last batch is handled; an exit before that is a failure.
      void handled.finally(() => finish(() => reject(new Error(`The scoring worker stopped (exit code ${code})`))));
    });
  });
}

/** The fallback: the same steps on this thread, with a turn of the event loop between them. */
async function inline(
  transactions: TransactionLog,
  input: ShopAnalysisInput,
  onBatch: BatchHandler,
  options: ScoringOptions,
): Promise<ShopScoring> {
  const run = analyseShop(transactions, input);
  let scored = 0;
  let step = run.next();
  for (; !step.done; step = run.next()) {
    if (step.value !== "step") {
      await onBatch(step.value);
      scored += step.value.length;
      options.onProgress?.({ ranOn: "inline", scored });
    }
    await nextTurn();
  }
  return { analysis: step.value, ranOn: "inline" };
}

/** Lets timers and I/O that are due run before the next synchronous step. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
