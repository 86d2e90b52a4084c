/**
 * The daily issuance's decision worker (started by day-decisions.server.ts): runs `decideDay`, the pure
 * scheduler of the rewards core, off the event loop that serves pages and webhooks (issue 23: 21.8 s of main
 * thread for 200,000 customers). Plain data in, plain data out; it imports only the rewards core (no database,
 * no Shopify), and the caller records the decisions before any Shopify call as before (decision 011).
 */
import { parentPort } from "node:worker_threads";
import { decideDay, type ScheduleInput, type ScheduleResult } from "../retention/rewards";

/** `hold` (a test seam): wait until it is set non-zero before deciding. */
export type DecisionRequest = { input: ScheduleInput; hold?: Int32Array };
export type DecisionMessage =
  { type: "ready" } | { type: "done"; result: ScheduleResult } | { type: "failed"; message: string; stack?: string };

const port = parentPort;
if (port) {
  port.once("message", ({ input, hold }: DecisionRequest) => {
    try {
      if (hold) Atomics.wait(hold, 0, 0);
      port.postMessage({ type: "done", result: decideDay(input) } satisfies DecisionMessage);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ type: "failed", message: e.message, stack: e.stack } satisfies DecisionMessage);
    }
  });
  port.postMessage({ type: "ready" } satisfies DecisionMessage);
}
