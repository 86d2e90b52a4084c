/**
 * The scoring worker thread's entry (started by shop-scoring.server.ts): runs a shop's recompute analysis off
 * the event loop that serves pages and webhooks. It is sent the shop's transaction columns and the inputs,
 * and sends back every batch of scored customers as it is ready, then the rest of the analysis. It imports
 * only the analysis and the retention core (no database): bundled on its own for the built server
 * (scripts/build-server-workers.mjs), run from source through tsx in development and tests.
 */
import { parentPort } from "node:worker_threads";
import { analyseShop, TransactionLog, type ShopAnalysisInput, type TransactionColumns } from "./shop-analysis.server";

/**
 * `credits` (shared memory): batches it may send before the main thread has handled them; it waits at zero, so
 * a shop's results are never all in flight. `hold` (a test seam): after the first batch, wait until it is set.
 */
export type ScoringRequest = { columns: TransactionColumns; input: ShopAnalysisInput; credits: Int32Array; hold?: Int32Array };
export type ScoringMessage =
  | { type: "ready" }
  | { type: "customers"; customers: import("../retention/score").CustomerScore[] }
  | { type: "done"; analysis: import("./shop-analysis.server").ShopAnalysis }
  | { type: "failed"; message: string; stack?: string };

const port = parentPort;
if (port) {
  port.once("message", ({ columns, input, credits, hold }: ScoringRequest) => {
    try {
      const run = analyseShop(TransactionLog.fromColumns(columns), input);
      let step = run.next();
      for (let batches = 0; !step.done; step = run.next()) {
        if (step.value === "step") continue;
        for (let left; (left = Atomics.load(credits, 0)) <= 0;) Atomics.wait(credits, 0, left);
        Atomics.sub(credits, 0, 1);
        port.postMessage({ type: "customers", customers: step.value } satisfies ScoringMessage);
        if (hold && ++batches === 1) Atomics.wait(hold, 0, 0);
      }
      port.postMessage({ type: "done", analysis: step.value } satisfies ScoringMessage);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ type: "failed", message: e.message, stack: e.stack } satisfies ScoringMessage);
    }
  });
  port.postMessage({ type: "ready" } satisfies ScoringMessage);
}
