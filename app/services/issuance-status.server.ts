/**
 * The issuance as the merchant sees and steers it: codes by state (shop-wide and per rule), whether
 * the shop is paused, when the scheduler next issues, and the Pause all / Resume / Cancel queued /
 * Turn off actions. Every page that shows issuance uses these, so they always agree.
 */
import { translate, type Locale } from "../i18n";
import type { ShopFormatter } from "../formatting";
import { RETRY_UNFINISHED_AFTER_MS, issuanceJobKey } from "../jobs/scheduler.server";
import { cancelQueued, issuanceCounts } from "../models/issued-discounts.server";
import { findJobRun } from "../models/job-leases.server";
import { setRuleEnabled } from "../models/rules.server";
import { getShop } from "../models/shop.server";
import { getIssuancePause, setIssuancePaused } from "../models/shop-settings.server";
import { addDays, localDateAt, startOfLocalDay } from "../retention/rewards";
import {
  emptyIssuanceCounts,
  ISSUANCE_STATES,
  nextIssuanceRun,
  unfinishedCodes,
  type IssuanceCounts,
  type IssuanceRunState,
  type IssuanceState,
} from "../retention/rewards/issuance-states";

export interface IssuanceStatusProps {
  paused: boolean;
  /** When Pause all was pressed (formatted), while paused. */
  pausedSince: string | null;
  counts: Array<{ state: IssuanceState; count: number; text: string }>;
  queued: number;
  queuedText: string;
  unfinished: number;
  unfinishedText: string;
  /** Today's run: how it stands. */
  run: IssuanceRunState | "unfinished" | "paused";
  /** Formatted; null while paused. `nextRunDue`: at the scheduler's next tick (within minutes). */
  nextRun: string | null;
  nextRunDue: boolean;
}

export interface IssuanceActionData {
  intent: "pauseAll" | "resumeAll" | "cancelQueued" | "turnOff";
  ok: boolean;
  message: string;
}

export const ISSUANCE_INTENTS = ["pauseAll", "resumeAll", "cancelQueued", "turnOff"] as const;

function countRows(counts: IssuanceCounts, format: ShopFormatter) {
  return ISSUANCE_STATES.map((state) => ({ state, count: counts[state], text: format.number(counts[state]) }));
}

/** The shop's issuance (and, with `ruleId`, that rule's counts) for a page. */
export async function issuanceStatus(
  shop: string,
  format: ShopFormatter,
  options: { ruleId?: string; now?: Date } = {},
): Promise<IssuanceStatusProps> {
  const now = options.now ?? new Date();
  const shopRow = await getShop(shop);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const today = localDateAt(now, timeZone);
  const [pause, all, job] = await Promise.all([getIssuancePause(shop), issuanceCounts(shop), findJobRun(shop, issuanceJobKey(today))]);
  const counts = options.ruleId ? (all.byRule.get(options.ruleId) ?? emptyIssuanceCounts()) : all.shop;
  const jobState = (job?.status ?? "none") as IssuanceStatusProps["run"];
  const next = nextIssuanceRun({
    now,
    paused: pause.paused,
    today: {
      // A paused day resumes at the first tick after Resume; an unfinished one like a failed one.
      state: jobState === "paused" ? "none" : jobState === "unfinished" ? "failed" : jobState,
      finishedAt: job?.finishedAt ?? null,
    },
    tomorrowStartsAt: startOfLocalDay(addDays(today, 1), timeZone),
    retryAfterMs: RETRY_UNFINISHED_AFTER_MS,
  });
  return {
    paused: pause.paused,
    pausedSince: pause.pausedAt ? format.dateTime(pause.pausedAt) : null,
    counts: countRows(counts, format),
    queued: counts.queued,
    queuedText: format.number(counts.queued),
    unfinished: unfinishedCodes(counts),
    unfinishedText: format.number(unfinishedCodes(counts)),
    run: jobState,
    nextRun: next ? format.dateTime(next) : null,
    nextRunDue: next !== null && next.getTime() <= now.getTime(),
  };
}

/** Queued codes per rule: what turning each off would cancel (its confirmation says how many). */
export async function queuedByRule(shop: string): Promise<Map<string, number>> {
  return new Map([...(await issuanceCounts(shop)).byRule].map(([ruleId, counts]) => [ruleId, counts.queued]));
}

/** Turning a rule off cancels its queued codes; codes already being created finish. */
export async function turnRuleOff(shop: string, ruleId: string): Promise<{ found: boolean; cancelled: number }> {
  const found = await setRuleEnabled(shop, ruleId, false);
  return { found, cancelled: found ? await cancelQueued(shop, { ruleId }) : 0 };
}

/** Pause all, Resume, Cancel queued and Turn off, from any page that shows the issuance. Null: not one of these. */
export async function issuanceAction(shop: string, form: FormData, locale: Locale, now = new Date()): Promise<IssuanceActionData | null> {
  const intent = form.get("intent");
  switch (intent) {
    case "pauseAll":
      await setIssuancePaused(shop, true, now);
      return { intent, ok: true, message: translate(locale, "issued.action.paused") };
    case "resumeAll":
      await setIssuancePaused(shop, false, now);
      return { intent, ok: true, message: translate(locale, "issued.action.resumed") };
    case "cancelQueued": {
      const cancelled = await cancelQueued(shop);
      return { intent, ok: true, message: translate(locale, "issued.action.cancelled", { count: cancelled }) };
    }
    case "turnOff": {
      const { found, cancelled } = await turnRuleOff(shop, String(form.get("id") ?? ""));
      if (!found) return { intent, ok: false, message: translate(locale, "issued.action.ruleNotFound") };
      return { intent, ok: true, message: translate(locale, "issued.action.turnedOff", { count: cancelled }) };
    }
    default:
      return null;
  }
}
