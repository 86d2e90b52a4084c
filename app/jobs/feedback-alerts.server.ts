/**
 * "Kinship: unhappy customer": one Flow alert per low answer, fired from the request that stored the
 * answer (so the merchant's workflow runs within seconds) and retried by the scheduler's tick when
 * Shopify was unreachable.
 *
 * Exactly once, by the same rules as the reward trigger (decision 011): the item is claimed in our own
 * database before Flow is called (a unique state change only one caller wins: a double submit, a retry
 * and the tick never fire twice), and the lifecycle callback decides whether anyone listens: without an
 * enabled workflow using Kinship's triggers nothing is sent and the item says so (`noWorkflow`). A
 * refusal (Flow's userErrors, a payload that doesn't match the trigger) fails the item; a network or
 * server error gives the claim back for the next tick. A claim left by a process that died is released
 * after STALE_CLAIM_MS (as with a ledger row left between steps, a crash after Flow's answer and before
 * our write can send the alert twice; nothing can send it never).
 */
import { claimAlert, finishAlert, getAlertInput, listUnsentAlerts, releaseAlert } from "../models/feedback.server";
import { flowUsage } from "../models/flow-usage.server";
import { getShopSettings } from "../models/shop-settings.server";
import { getShop } from "../models/shop.server";
import { buildUnhappyAlert } from "../retention/feedback/unhappy-alert";
import type { AdminClient } from "../shopify/admin-client.server";
import { fireUnhappyTrigger } from "../shopify/flow.server";
import { errorMessage, isRefusal } from "./reward-issue.server";

export type AlertOutcome = "fired" | "notLow" | "alreadySent" | "noWorkflow" | "failed" | "retryLater" | "missing";

/** How long a claim may stay unfinished before the tick assumes its process died. */
export const STALE_CLAIM_MS = 15 * 60_000;
/** Older answers are not alerted any more: the alert is about speed, the queue keeps the rest. */
export const ALERT_RETRY_WINDOW_MS = 24 * 3_600_000;

export interface AlertDeps {
  client: () => Promise<AdminClient>;
  now: Date;
  /** Told when Flow accepted the alert (measurements). */
  onFired?: (feedbackId: string) => void;
}

export async function alertUnhappyCustomer(shop: string, feedbackId: string, deps: AlertDeps): Promise<AlertOutcome> {
  const [item, settings, shopRow] = await Promise.all([getAlertInput(shop, feedbackId), getShopSettings(shop), getShop(shop)]);
  if (!item || !shopRow) return "missing";
  if (item.alertStatus !== null) return "alreadySent";
  const payload = buildUnhappyAlert(shop, item, {
    threshold: settings.feedback.lowScoreThreshold,
    predictedClv: item.predictedClv,
    currencyCode: shopRow.currencyCode,
  });
  if (!payload) return "notLow";
  if (!(await claimAlert(shop, feedbackId, deps.now))) return "alreadySent";
  // Flow's lifecycle callback: no enabled workflow uses Kinship's triggers, so an alert would reach no one.
  if (!(await flowUsage(shop)).active) {
    await finishAlert(shop, feedbackId, "noWorkflow", deps.now);
    return "noWorkflow";
  }
  try {
    await fireUnhappyTrigger(await deps.client(), payload);
  } catch (error) {
    if (isRefusal(error)) {
      await finishAlert(shop, feedbackId, "failed", deps.now, errorMessage(error));
      return "failed";
    }
    await releaseAlert(shop, feedbackId, errorMessage(error));
    return "retryLater";
  }
  await finishAlert(shop, feedbackId, "fired", deps.now);
  deps.onFired?.(feedbackId);
  return "fired";
}

/** The tick's pass: low answers of the last day whose alert is still unsent. */
export async function retryUnsentAlerts(shop: string, client: AdminClient, now: Date): Promise<Record<AlertOutcome, number>> {
  const counts: Record<AlertOutcome, number> = { fired: 0, notLow: 0, alreadySent: 0, noWorkflow: 0, failed: 0, retryLater: 0, missing: 0 };
  const { feedback } = await getShopSettings(shop);
  const ids = await listUnsentAlerts(shop, {
    threshold: feedback.lowScoreThreshold,
    since: new Date(now.getTime() - ALERT_RETRY_WINDOW_MS),
    staleClaimBefore: new Date(now.getTime() - STALE_CLAIM_MS),
  });
  for (const id of ids) {
    const outcome = await alertUnhappyCustomer(shop, id, { client: async () => client, now });
    counts[outcome]++;
    // Shopify still down: the rest waits for the next tick.
    if (outcome === "retryLater") break;
  }
  return counts;
}
