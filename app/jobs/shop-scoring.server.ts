/**
 * Runs a shop's recompute analysis (shop-analysis.server.ts: summaries, backtest, fit and per-customer
 * scoring, ranges) on a worker thread, so the seconds of CPU it takes on a large shop never stall the pages
 * and webhooks this process serves (issue 23). When the worker cannot start or dies, the same analysis runs
 * here instead, giving the event loop a turn between its steps and batches, and the reason is logged.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CustomerScore } from "../retention/score";
import { analyseShop, type ShopAnalysis, type ShopAnalysisInput, type TransactionLog } from "./shop-analysis.server";
import type { ScoringMessage, ScoringRequest } from "./scoring-worker.server";

export interface ScoringOptions {
  /** Called on this thread as each batch of scored customers arrives: where the analysis runs, customers so far. */
  onProgress?: (progress: { ranOn: ShopScoring["ranOn"]; scored: number }) => void;
  /**
   * Test seam: the worker waits on this cell (Atomics) after sending its first batch until it is set non-zero,
   * so a test can prove requests are served while the analysis is still running.
   */
  holdAfterFirstBatch?: Int32Array;
}

export interface ShopScoring {
  analysis: ShopAnalysis;
  customers: CustomerScore[];
  /** Where it ran: "worker", or "inline" after the worker could not start or failed. */
  ranOn: "worker" | "inline";
}

/**
 * The worker's program: in the built server the bundle scripts/build-server-workers.mjs writes beside it
 * (build/server/scoring-worker.mjs); from source (development, tests, bench) the TypeScript entry, loaded
 * through tsx's CommonJS hook (a development dependency: where it is missing, scoring runs inline).
 */
function workerEntry(): { program: URL | string; evaluate: boolean } | null {
  const built = new URL("./scoring-worker.mjs", import.meta.url);
  if (existsSync(fileURLToPath(built))) return { program: built, evaluate: false };
  // Beside this module when running from source; under `remix dev` the server bundle runs from build/ and the
  // source is found from the app's root.
  const source = [
    fileURLToPath(new URL("./scoring-worker.server.ts", import.meta.url)),
    path.resolve("app/jobs/scoring-worker.server.ts"),
  ].find((file) => existsSync(file));
  if (!source) return null;
  let tsx: string;
  try {
    tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
  } catch {
    return null;
  }
  return { program: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`, evaluate: true };
}

export async function scoreShopAnalysis(
  transactions: TransactionLog,
  input: ShopAnalysisInput,
  options: ScoringOptions = {},
): Promise<ShopScoring> {
  const entry = workerEntry();
  if (entry) {
    try {
      return await onWorker(entry, transactions, input, options);
    } catch (error) {
      console.error("The scoring worker failed; scoring on the main thread instead", error);
    }
  } else {
    console.error("The scoring worker's program was not found (run `npm run build`); scoring on the main thread instead");
  }
  return inline(transactions, input, options);
}

function onWorker(
  entry: { program: URL | string; evaluate: boolean },
  transactions: TransactionLog,
  input: ShopAnalysisInput,
  options: ScoringOptions,
): Promise<ShopScoring> {
  return new Promise((resolve, reject) => {
    const customers: CustomerScore[] = [];
    const worker = new Worker(entry.program, { eval: entry.evaluate });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on("message", (message: ScoringMessage) => {
      if (message.type === "ready") {
        const request: ScoringRequest = { columns: transactions.columns, input, hold: options.holdAfterFirstBatch };
        worker.postMessage(request);
      } else if (message.type === "customers") {
        for (const customer of message.customers) customers.push(customer);
        options.onProgress?.({ ranOn: "worker", scored: customers.length });
      } else if (message.type === "done") {
        finish(() => resolve({ analysis: message.analysis, customers, ranOn: "worker" }));
      } else {
        finish(() => reject(Object.assign(new Error(message.message), { stack: message.stack })));
      }
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`The scoring worker stopped (exit code ${code})`))));
  });
}

/** The fallback: the same steps on this thread, with a turn of the event loop between them. */
async function inline(transactions: TransactionLog, input: ShopAnalysisInput, options: ScoringOptions): Promise<ShopScoring> {
  const customers: CustomerScore[] = [];
  const run = analyseShop(transactions, input);
  let step = run.next();
  for (; !step.done; step = run.next()) {
    if (step.value !== "step") {
      for (const customer of step.value) customers.push(customer);
      options.onProgress?.({ ranOn: "inline", scored: customers.length });
    }
    await nextTurn();
  }
  return { analysis: step.value, customers, ranOn: "inline" };
}

/** Lets timers and I/O that are due run before the next synchronous step. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
