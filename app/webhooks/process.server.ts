import { rawSqlTransaction } from "../models/sql-transaction.server";
import { claimWebhook, claimWebhookInTransaction, finishWebhook, recordWebhookFailure } from "../models/webhook-events.server";
import { transactionalWebhookHandler, webhookHandler, type TransactionalWebhookHandler, type WebhookDelivery } from "./handlers.server";

// The topics shopify.app.toml subscribes to, in the header's form.
export const SUBSCRIBED_TOPICS = [
  "app/uninstalled",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "customers/create",
  "customers/update",
  "bulk_operations/finish",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;

const byLibraryName = new Map<string, string>(
  SUBSCRIBED_TOPICS.map((topic) => [topic.replace("/", "_").toUpperCase(), topic]),
);

/** "ORDERS_CREATE" (the library's enum form) or "orders/create" (the header's) → "orders/create". */
export function normaliseTopic(topic: string): string {
  return topic.includes("/") ? topic.toLowerCase() : (byLibraryName.get(topic) ?? topic.toLowerCase());
}

/**
 * Processes one verified delivery exactly once per webhook id. Answers with the status Shopify
 * should see: 200 when done (or already done), 500 on failure, so Shopify retries, and — for the
 * topics not applied in one transaction — 409 while another copy is in flight.
 */
export async function processWebhook(delivery: WebhookDelivery): Promise<Response> {
  const topic = normaliseTopic(delivery.topic);
  const transactional = transactionalWebhookHandler(topic);
  if (transactional) return processInTransaction({ ...delivery, topic }, transactional);
  const claim = await claimWebhook(delivery.shop, delivery.webhookId, topic);
  if (claim === "duplicate") return new Response(null, { status: 200 });
  if (claim === "in-flight") return new Response(null, { status: 409 });
  const handler = webhookHandler(topic);
  try {
    if (handler) await handler({ ...delivery, topic });
    await finishWebhook(delivery.shop, delivery.webhookId);
    return new Response(null, { status: 200 });
  } catch (error) {
    logFailure(delivery, topic, error);
    await finishWebhook(delivery.shop, delivery.webhookId, error);
    return new Response(null, { status: 500 });
  }
}

/** Claim and effects in one transaction: a copy arriving meanwhile waits for it, then sees it done. */
async function processInTransaction(delivery: WebhookDelivery, apply: TransactionalWebhookHandler): Promise<Response> {
  const { shop, webhookId, topic } = delivery;
  try {
    const afterCommit = await rawSqlTransaction(async (sql) => {
      if (!(await claimWebhookInTransaction(sql, shop, webhookId, topic))) return undefined;
      return (await apply(delivery, sql)) ?? undefined;
    });
    afterCommit?.();
    return new Response(null, { status: 200 });
  } catch (error) {
    logFailure(delivery, topic, error);
    await recordWebhookFailure(shop, webhookId, topic, error);
    return new Response(null, { status: 500 });
  }
}

function logFailure(delivery: WebhookDelivery, topic: string, error: unknown) {
  console.error(`Webhook ${topic} ${delivery.webhookId} for ${delivery.shop} failed`, error);
}
