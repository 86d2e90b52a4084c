/**
 * What stops rewards from reaching people (issue #15), for the dashboard's health card and the rules
 * page: no Flow workflow uses Kinship's trigger, customers left out by the consent policy, codes
 * withheld or refused by Shopify, how fresh the data and the daily run are, and whether the customer
 * account page "My rewards" is in use (a channel of its own, docs/decisions/026). The survey block's
 * placement is known only in the browser (App Bridge's `shopify.app.extensions()`), so the card asks there.
 */
import { storedConsentExcluded } from "../models/views/dashboard-views.server";
import { flowUsage } from "../models/flow-usage.server";
import { countRefusedSince, countWithheld } from "../models/issued-discounts.server";
import { listJobRuns } from "../models/job-leases.server";
import { listRules } from "../models/rules.server";
import { getShopSettings, kindsNeedingConsent } from "../models/shop-settings.server";
import { getSurfaceUse } from "../models/surface-use.server";
import { latestSyncRun } from "../models/sync-runs.server";
import { ISSUANCE_JOB_PREFIX } from "../jobs/scheduler.server";
import { customerAccountPageInUse, rewardKind, type RuleKind } from "../retention/rewards";

export const REFUSED_WINDOW_DAYS = 7;

export interface ReachHealth {
  flowWorkflow: boolean;
  /** Enabled rules that need a channel other than their own (everything but store credit and survey thanks). */
  rulesNeedingFlow: number;
  withheld: { ruleId: string; reason: string; count: number }[];
  withheldTotal: number;
  /** Customers without marketing consent, left out of every enabled promotional rule (0 when none is). */
  consentExcluded: number;
  consentKinds: RuleKind[];
  refusedLastWeek: number;
  lastSyncAt: Date | null;
  lastSyncStatus: string | null;
  lastDailyRunAt: Date | null;
  lastDailyRunStatus: string | null;
  /** The customer account page "My rewards": when first and last opened, and whether it counts as a channel. */
  customerAccountPage: { firstLoadedAt: Date | null; lastLoadedAt: Date | null; inUse: boolean };
}

export async function reachHealth(shop: string, now = new Date()): Promise<ReachHealth> {
  const [flow, { rules }, settings, withheld, refused, sync, runs, page] = await Promise.all([
    flowUsage(shop),
    listRules(shop),
    getShopSettings(shop),
    countWithheld(shop),
    countRefusedSince(shop, new Date(now.getTime() - REFUSED_WINDOW_DAYS * 86_400_000)),
    latestSyncRun(shop),
    listJobRuns(shop, ISSUANCE_JOB_PREFIX, 1),
    getSurfaceUse(shop, "customerAccountPage"),
  ]);
  const enabled = rules.filter((s) => s.rule.enabled).map((s) => s.rule);
  const consentKinds = kindsNeedingConsent(settings.consent);
  const promotional = enabled.some((r) => consentKinds.includes(r.kind));
  const ownChannel = (r: (typeof enabled)[number]) =>
    rewardKind(r.kind).shownWhereEarned === true || (r as { reward?: { type?: string } }).reward?.type === "storeCredit";
  return {
    flowWorkflow: flow.active,
    rulesNeedingFlow: enabled.filter((r) => !ownChannel(r)).length,
    withheld,
    withheldTotal: withheld.reduce((n, w) => n + w.count, 0),
    // Stored with the dashboard's figures (refreshed soon after consent webhooks): not a pass over the customers per load.
    consentExcluded: promotional ? await storedConsentExcluded(shop) : 0,
    consentKinds,
    refusedLastWeek: refused,
    lastSyncAt: sync?.finishedAt ?? sync?.startedAt ?? null,
    lastSyncStatus: sync?.status ?? null,
    lastDailyRunAt: runs[0]?.finishedAt ?? runs[0]?.startedAt ?? null,
    lastDailyRunStatus: runs[0]?.status ?? null,
    customerAccountPage: {
      firstLoadedAt: page?.firstLoadedAt ?? null,
      lastLoadedAt: page?.lastLoadedAt ?? null,
      inUse: customerAccountPageInUse(page, now),
    },
  };
}
