import { z } from "zod";

/**
 * The fulfillment webhooks "ask after delivery" reads (API 2026-04, REST-shaped bodies):
 *   fulfillments/create          a Fulfillment: id, order_id, created_at, status, tracking_number(s), shipment_status
 *   fulfillment_events/create    a FulfillmentEvent: id, fulfillment_id, order_id, status, happened_at
 * Both topics need the read_fulfillments scope (WebhookSubscriptionTopic in the 2026-04 schema).
 * Event statuses are FulfillmentEventStatus in lower case ("in_transit", "out_for_delivery", "delivered", …).
 */
const restId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, "not a numeric id")]);
const date = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not a date");

export const fulfillmentWebhookSchema = z.object({
  id: restId,
  order_id: restId,
  created_at: date,
  status: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_numbers: z.array(z.string()).nullish(),
  shipment_status: z.string().nullish(),
  updated_at: date.nullish(),
});
export type FulfillmentWebhookPayload = z.infer<typeof fulfillmentWebhookSchema>;

export const fulfillmentEventWebhookSchema = z.object({
  id: restId,
  fulfillment_id: restId,
  order_id: restId,
  status: z.string(),
  happened_at: date.nullish(),
  created_at: date.nullish(),
});
export type FulfillmentEventWebhookPayload = z.infer<typeof fulfillmentEventWebhookSchema>;

export const orderGidOfFulfillment = (payload: { order_id: number | string }) => `gid://shopify/Order/${payload.order_id}`;

/** A fulfillment with any tracking number is tracked: its carrier's events will say when it is delivered. */
export function isTracked(payload: FulfillmentWebhookPayload): boolean {
  return Boolean(payload.tracking_number?.trim()) || (payload.tracking_numbers ?? []).some((n) => n.trim() !== "");
}

export function isDeliveredEvent(payload: FulfillmentEventWebhookPayload): boolean {
  return payload.status.toLowerCase() === "delivered";
}

/** When the event happened (happened_at; created_at for events without it). */
export function eventTime(payload: FulfillmentEventWebhookPayload, fallback: Date): Date {
  const text = payload.happened_at ?? payload.created_at;
  return text ? new Date(text) : fallback;
}
