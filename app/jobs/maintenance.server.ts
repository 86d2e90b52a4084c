import { activeSyncRun } from "../models/sync-runs.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { writeBackTags } from "./write-back-tags.server";
import { afterBackfill } from "./after-backfill.server";
import { pollBackfill, retryDueBackfills } from "./backfill.server";
import { recomputeShop } from "./recompute.server";
import { keepKinshipSegmentsInStep } from "./kinship-segments.server";
import { refreshCustomers, REFRESH_KIND } from "./customer-refresh.server";
import { startScheduler, type SchedulerDeps } from "./scheduler.server";
import { retryUnsentAlerts } from "./feedback-alerts.server";
import { askDueInvites } from "./ask-after-delivery.server";
import { env } from "../env.server";

/**
 * Every tick: restart failed backfills whose backoff is over, and finish a running one whose
 * bulk_operations/finish webhook never came (the polling fallback).
 */
export async function syncTick(shop: string, client: AdminClient, now: Date = new Date()) {
  await retryDueBackfills(shop, client);
  // "Ask after delivery": untracked orders whose day has come (shop time), and what Shopify could not take.
  await askDueInvites(shop, { client: async () => client, now, appSecret: env.SHOPIFY_API_SECRET }).catch((error) =>
    console.error("after-delivery survey invites not sent", shop, error),
  );
  // Unhappy-customer alerts Shopify could not take when the answer came (they are about speed: every tick).
  await retryUnsentAlerts(shop, client, new Date()).catch((error) => console.error("unhappy-customer alerts not retried", shop, error));
  // A customer refresh interrupted (crash, Shopify unavailable) goes on from its stored cursor.
  if (await activeSyncRun(shop, REFRESH_KIND)) await refreshQuietly(shop, client, new Date());
  const running = await activeSyncRun(shop);
  if (!running?.bulkOperationId) return null;
  const run = await pollBackfill(shop, client);
  if (run?.status === "completed") await afterBackfill(shop, client);
  return run;
}

/** A refresh that fails stays resumable and never stops the rest of the night's work. */
async function refreshQuietly(shop: string, client: AdminClient, now: Date) {
  try {
    return await refreshCustomers(shop, client, { now });
  } catch (error) {
    console.error("customer refresh interrupted; it resumes on the next tick", shop, error);
    return null;
  }
}

/**
 * Once per shop-local night: read customers changed in Shopify since the last night (birthdays,
 * consent, tags), then refit, re-score everyone and write groups back as tags.
 */
export async function nightlyRecompute(shop: string, client: AdminClient, now: Date) {
  await refreshQuietly(shop, client, now);
  await recomputeShop(shop, now);
  const tags = await writeBackTags(shop, client);
  // The at-risk high value bound follows the shop's CLV percentile, which moves with the scores.
  await keepKinshipSegmentsInStep(shop, client);
  return tags;
}

export const productionSchedulerHooks: Pick<SchedulerDeps, "everyTick" | "beforeIssuance"> = {
  everyTick: (shop, client, now) => syncTick(shop, client, now),
  beforeIssuance: nightlyRecompute,
};

let started: ReturnType<typeof startScheduler> | null = null;

/**
 * Starts this instance's scheduler once (entry.server.tsx calls it at boot). Every instance may run
 * one: the per-shop, per-day lease makes the daily work happen once. KINSHIP_SCHEDULER=off stops it.
 */
export function ensureSchedulerStarted(env: NodeJS.ProcessEnv = process.env) {
  if (started || env.KINSHIP_SCHEDULER === "off" || env.NODE_ENV === "test") return started;
  started = startScheduler({
    ...productionSchedulerHooks,
    intervalMs: Number(env.KINSHIP_SCHEDULER_INTERVAL_MS) || undefined,
    onError: (error) => console.error("Scheduler tick failed", error),
  });
  return started;
}
