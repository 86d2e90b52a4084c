/**
 * The fulfillment topics behind "ask after delivery": they record when an order was fulfilled (and
 * whether with tracking) and when a carrier said it was delivered. A delivered order is asked right
 * after the delivery is recorded, in the background (Shopify wants its answer within 5 s); the
 * scheduler's tick asks what this missed and the untracked orders whose day has come.
 */
import { env } from "../env.server";
import { recordDelivery, recordFulfillment } from "../models/survey-invites.server";
import {
  eventTime,
  isDeliveredEvent,
  isTracked,
  orderGidOfFulfillment,
  type FulfillmentEventWebhookPayload,
  type FulfillmentWebhookPayload,
} from "../sync/fulfillment-records";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { askForFeedback } from "../jobs/ask-after-delivery.server";
import { runInBackground } from "../jobs/background.server";
import type { WebhookDelivery } from "./delivery";

function askInBackground(shop: string, orderShopifyId: string) {
  runInBackground(`ask for feedback ${shop}`, () =>
    askForFeedback(shop, orderShopifyId, { client: () => adminClientForShop(shop), now: new Date(), appSecret: env.SHOPIFY_API_SECRET }),
  );
}

export async function applyFulfillmentWebhook({ shop, payload }: WebhookDelivery<FulfillmentWebhookPayload>): Promise<void> {
  const order = orderGidOfFulfillment(payload);
  await recordFulfillment(shop, order, new Date(payload.created_at), isTracked(payload));
  // A fulfillment created as delivered (local delivery, or a carrier that had already delivered it).
  if (payload.shipment_status?.toLowerCase() === "delivered") {
    await recordDelivery(shop, order, new Date(payload.updated_at ?? payload.created_at));
    askInBackground(shop, order);
  }
}

export async function applyFulfillmentEventWebhook({ shop, payload }: WebhookDelivery<FulfillmentEventWebhookPayload>): Promise<void> {
  if (!isDeliveredEvent(payload)) return;
  const order = orderGidOfFulfillment(payload);
  await recordDelivery(shop, order, eventTime(payload, new Date()));
  askInBackground(shop, order);
}
