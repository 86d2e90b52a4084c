import db from "../db.server";
import { newId, placeholder, sqlTimestamp, type RawSql } from "./sql/sql.server";
import { isUniqueViolation } from "./sql/transient-errors.server";

export type WebhookClaim = "process" | "duplicate" | "in-flight";

// A delivery that started this long ago without finishing is taken to have crashed.
const STALE_AFTER_MS = 5 * 60_000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Records a delivery before it is processed; Shopify delivers at least once, so the same
 * X-Shopify-Webhook-Id may arrive twice, even concurrently.
 */
export async function claimWebhook(shop: string, webhookId: string, topic: string, now = new Date()): Promise<WebhookClaim> {
  try {
    await db.webhookEvent.create({ data: { shop, webhookId, topic, receivedAt: now } });
    return "process";
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const existing = await db.webhookEvent.findUnique({ where: { shop_webhookId: { shop, webhookId } } });
  if (!existing || existing.processedAt) return "duplicate";
  const stale = existing.error !== null || now.getTime() - existing.receivedAt.getTime() > STALE_AFTER_MS;
  if (!stale) return "in-flight";
  // Take the retry over atomically: only one concurrent redelivery wins the update.
  const taken = await db.webhookEvent.updateMany({
    where: { shop, webhookId, processedAt: null, receivedAt: existing.receivedAt },
    data: { receivedAt: now, error: null },
  });
  return taken.count === 1 ? "process" : "in-flight";
}

export async function finishWebhook(shop: string, webhookId: string, error?: unknown) {
  await db.webhookEvent.updateMany({
    where: { shop, webhookId },
    data: error ? { error: errorMessage(error) } : { processedAt: new Date(), error: null },
  });
}

/**
 * Claims a delivery inside the transaction that applies it, marked processed at once: the record and
 * its effects commit together or not at all, so no in-flight state is ever stored. A concurrent copy
 * waits on the unique key until this transaction ends, then finds it processed (or, after a rollback,
 * claims it itself). Returns false for a delivery already processed.
 */
export async function claimWebhookInTransaction(sql: RawSql, shop: string, webhookId: string, topic: string, now = new Date()) {
  const at = sqlTimestamp(now);
  const claimed = await sql.$executeRawUnsafe(
    `INSERT INTO "WebhookEvent" ("id", "shop", "webhookId", "topic", "receivedAt", "processedAt")
     VALUES (${[1, 2, 3, 4, 5, 6].map(placeholder).join(", ")})
     ON CONFLICT ("shop", "webhookId") DO UPDATE SET "receivedAt" = excluded."receivedAt", "processedAt" = excluded."processedAt", "error" = NULL
     WHERE "WebhookEvent"."processedAt" IS NULL`,
    newId(),
    shop,
    webhookId,
    topic,
    at,
    at,
  );
  return claimed === 1;
}

/** After a rolled-back delivery: the error is kept beside the delivery; Shopify's retry claims it again. */
export async function recordWebhookFailure(shop: string, webhookId: string, topic: string, error: unknown, now = new Date()) {
  const message = errorMessage(error);
  try {
    await db.webhookEvent.create({ data: { shop, webhookId, topic, receivedAt: now, error: message } });
  } catch (createError) {
    if (!isUniqueViolation(createError)) throw createError;
    await db.webhookEvent.updateMany({ where: { shop, webhookId, processedAt: null }, data: { error: message } });
  }
}

/**
 * A delivery Kinship refuses (wrong shape for its topic, another shop's body, an unconfirmed
 * destructive topic): kept as done with the reason, so it is never applied, and a copy of it finds
 * the same record.
 */
export async function recordRefusal(shop: string, webhookId: string, topic: string, reason: string, now = new Date()) {
  try {
    await db.webhookEvent.create({ data: { shop, webhookId, topic, receivedAt: now, processedAt: now, error: `refused: ${reason}` } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
