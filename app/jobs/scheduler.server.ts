/**
 * The daily rewards run, per shop, in the shop's time zone. Every app instance may run the scheduler:
 * the `issuance:<shop-local date>` JobRun row is a lease only one of them gets (see
 * models/job-leases.server.ts), so a shop's day runs once. A run also reads redemptions back from
 * synced orders and deactivates expired codes nobody used.
 *
 * A day's run is complete only when no code is left queued or being created; otherwise (Shopify
 * unreachable, an error, a crash, Pause all) a later tick takes the same day up again, and the run
 * starts by finishing the rows left behind. While the shop is paused, nothing is issued at all.
 */
import { getShop, installedShops } from "../models/shop.server";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { localDateAt, localHourAt, sweepExpiredCodes, type ExpirySweep } from "../retention/rewards";
import { getShopSettings } from "../models/shop-settings.server";
import { ShopifyUserErrors, type AdminClient } from "../shopify/admin-client.server";
import { deactivateDiscount } from "../shopify/discounts.server";
import { countPending, markDeactivated, sweepCandidates } from "../models/issued-discounts.server";
import { acquireLease, completeLease, dailyRunResult, failLease, leaveLease, renewLease } from "../models/job-leases.server";
import { getIssuancePause } from "../models/shop-settings.server";
import { recordRedemptions } from "../models/reward-results.server";
import { issuanceJobKey, runIssuance, type IssuanceDeps, type IssuanceSummary } from "./issuance.server";

export { ISSUANCE_JOB_PREFIX, issuanceJobKey } from "./issuance.server";
/** The day's birthday moments, when the daily run came before the shop's send hour. */
export const BIRTHDAY_JOB_PREFIX = "birthdays:";
const DEFAULT_LEASE_TTL_MS = 10 * 60_000;
/** How often `startScheduler` ticks. */
export const SCHEDULER_INTERVAL_MS = 15 * 60_000;
/** A failed or unfinished day is taken up again this long after it stopped: by the next tick. */
export const RETRY_UNFINISHED_AFTER_MS = 10 * 60_000;

/** Thrown between two rows when the merchant paused the shop's issuance during a run. */
export class IssuancePausedError extends Error {
  constructor(shop: string) {
    super(`Issuance for ${shop} was paused`);
    this.name = "IssuancePausedError";
  }
}

export interface SchedulerDeps {
  /** Admin client for a shop; default: from the shop's offline session (admin-for-shop.server.ts). */
  clientFor?: (shop: string) => Promise<AdminClient>;
  /** Identifies this instance in JobRun.owner. */
  owner?: string;
  now?: () => Date;
  leaseTtlMs?: number;
  /** Default RETRY_UNFINISHED_AFTER_MS. */
  retryFailedAfterMs?: number;
  log?: IssuanceDeps["log"];
  randomBytes?: IssuanceDeps["randomBytes"];
  /** Runs on every tick for every shop, outside the daily lease (sync polling and retries). */
  everyTick?: (shop: string, client: AdminClient, now: Date) => Promise<unknown>;
  /** Runs once per shop-local day inside the lease, before issuance (the nightly recompute). */
  beforeIssuance?: (shop: string, client: AdminClient, now: Date) => Promise<unknown>;
}

export interface SweepResult {
  counts: ExpirySweep["counts"];
  deactivated: number;
  failed: number;
}

export type ShopRunOutcome =
  | {
      shop: string;
      jobKey: string;
      status: "ran";
      issuance: IssuanceSummary;
      redemptions: number;
      sweep: SweepResult;
      unfinished: number;
      birthdays?: IssuanceSummary;
    }
  | { shop: string; jobKey: string; status: "ranBirthdays"; birthdays: IssuanceSummary }
  | { shop: string; jobKey: string; status: "skipped"; reason: "completed" | "held" | "failedRecently"; owner: string | null }
  | { shop: string; jobKey: string; status: "paused" }
  | { shop: string; jobKey: string; status: "failed"; error: string };

// Imported lazily: the Shopify app config validates the environment at import, which tests and
// scripts that inject their own client don't need.
const offlineClient = async (shop: string) => (await import("./admin-for-shop.server")).adminClientForShop(shop);

export function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Deactivates codes whose end has passed and that nobody used; returns the core's counts plus what was done. */
export async function sweepExpiredRewards(shop: string, client: AdminClient, now: Date): Promise<SweepResult> {
  const candidates = await sweepCandidates(shop, now);
  const discountIds = new Map(candidates.map((c) => [c.id, c.shopifyDiscountId]));
  const { toDeactivate, counts } = sweepExpiredCodes(candidates, now);
  let deactivated = 0;
  let failed = 0;
  // An audience group's codes share one discount (docs/decisions/021), all ending together: deactivated once.
  const done = new Set<string>();
  for (const code of toDeactivate) {
    try {
      const discountId = discountIds.get(code.id)!;
      if (!done.has(discountId)) await deactivateDiscount(client, discountId);
      done.add(discountId);
      await markDeactivated(shop, code.id);
      deactivated++;
    } catch (error) {
      // The merchant deleted the discount: nothing left to deactivate.
      if (error instanceof ShopifyUserErrors && error.userErrors.some((e) => /not exist|not found/i.test(e.message))) {
        await markDeactivated(shop, code.id);
        deactivated++;
        continue;
      }
      failed++;
      if (!(error instanceof ShopifyUserErrors)) break;
    }
  }
  return { counts, deactivated, failed };
}

/** One shop's run for the shop-local day containing `now`, if this instance wins the lease. */
export async function runShopDay(shop: string, deps: SchedulerDeps): Promise<ShopRunOutcome> {
  const now = deps.now?.() ?? new Date();
  const owner = deps.owner ?? defaultOwner();
  const ttlMs = deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const shopRow = await getShop(shop);
  if (!shopRow) throw new Error(`Unknown shop ${shop}`);
  const today = localDateAt(now, shopRow.ianaTimezone);
  const jobKey = issuanceJobKey(today);
  if (deps.everyTick) await deps.everyTick(shop, await (deps.clientFor ?? offlineClient)(shop), now);

  if ((await getIssuancePause(shop)).paused) return { shop, jobKey, status: "paused" };

  // Birthday codes and reminders go out from the shop's send hour (shop time); the rest of the day's
  // run does not wait for it. A run before that hour leaves them to the `birthdays:` run of the day.
  const sendHour = (await getShopSettings(shop)).birthdays.sendHour;
  const birthdayMomentsDue = localHourAt(now, shopRow.ianaTimezone) >= sendHour;

  const retryFailedAfterMs = deps.retryFailedAfterMs ?? RETRY_UNFINISHED_AFTER_MS;
  const lease = await acquireLease(shop, jobKey, { owner, ttlMs, now, retryFailedAfterMs });
  if (!lease.acquired) {
    if (lease.reason === "completed" && birthdayMomentsDue) {
      const birthdays = await runBirthdayMoments(shop, today, deps, owner, ttlMs, now);
      if (birthdays) return birthdays;
    }
    return { shop, jobKey, status: "skipped", reason: lease.reason, owner: lease.owner };
  }

  let lastRenewal = now.getTime();
  const clock = () => deps.now?.() ?? new Date();
  const stopIfPaused = async () => {
    if ((await getIssuancePause(shop)).paused) throw new IssuancePausedError(shop);
  };
  // After every row: Pause all takes effect before the next code, and the lease stays ours.
  const heartbeat = async () => {
    await stopIfPaused();
    const at = clock();
    if (at.getTime() - lastRenewal < ttlMs / 3) return;
    await renewLease(shop, jobKey, { owner, ttlMs, now: at });
    lastRenewal = at.getTime();
  };
  try {
    const client = await (deps.clientFor ?? offlineClient)(shop);
    await deps.beforeIssuance?.(shop, client, now);
    const redemptions = await recordRedemptions(shop);
    await stopIfPaused();
    const issuance = await runIssuance(shop, today, {
      client,
      now: clock,
      heartbeat,
      log: deps.log,
      randomBytes: deps.randomBytes,
      birthdayMomentsDue,
    });
    const sweep = await sweepExpiredRewards(shop, client, clock());
    const unfinished = await countPending(shop, clock());
    const result = { issuance, redemptions, sweep, unfinished, birthdayMomentsDue };
    // Rows left (Shopify unreachable for some): not complete; the next tick resumes them.
    if (unfinished > 0) await leaveLease(shop, jobKey, owner, "unfinished", result, clock());
    else await completeLease(shop, jobKey, owner, result, clock());
    return { shop, jobKey, status: "ran", issuance, redemptions, sweep, unfinished };
  } catch (error) {
    if (error instanceof IssuancePausedError) {
      await leaveLease(shop, jobKey, owner, "paused", {}, clock());
      return { shop, jobKey, status: "paused" };
    }
    await failLease(shop, jobKey, owner, error, clock());
    return { shop, jobKey, status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The day's birthday moments, once the send hour has come, when the daily run came before it (its
 * JobRun result says so). Its own lease, so they run once per shop-local day across instances.
 */
async function runBirthdayMoments(
  shop: string,
  today: string,
  deps: SchedulerDeps,
  owner: string,
  ttlMs: number,
  now: Date,
): Promise<ShopRunOutcome | null> {
  const daily = await dailyRunResult(shop, issuanceJobKey(today));
  if (!daily || daily.birthdayMomentsDue !== false) return null;
  const jobKey = `${BIRTHDAY_JOB_PREFIX}${today}`;
  const lease = await acquireLease(shop, jobKey, { owner, ttlMs, now });
  if (!lease.acquired) return { shop, jobKey, status: "skipped", reason: lease.reason, owner: lease.owner };
  const clock = () => deps.now?.() ?? new Date();
  try {
    const client = await (deps.clientFor ?? offlineClient)(shop);
    const birthdays = await runIssuance(shop, today, {
      client,
      now: clock,
      log: deps.log,
      randomBytes: deps.randomBytes,
      birthdayMomentsDue: true,
      onlyKinds: ["birthday"],
      heartbeat: () => renewLease(shop, jobKey, { owner, ttlMs, now: clock() }),
    });
    await completeLease(shop, jobKey, owner, { birthdays }, clock());
    return { shop, jobKey, status: "ranBirthdays", birthdays };
  } catch (error) {
    await failLease(shop, jobKey, owner, error, clock());
    return { shop, jobKey, status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

/** Every installed shop, one after another. */
export async function runScheduler(deps: SchedulerDeps): Promise<ShopRunOutcome[]> {
  const owner = deps.owner ?? defaultOwner();
  const shops = await installedShops();
  const outcomes: ShopRunOutcome[] = [];
  for (const { shop } of shops) outcomes.push(await runShopDay(shop, { ...deps, owner }));
  return outcomes;
}

/**
 * Runs the scheduler every `intervalMs` (a shop's day starts at its local midnight, so hourly ticks
 * find it within the hour). Ticks never overlap within one instance.
 */
export function startScheduler(deps: SchedulerDeps & { intervalMs?: number; onError?: (error: unknown) => void } = {}) {
  const owner = deps.owner ?? defaultOwner();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduler({ ...deps, owner });
    } catch (error) {
      deps.onError?.(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, deps.intervalMs ?? SCHEDULER_INTERVAL_MS);
  timer.unref?.();
  void tick();
  return { owner, stop: () => clearInterval(timer), tick };
}
