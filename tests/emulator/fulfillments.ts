/**
 * Fulfillments and their tracking events, with the REST-shaped bodies Shopify sends at 2026-04:
 *   fulfillments/create, fulfillments/update   the Fulfillment resource (shipment_status follows the last event)
 *   fulfillment_events/create                  the FulfillmentEvent resource (status in lower case, happened_at)
 * Both need read_fulfillments (WebhookSubscriptionTopic, 2026-04 schema). A new event also moves the
 * fulfillment's shipment_status, which Shopify reports through fulfillments/update to its subscribers;
 * Kinship subscribes to fulfillment_events/create only, so the mutation helpers send that one. The event statuses are
 * FulfillmentEventStatus's values in lower case (label_printed, label_purchased, attempted_delivery,
 * ready_for_pickup, picked_up, confirmed, in_transit, out_for_delivery, delivered, failure, delayed,
 * carrier_picked_up).
 */
import { gid } from "./ids";
import type { ShopState } from "./shop";
import { isoInZone } from "./time";

export const FULFILLMENT_EVENT_STATUSES = [
  "label_printed",
  "label_purchased",
  "attempted_delivery",
  "ready_for_pickup",
  "confirmed",
  "in_transit",
  "out_for_delivery",
  "delivered",
  "failure",
  "delayed",
  "carrier_picked_up",
] as const;
export type FulfillmentEventStatus = (typeof FULFILLMENT_EVENT_STATUSES)[number];

export interface FulfillmentEventRecord {
  id: number;
  status: FulfillmentEventStatus;
  happenedAt: number;
  createdAt: number;
  message: string | null;
}

export interface FulfillmentRecord {
  id: number;
  orderId: number;
  orderName: string;
  email: string | null;
  createdAt: number;
  updatedAt: number;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  events: FulfillmentEventRecord[];
}

export function fulfillmentPayload(shop: ShopState, f: FulfillmentRecord) {
  const tz = shop.timeZone;
  const last = f.events.at(-1);
  return {
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    created_at: isoInZone(f.createdAt, tz),
    location_id: null,
    name: `${f.orderName}.1`,
    order_id: f.orderId,
    origin_address: {},
    receipt: {},
    service: "manual",
    shipment_status: last?.status ?? null,
    status: "success",
    tracking_company: f.trackingCompany,
    tracking_number: f.trackingNumber,
    tracking_numbers: f.trackingNumber ? [f.trackingNumber] : [],
    tracking_url: f.trackingUrl,
    tracking_urls: f.trackingUrl ? [f.trackingUrl] : [],
    updated_at: isoInZone(f.updatedAt, tz),
    email: f.email,
    destination: null,
    line_items: [],
  };
}

export function fulfillmentEventPayload(shop: ShopState, f: FulfillmentRecord, e: FulfillmentEventRecord) {
  const tz = shop.timeZone;
  return {
    id: e.id,
    fulfillment_id: f.id,
    status: e.status,
    message: e.message,
    happened_at: isoInZone(e.happenedAt, tz),
    city: null,
    province: null,
    country: null,
    zip: null,
    address1: null,
    latitude: null,
    longitude: null,
    shop_id: shop.shopId,
    created_at: isoInZone(e.createdAt, tz),
    updated_at: isoInZone(e.createdAt, tz),
    estimated_delivery_at: null,
    order_id: f.orderId,
    admin_graphql_api_id: gid("FulfillmentEvent", e.id),
  };
}
