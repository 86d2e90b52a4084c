/**
 * Today's decisions for the daily issuance, made on a worker thread (decision-worker.server.ts) so that the
 * seconds `decideDay` takes on a large shop never stall pages and webhooks (issue 23, decision 008). The result
 * is the same plain data `decideDay` returns here; what the caller does with it (record every decision before
 * the first Shopify call, decision 011) does not change. When the worker cannot start or fails, the decisions
 * are made on this thread instead (a `decideDay` error is then thrown here, as before).
 */
import { decideDay, type ScheduleInput, type ScheduleResult } from "../retention/rewards";
import type { DecisionMessage, DecisionRequest } from "./decision-worker.server";
import { startWorker, workerProgram, type WorkerProgram } from "./worker-program.server";

export interface DayDecisions {
  result: ScheduleResult;
  ranOn: "worker" | "inline";
}

export interface DayDecisionOptions {
  /** Test seam: the worker waits on this cell (Atomics) before deciding until it is set non-zero (always on the worker). */
  hold?: Int32Array;
  /** Decide on the worker whatever the shop's size (tests). */
  always?: boolean;
}

/**
 * Below this many customers the decisions are made here: starting a thread (and, from source, compiling its
 * program) costs more than deciding for them (about 0.1 ms of CPU a customer: 21.8 s for 200,000).
 */
export const OFF_THREAD_MIN_CUSTOMERS = 1_000;

export async function decideDayOffThread(input: ScheduleInput, options: DayDecisionOptions = {}): Promise<DayDecisions> {
  const small = input.customers.length < OFF_THREAD_MIN_CUSTOMERS && !options.hold && !options.always;
  const entry = small ? null : workerProgram("decision-worker");
  if (small) return { result: decideDay(input), ranOn: "inline" };
  if (entry) {
    try {
      return { result: await onWorker(entry, { input, hold: options.hold }), ranOn: "worker" };
    } catch (error) {
      if (!(error instanceof DecisionFailed)) console.error("The decision worker failed; deciding on the main thread instead", error);
    }
  } else {
    console.error("The decision worker's program was not found (run `npm run build`); deciding on the main thread instead");
  }
  return { result: decideDay(input), ranOn: "inline" };
}

/** `decideDay` itself threw on the worker: the inline run throws the same error with its own type. */
class DecisionFailed extends Error {}

function onWorker(entry: WorkerProgram, request: DecisionRequest): Promise<ScheduleResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(entry);
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on("message", (message: DecisionMessage) => {
      if (message.type === "ready") worker.postMessage(request);
      else if (message.type === "done") finish(() => resolve(message.result));
      else finish(() => reject(new DecisionFailed(message.message)));
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`The decision worker stopped (exit code ${code})`))));
  });
}
