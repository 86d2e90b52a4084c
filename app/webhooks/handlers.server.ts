import type { RawSql } from "../models/sql.server";
import { markUninstalled } from "../models/shop.server";
import { recordDataRequest, redactCustomer, redactShop } from "../models/privacy.server";
import { applyBulkFinishWebhook, applyCustomerWebhook, applyOrderWebhook } from "./sync-handlers.server";

export interface WebhookDelivery {
  shop: string;
  /** Lower-case Shopify topic, e.g. "orders/create". */
  topic: string;
  webhookId: string;
  payload: Record<string, unknown>;
}

export type WebhookHandler = (delivery: WebhookDelivery) => Promise<void>;

/**
 * Applies a delivery inside the transaction that claims it (the frequent sync topics: one commit per
 * delivery); returns work to start once that transaction has committed, if any.
 */
export type TransactionalWebhookHandler = (delivery: WebhookDelivery, sql: RawSql) => Promise<(() => void) | void>;

function customerGid(payload: Record<string, unknown>): string | null {
  const customer = payload.customer as { id?: number | string } | undefined;
  return customer?.id === undefined ? null : `gid://shopify/Customer/${customer.id}`;
}

function orderGids(payload: Record<string, unknown>): string[] {
  const ids = (payload.orders_requested ?? payload.orders_to_redact ?? []) as Array<number | string>;
  return ids.map((id) => `gid://shopify/Order/${id}`);
}

const handlers = new Map<string, WebhookHandler>([
  ["app/uninstalled", async ({ shop }) => markUninstalled(shop)],
  ["shop/redact", async ({ shop }) => redactShop(shop)],
  ["bulk_operations/finish", applyBulkFinishWebhook],
  [
    "customers/redact",
    async ({ shop, payload }) => {
      const gid = customerGid(payload);
      if (gid) await redactCustomer(shop, gid, orderGids(payload));
    },
  ],
  [
    "customers/data_request",
    async ({ shop, payload }) => {
      const gid = customerGid(payload);
      const request = payload.data_request as { id?: number | string } | undefined;
      if (gid) await recordDataRequest(shop, gid, request?.id === undefined ? null : String(request.id));
    },
  ],
]);

const transactionalHandlers = new Map<string, TransactionalWebhookHandler>([
  ["orders/create", applyOrderWebhook],
  ["orders/updated", applyOrderWebhook],
  ["orders/cancelled", applyOrderWebhook],
  ["customers/create", applyCustomerWebhook],
  ["customers/update", applyCustomerWebhook],
]);

export function webhookHandler(topic: string): WebhookHandler | undefined {
  return handlers.get(topic);
}

export function transactionalWebhookHandler(topic: string): TransactionalWebhookHandler | undefined {
  return transactionalHandlers.get(topic);
}
