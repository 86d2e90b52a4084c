import type { ZodError } from "zod";
import { shopInstallState, type ShopInstallState } from "../models/shop.server";
import { rawSqlTransaction } from "../models/sql/sql-transaction.server";
import {
  claimWebhook,
  claimWebhookInTransaction,
  finishWebhook,
  recordRefusal,
  recordWebhookFailure,
} from "../models/webhook-events.server";
import { isTransientDatabaseError } from "../models/sql/transient-errors.server";
import type { WebhookDelivery } from "./delivery";
import { retryTransient, WEBHOOK_RETRY_BUDGET_MS } from "./within-budget.server";
import { normaliseTopic, webhookTopic, type ShopRequirement, type TopicDefinition } from "./topics.server";
import { dashboardFiguresChanged } from "../jobs/dashboard-figures.server";

export { SUBSCRIBED_TOPICS, normaliseTopic } from "./topics.server";

/** A verified delivery as the route hands it over: headers checked, body parsed as JSON but not yet as its topic. */
export interface VerifiedDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  triggeredAt: Date | null;
  payload: unknown;
}

const answer = (status: number, message?: string) =>
  new Response(message ?? null, { status, headers: message ? { "Content-Type": "text/plain; charset=utf-8" } : undefined });

function describe(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

const SHOP_STATES: Record<ShopRequirement, readonly ShopInstallState[]> = {
  installed: ["installed"],
  held: ["installed", "uninstalled"],
  uninstalled: ["uninstalled"],
};

/**
 * Processes one verified delivery exactly once per webhook id:
 * 1. the body must have its topic's shape and name no other shop than the header (422, recorded);
 * 2. a shop Kinship does not hold in the state the topic needs gets nothing written (200: a late
 *    delivery for a redacted or never-installed shop is not an error Shopify should retry), except
 *    shop/redact for an installed shop, which is refused (409, recorded);
 * 3. destructive topics are confirmed first (409 and recorded when not; 500 when Shopify could not be asked);
 * 4. then applied once: 200 when done (or already done), 500 on failure so Shopify retries, 409 while
 *    another copy of a non-transactional topic is in flight. A write that meets another writer's lock
 *    (an import's batch, the daily run) is tried again within Shopify's time budget; only when the lock
 *    outlasts it is the answer 503, so Shopify delivers again later.
 * Refusals answer 4xx: Shopify retries them a bounded number of times and shows them as failed
 * deliveries to the developer; each retry finds the same reason and writes nothing.
 */
export async function processWebhook(delivery: VerifiedDelivery, receivedAt = Date.now()): Promise<Response> {
  const deadline = receivedAt + WEBHOOK_RETRY_BUDGET_MS;
  const topic = normaliseTopic(delivery.topic);
  const definition = webhookTopic(topic);
  const { shop, webhookId } = delivery;
  if (!definition) {
    console.warn(`Webhook ${topic} ${webhookId} for ${shop}: not a subscribed topic, ignored`);
    return answer(200);
  }
  const state = await shopInstallState(shop);
  const refuse = async (status: number, reason: string) => {
    console.warn(`Webhook ${topic} ${webhookId} for ${shop} refused: ${reason}`);
    // Only for a shop Kinship holds: nothing at all is written for any other.
    if (state !== "unknown") await recordRefusal(shop, webhookId, topic, reason);
    return answer(status, reason);
  };

  const parsed = definition.schema.safeParse(delivery.payload);
  if (!parsed.success) return refuse(422, `The body does not have the shape of ${topic}: ${describe(parsed.error)}`);
  const named = (definition.shopNames?.(parsed.data) ?? []).filter((name): name is string => !!name);
  const other = named.find((name) => name.toLowerCase() !== shop);
  if (other !== undefined) return refuse(422, `The body names the shop ${JSON.stringify(other)}, not ${shop} from X-Shopify-Shop-Domain`);

  if (!SHOP_STATES[definition.shop].includes(state)) {
    if (topic === "shop/redact" && state === "installed") return refuse(409, "The shop is installed: shop/redact is not confirmed");
    console.info(`Webhook ${topic} ${webhookId} for ${shop}: the shop is ${state === "unknown" ? "not held" : state}, nothing written`);
    return answer(200);
  }

  const typed: WebhookDelivery = { shop, topic, webhookId, triggeredAt: delivery.triggeredAt, payload: parsed.data };
  if (definition.confirm) {
    let refusal: string | null;
    try {
      refusal = await definition.confirm(typed);
    } catch (error) {
      logFailure(typed, error);
      await recordWebhookFailure(shop, webhookId, topic, error);
      return answer(500);
    }
    if (refusal) return refuse(409, refusal);
  }
  return "applyInTransaction" in definition ? processInTransaction(typed, definition, deadline) : processOnce(typed, definition, deadline);
}

/** 503 when only a lock stood in the way (Shopify delivers again later), 500 for any other failure. */
const failureStatus = (error: unknown) => (isTransientDatabaseError(error) ? 503 : 500);

async function processOnce(
  delivery: WebhookDelivery,
  definition: TopicDefinition & { apply: (d: WebhookDelivery) => Promise<void> },
  deadline: number,
) {
  const { shop, webhookId, topic } = delivery;
  let claim: Awaited<ReturnType<typeof claimWebhook>>;
  try {
    claim = await retryTransient(() => claimWebhook(shop, webhookId, topic), deadline);
  } catch (error) {
    logFailure(delivery, error);
    return answer(failureStatus(error));
  }
  if (claim === "duplicate") return answer(200);
  if (claim === "in-flight") return answer(409);
  try {
    await retryTransient(() => definition.apply(delivery), deadline);
    await retryTransient(() => finishWebhook(shop, webhookId), deadline);
    if (definition.changesCustomerFigures) dashboardFiguresChanged(shop);
    return answer(200);
  } catch (error) {
    logFailure(delivery, error);
    await finishWebhook(shop, webhookId, error).catch((recording) => logFailure(delivery, recording));
    return answer(failureStatus(error));
  }
}

/** Claim and effects in one transaction: a copy arriving meanwhile waits for it, then sees it done. */
async function processInTransaction(delivery: WebhookDelivery, definition: TopicDefinition, deadline: number) {
  if (!("applyInTransaction" in definition)) throw new Error(`${delivery.topic} is not applied in a transaction`);
  const { shop, webhookId, topic } = delivery;
  try {
    // A failed try rolled back whole (claim included), so running it again is safe.
    const afterCommit = await retryTransient(
      () =>
        rawSqlTransaction(async (sql) => {
          if (!(await claimWebhookInTransaction(sql, shop, webhookId, topic))) return undefined;
          return (await definition.applyInTransaction(delivery, sql)) ?? undefined;
        }),
      deadline,
    );
    afterCommit?.();
    if (definition.changesCustomerFigures) dashboardFiguresChanged(shop);
    return answer(200);
  } catch (error) {
    logFailure(delivery, error);
    await recordWebhookFailure(shop, webhookId, topic, error).catch((recording) => logFailure(delivery, recording));
    return answer(failureStatus(error));
  }
}

function logFailure(delivery: WebhookDelivery, error: unknown) {
  console.error(`Webhook ${delivery.topic} ${delivery.webhookId} for ${delivery.shop} failed`, error);
}
