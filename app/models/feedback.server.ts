/**
 * Feedback rows: what the checkout survey stores, and what the Feedback pages read. One row per
 * (shop, order); a second answer for the same order rewrites the first. Reasons are stored as a
 * comma-separated list of reason codes; comments and notes are plain text, stored verbatim.
 */
import db from "../db.server";
import { REASON_CODES, type ReasonCode } from "../retention/feedback/reasons";
import { placeholder, sqlTimestamp, type RawSql } from "./sql/sql.server";
import { isUniqueViolation } from "./sql/transient-errors.server";
import { orderDatesAfter } from "./orders.server";

export const MAX_NOTE_LENGTH = 5000;
/** The follow-up queue reads at most this many open items (oldest first) before sorting them. */
export const MAX_QUEUE_ITEMS = 2000;

export function encodeReasons(reasons: readonly string[]): string {
  return REASON_CODES.filter((code) => reasons.includes(code)).join(",");
}

/** Unknown codes (a row written by another version) are dropped, not shown. */
export function decodeReasons(stored: string): ReasonCode[] {
  const parts = stored.split(",");
  return REASON_CODES.filter((code) => parts.includes(code));
}

export type OrderLocation =
  | { kind: "here"; customerShopifyId: string | null }
  /** Known to the database, but under another shop: a token for one shop naming another's order. */
  | { kind: "elsewhere" }
  /** Not synced (yet): the answer is stored on the token's word. */
  | { kind: "unknown" };

export async function locateOrder(shop: string, orderShopifyId: string): Promise<OrderLocation> {
  const here = await db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { customerShopifyId: true },
  });
  if (here) return { kind: "here", customerShopifyId: here.customerShopifyId };
  const elsewhere = await db.order.findFirst({ where: { shopifyId: orderShopifyId, NOT: { shop } }, select: { id: true } });
  return elsewhere ? { kind: "elsewhere" } : { kind: "unknown" };
}

/** The order's name as the shop shows it (#1001), when Kinship has the order. */
export async function orderName(shop: string, orderShopifyId: string): Promise<string | null> {
  const row = await db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } }, select: { name: true } });
  return row?.name ?? null;
}

export interface FeedbackSubmission {
  orderShopifyId: string;
  /** Null for guests; an existing row keeps the customer it already has. */
  customerShopifyId: string | null;
  score: number;
  reasons: readonly ReasonCode[];
  comment: string | null;
  locale: string;
  /** Which surface asked (default checkout). */
  source?: FeedbackSource;
}

/** The two surfaces that ask: the checkout survey, and the after-delivery page on the storefront (app proxy). */
export type FeedbackSource = "checkout" | "afterDelivery";

export interface SavedFeedback {
  id: string;
  customerShopifyId: string | null;
  /** False when an earlier answer for the same order was rewritten. */
  created: boolean;
}

/**
 * Creates the order's row or rewrites its answer (a second answer from the same surface; an answer from the
 * other surface leaves the first one as it is). The merchant's side (status, note, resolution,
 * compensation) and the time it first arrived are kept, so the queue's clock doesn't restart.
 */
export async function saveFeedback(shop: string, submission: FeedbackSubmission): Promise<SavedFeedback> {
  return (await writeFeedback(shop, submission, "rewrite"))!;
}

/**
 * The after-delivery page's write: the order's first answer only (one answer per order whichever surface
 * it came from). Null when the order already has an answer, also when another request won a race.
 */
export async function saveFirstFeedback(shop: string, submission: FeedbackSubmission): Promise<SavedFeedback | null> {
  return writeFeedback(shop, submission, "firstOnly");
}

/** Whether the order has an answer from any surface. */
export async function hasFeedback(shop: string, orderShopifyId: string): Promise<boolean> {
  return (await db.feedback.count({ where: { shop, orderShopifyId } })) > 0;
}

async function writeFeedback(shop: string, submission: FeedbackSubmission, mode: "rewrite" | "firstOnly"): Promise<SavedFeedback | null> {
  const answer = {
    score: submission.score,
    reasons: encodeReasons(submission.reasons),
    comment: submission.comment,
    locale: submission.locale,
  };
  const where = { shop_orderShopifyId: { shop, orderShopifyId: submission.orderShopifyId } };
  const update = async (): Promise<SavedFeedback> => {
    const row = await db.feedback.update({
      where,
      data: { ...answer, ...(submission.customerShopifyId ? { customerShopifyId: submission.customerShopifyId } : {}) },
      select: { id: true, customerShopifyId: true },
    });
    return { ...row, created: false };
  };
  const existing = await db.feedback.findUnique({ where, select: { id: true, customerShopifyId: true, source: true } });
  if (existing) {
    if (mode === "firstOnly") return null;
    // Answered on the other surface already: that answer stands (stored once), this one changes nothing.
    if (existing.source !== (submission.source ?? "checkout"))
      return { id: existing.id, customerShopifyId: existing.customerShopifyId, created: false };
    return update();
  }
  try {
    const row = await db.feedback.create({
      data: {
        shop,
        orderShopifyId: submission.orderShopifyId,
        customerShopifyId: submission.customerShopifyId,
        source: submission.source ?? "checkout",
        ...answer,
      },
      select: { id: true, customerShopifyId: true },
    });
    return { ...row, created: true };
  } catch (error) {
    // Two submissions for one order raced; the loser rewrites the winner's row (or, first-only, stores nothing).
    if (isUniqueViolation(error)) return mode === "rewrite" ? update() : null;
    throw error;
  }
}

// ——— Reading, for the Feedback pages ———

export interface FeedbackStatRow {
  id: string;
  score: number;
  reasons: ReasonCode[];
  createdAt: Date;
}

/** Answers received in [since, until]. */
export async function listFeedbackBetween(shop: string, since: Date, until: Date): Promise<FeedbackStatRow[]> {
  const rows = await db.feedback.findMany({
    where: { shop, createdAt: { gte: since, lte: until } },
    select: { id: true, score: true, reasons: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ ...r, reasons: decodeReasons(r.reasons) }));
}

export interface FollowUpRow {
  id: string;
  orderShopifyId: string;
  customerShopifyId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  score: number;
  reasons: ReasonCode[];
  comment: string | null;
  status: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  predictedClv: number | null;
}

export function displayName(customer: { firstName: string | null; lastName: string | null } | null): string | null {
  if (!customer) return null;
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ").trim();
  return name || null;
}

/** Low scores (≤ threshold): open ones, or all of them; the oldest MAX_QUEUE_ITEMS. */
export async function listFollowUpItems(
  shop: string,
  options: { threshold: number; includeResolved?: boolean },
): Promise<{ items: FollowUpRow[]; total: number }> {
  const where = { shop, score: { lte: options.threshold }, ...(options.includeResolved ? {} : { status: "open" }) };
  const [rows, total] = await Promise.all([
    db.feedback.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: MAX_QUEUE_ITEMS }),
    db.feedback.count({ where }),
  ]);
  const customerIds = [...new Set(rows.map((r) => r.customerShopifyId).filter((id): id is string => id !== null))];
  const customers = new Map<
    string,
    { firstName: string | null; lastName: string | null; email: string | null; predictedClv: number | null }
  >();
  for (let i = 0; i < customerIds.length; i += 500) {
    const found = await db.customer.findMany({
      where: { shop, shopifyId: { in: customerIds.slice(i, i + 500) } },
      select: { shopifyId: true, firstName: true, lastName: true, email: true, predictedClv: true },
    });
    for (const c of found) customers.set(c.shopifyId, c);
  }
  const items = rows.map((r) => {
    const customer = r.customerShopifyId ? (customers.get(r.customerShopifyId) ?? null) : null;
    return {
      id: r.id,
      orderShopifyId: r.orderShopifyId,
      customerShopifyId: r.customerShopifyId,
      customerName: displayName(customer),
      customerEmail: customer?.email ?? null,
      score: r.score,
      reasons: decodeReasons(r.reasons),
      comment: r.comment,
      status: r.status,
      createdAt: r.createdAt,
      firstResponseAt: r.firstResponseAt,
      resolvedAt: r.resolvedAt,
      predictedClv: customer?.predictedClv ?? null,
    };
  });
  return { items, total };
}

/** Low scores received in [since, until], for time-to-first-response. */
export async function listResponseTimes(shop: string, threshold: number, since: Date, until: Date) {
  return db.feedback.findMany({
    where: { shop, score: { lte: threshold }, createdAt: { gte: since, lte: until } },
    select: { createdAt: true, firstResponseAt: true },
  });
}

/**
 * Items resolved in [since, until] with the dates of their customer's later orders (test and
 * cancelled orders don't count as coming back). Guests can't be followed and are left out.
 */
export async function listRecoveryInputs(shop: string, since: Date, until: Date) {
  const resolved = await db.feedback.findMany({
    where: { shop, resolvedAt: { gte: since, lte: until }, customerShopifyId: { not: null } },
    select: { customerShopifyId: true, resolvedAt: true },
  });
  if (resolved.length === 0) return [];
  const earliest = new Date(Math.min(...resolved.map((r) => r.resolvedAt!.getTime())));
  const customerIds = [...new Set(resolved.map((r) => r.customerShopifyId!))];
  const ordersByCustomer = await orderDatesAfter(shop, customerIds, earliest);
  return resolved.map((r) => ({ resolvedAt: r.resolvedAt, orderDates: ordersByCustomer.get(r.customerShopifyId!) ?? [] }));
}

export async function getFeedback(shop: string, id: string) {
  return db.feedback.findFirst({ where: { shop, id } });
}

/** One item with everything the detail page shows: the customer, their orders and the compensation. */
export async function getFeedbackDetail(shop: string, id: string, orderLimit = 50) {
  const feedback = await getFeedback(shop, id);
  if (!feedback) return null;
  const customerId = feedback.customerShopifyId;
  const [customer, orders, orderCount, order, compensation] = await Promise.all([
    customerId ? db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerId } } }) : null,
    customerId
      ? db.order.findMany({ where: { shop, customerShopifyId: customerId }, orderBy: { processedAt: "desc" }, take: orderLimit })
      : [],
    customerId ? db.order.count({ where: { shop, customerShopifyId: customerId } }) : 0,
    db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: feedback.orderShopifyId } } }),
    feedback.compensationId ? db.issuedDiscount.findFirst({ where: { shop, id: feedback.compensationId } }) : null,
  ]);
  return { feedback: { ...feedback, reasons: decodeReasons(feedback.reasons) }, customer, orders, orderCount, order, compensation };
}

export type FeedbackDetail = NonNullable<Awaited<ReturnType<typeof getFeedbackDetail>>>;

// ——— The merchant's side ———

/** The first note, compensation or resolution is the first response; later ones don't move it. */
async function markFirstResponse(shop: string, id: string, now: Date): Promise<void> {
  await db.feedback.updateMany({ where: { shop, id, firstResponseAt: null }, data: { firstResponseAt: now } });
}

/** Returns false when the item isn't in this shop. */
export async function saveNote(shop: string, id: string, note: string, now: Date): Promise<boolean> {
  const { count } = await db.feedback.updateMany({ where: { shop, id }, data: { note } });
  if (count === 0) return false;
  if (note.trim() !== "") await markFirstResponse(shop, id, now);
  return true;
}

export async function resolveFeedback(shop: string, id: string, now: Date): Promise<boolean> {
  // Resolving twice keeps the first resolution time (recovery is measured from it).
  const { count } = await db.feedback.updateMany({
    where: { shop, id, status: { not: "resolved" } },
    data: { status: "resolved", resolvedAt: now },
  });
  if (count === 0) return (await getFeedback(shop, id)) !== null;
  await markFirstResponse(shop, id, now);
  return true;
}

export async function reopenFeedback(shop: string, id: string): Promise<boolean> {
  const { count } = await db.feedback.updateMany({ where: { shop, id }, data: { status: "open", resolvedAt: null } });
  return count > 0;
}

export async function linkCompensation(shop: string, id: string, issuedDiscountId: string, now: Date): Promise<boolean> {
  const { count } = await db.feedback.updateMany({ where: { shop, id }, data: { compensationId: issuedDiscountId } });
  if (count === 0) return false;
  await markFirstResponse(shop, id, now);
  return true;
}

// ——— The "Kinship: unhappy customer" alert (app/jobs/feedback-alerts.server.ts) ———

export type AlertStatus = "claimed" | "fired" | "noWorkflow" | "failed";

export interface AlertInput {
  id: string;
  orderShopifyId: string;
  score: number;
  reasons: ReasonCode[];
  alertStatus: string | null;
  /** The customer's predicted CLV; null for guests and customers not scored yet. */
  predictedClv: number | null;
}

export async function getAlertInput(shop: string, id: string): Promise<AlertInput | null> {
  const row = await db.feedback.findFirst({
    where: { shop, id },
    select: { id: true, orderShopifyId: true, customerShopifyId: true, score: true, reasons: true, alertStatus: true },
  });
  if (!row) return null;
  const customer = row.customerShopifyId
    ? await db.customer.findUnique({
        where: { shop_shopifyId: { shop, shopifyId: row.customerShopifyId } },
        select: { predictedClv: true },
      })
    : null;
  return {
    id: row.id,
    orderShopifyId: row.orderShopifyId,
    score: row.score,
    reasons: decodeReasons(row.reasons),
    alertStatus: row.alertStatus,
    predictedClv: customer?.predictedClv ?? null,
  };
}

/** Takes the item's one alert for this caller: false when another caller (or an earlier answer) took it. */
export async function claimAlert(shop: string, id: string, now: Date): Promise<boolean> {
  const { count } = await db.feedback.updateMany({
    where: { shop, id, alertStatus: null },
    data: { alertStatus: "claimed", alertAt: now },
  });
  return count === 1;
}

export async function finishAlert(shop: string, id: string, status: Exclude<AlertStatus, "claimed">, now: Date, error?: string) {
  await db.feedback.updateMany({
    where: { shop, id, alertStatus: "claimed" },
    data: { alertStatus: status, alertAt: now, alertError: error?.slice(0, 1000) ?? null },
  });
}

/** Gives the claim back (Shopify unreachable): the next tick tries again. */
export async function releaseAlert(shop: string, id: string, error: string) {
  await db.feedback.updateMany({
    where: { shop, id, alertStatus: "claimed" },
    data: { alertStatus: null, alertError: error.slice(0, 1000) },
  });
}

/**
 * Low answers received since `since` whose alert is not sent: never claimed, or claimed before
 * `staleClaimBefore` by a process that died (those claims are released first).
 */
export async function listUnsentAlerts(
  shop: string,
  options: { threshold: number; since: Date; staleClaimBefore: Date; limit?: number },
): Promise<string[]> {
  await db.feedback.updateMany({
    where: { shop, alertStatus: "claimed", alertAt: { lt: options.staleClaimBefore }, createdAt: { gte: options.since } },
    data: { alertStatus: null },
  });
  const rows = await db.feedback.findMany({
    where: { shop, alertStatus: null, score: { lte: options.threshold }, createdAt: { gte: options.since } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 100,
  });
  return rows.map((r) => r.id);
}

/** Open low answers nobody has responded to since before `receivedBefore` (the navigation's count). */
export async function countAwaitingFirstResponse(shop: string, threshold: number, receivedBefore: Date): Promise<number> {
  return db.feedback.count({
    where: { shop, status: "open", firstResponseAt: null, score: { lte: threshold }, createdAt: { lte: receivedBefore } },
  });
}

// ——— Late links: a guest's answer meets its order's customer (app/jobs/feedback-late-links.server.ts) ———

export interface GuestBirthday {
  birthday: string;
  consentTextVersion: string | null;
  consentAt: Date;
}

/** A guest's consented birthday, kept on the answer until its order names the customer. */
export async function keepGuestBirthday(shop: string, id: string, guest: GuestBirthday): Promise<void> {
  await db.feedback.updateMany({
    where: { shop, id, customerShopifyId: null },
    data: { guestBirthday: guest.birthday, guestConsentTextVersion: guest.consentTextVersion, guestConsentAt: guest.consentAt },
  });
}

/**
 * Inside the order sync's transaction: gives the order's answer its customer when it had none (the
 * answer came before the order was synced). Returns the answer's id when it was linked just now.
 */
export async function linkGuestFeedback(sql: RawSql, shop: string, orderShopifyId: string, customerShopifyId: string, now: Date) {
  const rows = await sql.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT "id" FROM "Feedback" WHERE "shop" = ${placeholder(1)} AND "orderShopifyId" = ${placeholder(2)} AND "customerShopifyId" IS NULL`,
    shop,
    orderShopifyId,
  );
  if (!rows.length) return null;
  await sql.$executeRawUnsafe(
    `UPDATE "Feedback" SET "customerShopifyId" = ${placeholder(1)}, "updatedAt" = ${placeholder(2)} WHERE "id" = ${placeholder(3)} AND "customerShopifyId" IS NULL`,
    customerShopifyId,
    sqlTimestamp(now),
    rows[0].id,
  );
  return rows[0].id;
}

/** What a late link still has to do for an answer: its customer and a kept birthday, if any. */
export async function getLateLinkInput(shop: string, id: string) {
  const row = await db.feedback.findFirst({
    where: { shop, id },
    select: { id: true, customerShopifyId: true, guestBirthday: true, guestConsentTextVersion: true, guestConsentAt: true },
  });
  if (!row?.customerShopifyId) return null;
  const guest: GuestBirthday | null =
    row.guestBirthday && row.guestConsentAt
      ? { birthday: row.guestBirthday, consentTextVersion: row.guestConsentTextVersion, consentAt: row.guestConsentAt }
      : null;
  return { id: row.id, customerShopifyId: row.customerShopifyId, guest };
}

/** The kept birthday has reached the customer: it is no longer the answer's to keep. */
export async function clearGuestBirthday(shop: string, id: string): Promise<void> {
  await db.feedback.updateMany({ where: { shop, id }, data: { guestBirthday: null, guestConsentTextVersion: null, guestConsentAt: null } });
}

/** A customer's own answers, newest first (the customer account page; index shop, customer, createdAt). */
export async function listCustomerAnswers(shop: string, customerShopifyId: string, take: number) {
  const rows = await db.feedback.findMany({
    where: { shop, customerShopifyId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { createdAt: true, score: true, reasons: true, comment: true },
  });
  return rows.map((r) => ({ answeredAt: r.createdAt, score: r.score, reasons: decodeReasons(r.reasons), comment: r.comment }));
}
