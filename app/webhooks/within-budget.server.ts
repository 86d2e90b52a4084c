import { isTransientDatabaseError } from "../models/transient-errors.server";

/**
 * How long a delivery may spend retrying a transient database error. Shopify allows one second to
 * connect and five for the whole request, and treats anything but a 2xx (or no answer) as a failure it
 * retries later (shopify.dev, "Deliver webhooks through HTTPS"): retries stop with a second to spare, so
 * even the error answer arrives in time.
 */
export const WEBHOOK_RETRY_BUDGET_MS = 4_000;

export interface RetryClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: RetryClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Runs `work`; while it fails with a transient lock or conflict (another writer held the database), waits
 * and runs it again — 25 ms, then doubling up to 400 ms — as long as the next try starts before `deadline`.
 * The wait is a timer, so the process keeps serving pages meanwhile. Any other error, or the last
 * transient one, is thrown. `work` must be safe to run again after it failed (a rolled-back transaction).
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
