/**
 * "Ask after delivery" invites: one row per (shop, order), written from the fulfillment webhooks and
 * claimed once for the "Kinship: ask for feedback" Flow trigger (app/jobs/ask-after-delivery.server.ts).
 */
import db from "../db.server";
import { isUniqueViolation } from "./sql/transient-errors.server";

export type AskStatus = "claimed" | "fired" | "noWorkflow" | "failed" | "answered";

/** Upserts the order's invite; a racing first delivery of two webhooks ends as one row. */
async function upsertInvite(
  shop: string,
  orderShopifyId: string,
  update: (row: { fulfilledAt: Date | null; tracked: boolean; deliveredAt: Date | null } | null) => {
    fulfilledAt?: Date | null;
    tracked?: boolean;
    deliveredAt?: Date | null;
  },
): Promise<void> {
  const where = { shop_orderShopifyId: { shop, orderShopifyId } };
  for (let attempt = 0; attempt < 2; attempt++) {
    const row = await db.surveyInvite.findUnique({ where, select: { fulfilledAt: true, tracked: true, deliveredAt: true } });
    const data = update(row);
    if (row) {
      await db.surveyInvite.update({ where, data });
      return;
    }
    try {
      await db.surveyInvite.create({ data: { shop, orderShopifyId, ...data } });
      return;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 0) throw error;
    }
  }
}

/** A fulfillment was created: the earliest fulfilment counts; any tracked fulfillment makes the order tracked. */
export async function recordFulfillment(shop: string, orderShopifyId: string, fulfilledAt: Date, tracked: boolean): Promise<void> {
  await upsertInvite(shop, orderShopifyId, (row) => ({
    fulfilledAt: row?.fulfilledAt && row.fulfilledAt < fulfilledAt ? row.fulfilledAt : fulfilledAt,
    tracked: (row?.tracked ?? false) || tracked,
  }));
}

/** A carrier said "delivered": the first such moment is kept (events may repeat). */
export async function recordDelivery(shop: string, orderShopifyId: string, deliveredAt: Date): Promise<void> {
  await upsertInvite(shop, orderShopifyId, (row) => ({
    tracked: true,
    deliveredAt: row?.deliveredAt && row.deliveredAt < deliveredAt ? row.deliveredAt : deliveredAt,
  }));
}

export interface InviteRow {
  id: string;
  orderShopifyId: string;
  fulfilledAt: Date | null;
  tracked: boolean;
  deliveredAt: Date | null;
  askStatus: string | null;
}

/**
 * Invites not sent yet that may be due: delivered, or untracked and fulfilled before `untrackedFulfilledBefore`
 * (the caller decides on the shop's calendar). Claims older than `staleClaimBefore` were left by a process
 * that died and are released first. Oldest first.
 */
export async function listUnsentInvites(
  shop: string,
  options: { staleClaimBefore: Date; untrackedFulfilledBefore: Date; limit?: number },
): Promise<InviteRow[]> {
  await db.surveyInvite.updateMany({
    where: { shop, askStatus: "claimed", askAt: { lt: options.staleClaimBefore } },
    data: { askStatus: null },
  });
  return db.surveyInvite.findMany({
    where: {
      shop,
      askStatus: null,
      OR: [{ deliveredAt: { not: null } }, { tracked: false, fulfilledAt: { lt: options.untrackedFulfilledBefore } }],
    },
    select: { id: true, orderShopifyId: true, fulfilledAt: true, tracked: true, deliveredAt: true, askStatus: true },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 500,
  });
}

export async function getInvite(shop: string, orderShopifyId: string): Promise<InviteRow | null> {
  return db.surveyInvite.findUnique({
    where: { shop_orderShopifyId: { shop, orderShopifyId } },
    select: { id: true, orderShopifyId: true, fulfilledAt: true, tracked: true, deliveredAt: true, askStatus: true },
  });
}

/** Takes the invite's one trigger for this caller: false when another caller took it first. */
export async function claimInvite(shop: string, id: string, now: Date): Promise<boolean> {
  const { count } = await db.surveyInvite.updateMany({ where: { shop, id, askStatus: null }, data: { askStatus: "claimed", askAt: now } });
  return count === 1;
}

export async function finishInvite(shop: string, id: string, status: Exclude<AskStatus, "claimed">, now: Date, error?: string) {
  await db.surveyInvite.updateMany({
    where: { shop, id, askStatus: "claimed" },
    data: { askStatus: status, askAt: now, askError: error?.slice(0, 1000) ?? null },
  });
}

/** Gives the claim back (Shopify unreachable): the next tick tries again. */
export async function releaseInvite(shop: string, id: string, error: string) {
  await db.surveyInvite.updateMany({
    where: { shop, id, askStatus: "claimed" },
    data: { askStatus: null, askError: error.slice(0, 1000) },
  });
}
