/**
 * "Kinship: ask for feedback": once per fulfilled order, when it is due (delivered, or without tracking
 * N shop-local days after fulfilment), Flow gets a signed link to Kinship's survey page on the storefront.
 * Delivered orders are asked from the webhook that said so; the scheduler's tick asks the untracked ones
 * whose day has come and retries what Shopify could not take.
 *
 * Exactly once, by the rules of the other triggers (decision 011, app/jobs/feedback-alerts.server.ts): the
 * invite is claimed in our database before Flow is called, nothing is sent while Flow's lifecycle callback
 * says no enabled workflow uses Kinship's triggers, a refusal fails the invite, a network or server error
 * gives the claim back, and a claim left by a dead process is released after STALE_CLAIM_MS. An order that
 * was already answered (at checkout) is not asked again.
 */
import { hasFeedback } from "../models/feedback.server";
import { flowUsage } from "../models/flow-usage.server";
import { getShopSettings } from "../models/shop-settings.server";
import { getShop } from "../models/shop.server";
import { claimInvite, finishInvite, getInvite, listUnsentInvites, releaseInvite, type InviteRow } from "../models/survey-invites.server";
import { buildAskPayload, isAskDue, SURVEY_LINK_TTL_DAYS } from "../retention/feedback/ask-after-delivery";
import { localDateAt } from "../retention/time";
import type { AdminClient } from "../shopify/admin-client.server";
import { fireAskTrigger } from "../shopify/flow.server";
import { signSurveyLink } from "../services/survey-link.server";
import { STALE_CLAIM_MS } from "./feedback-alerts.server";
import { errorMessage, isRefusal } from "./reward-issue.server";

export type AskOutcome = "fired" | "notDue" | "answered" | "alreadySent" | "noWorkflow" | "failed" | "retryLater" | "missing";

export interface AskDeps {
  client: () => Promise<AdminClient>;
  now: Date;
  /** The app's client secret: the survey link's signing key is derived from it. */
  appSecret: string;
}

/** Asks for one order if it is due and not asked yet. */
export async function askForFeedback(shop: string, orderShopifyId: string, deps: AskDeps): Promise<AskOutcome> {
  const [invite, shopRow, settings] = await Promise.all([getInvite(shop, orderShopifyId), getShop(shop), getShopSettings(shop)]);
  if (!invite || !shopRow) return "missing";
  return ask(shop, invite, deps, { timeZone: shopRow.ianaTimezone, askAfterDays: settings.feedback.askAfterDays });
}

async function ask(
  shop: string,
  invite: InviteRow,
  deps: AskDeps,
  context: { timeZone: string; askAfterDays: number },
): Promise<AskOutcome> {
  if (invite.askStatus !== null) return "alreadySent";
  const timing = {
    deliveredAt: invite.deliveredAt,
    tracked: invite.tracked,
    fulfilledOn: invite.fulfilledAt ? localDateAt(invite.fulfilledAt, context.timeZone) : null,
  };
  if (!isAskDue(timing, localDateAt(deps.now, context.timeZone), context.askAfterDays)) return "notDue";
  if (!(await claimInvite(shop, invite.id, deps.now))) return "alreadySent";
  if (await hasFeedback(shop, invite.orderShopifyId)) {
    await finishInvite(shop, invite.id, "answered", deps.now);
    return "answered";
  }
  if (!(await flowUsage(shop)).active) {
    await finishInvite(shop, invite.id, "noWorkflow", deps.now);
    return "noWorkflow";
  }
  const expiresAt = new Date(deps.now.getTime() + SURVEY_LINK_TTL_DAYS * 86_400_000);
  const link = signSurveyLink(deps.appSecret, shop, invite.orderShopifyId, expiresAt);
  try {
    await fireAskTrigger(await deps.client(), buildAskPayload(invite.orderShopifyId, link, expiresAt));
  } catch (error) {
    if (isRefusal(error)) {
      await finishInvite(shop, invite.id, "failed", deps.now, errorMessage(error));
      return "failed";
    }
    await releaseInvite(shop, invite.id, errorMessage(error));
    return "retryLater";
  }
  await finishInvite(shop, invite.id, "fired", deps.now);
  return "fired";
}

/** The tick's pass: every unsent invite whose day has come (shop-local), until Shopify stops answering. */
export async function askDueInvites(shop: string, deps: AskDeps): Promise<Record<AskOutcome, number>> {
  const counts: Record<AskOutcome, number> = {
    fired: 0,
    notDue: 0,
    answered: 0,
    alreadySent: 0,
    noWorkflow: 0,
    failed: 0,
    retryLater: 0,
    missing: 0,
  };
  const [shopRow, settings] = await Promise.all([getShop(shop), getShopSettings(shop)]);
  if (!shopRow) return counts;
  const context = { timeZone: shopRow.ianaTimezone, askAfterDays: settings.feedback.askAfterDays };
  const invites = await listUnsentInvites(shop, {
    staleClaimBefore: new Date(deps.now.getTime() - STALE_CLAIM_MS),
    // A day's margin either side of the shop's time zone; isAskDue decides on the shop's calendar.
    untrackedFulfilledBefore: new Date(deps.now.getTime() - (context.askAfterDays - 1) * 86_400_000),
  });
  for (const invite of invites) {
    const outcome = await ask(shop, invite, deps, context);
    counts[outcome]++;
    if (outcome === "retryLater") break;
  }
  return counts;
}
