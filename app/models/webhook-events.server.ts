import db from "../db.server";

export type WebhookClaim = "process" | "duplicate" | "in-flight";

// A delivery that started this long ago without finishing is taken to have crashed.
const STALE_AFTER_MS = 5 * 60_000;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
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
    data: error
      ? { error: error instanceof Error ? error.message : String(error) }
      : { processedAt: new Date(), error: null },
  });
}
