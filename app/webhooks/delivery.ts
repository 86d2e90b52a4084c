import type { RawSql } from "../models/sql/sql.server";

/** One verified delivery: the shop and topic from its headers, the body already parsed for its topic. */
export interface WebhookDelivery<Payload = unknown> {
  shop: string;
  /** Lower-case Shopify topic, e.g. "orders/create". */
  topic: string;
  webhookId: string;
  /** X-Shopify-Triggered-At, when sent. */
  triggeredAt: Date | null;
  payload: Payload;
}

/** Applied without a transaction of its own (calls out to Shopify, or deletes through Prisma). */
export type WebhookHandler<Payload> = (delivery: WebhookDelivery<Payload>) => Promise<void>;

/**
 * Applied inside the transaction that claims the delivery (the frequent sync topics: one commit per
 * delivery); returns work to start once that transaction has committed, if any.
 */
export type TransactionalWebhookHandler<Payload> = (delivery: WebhookDelivery<Payload>, sql: RawSql) => Promise<(() => void) | void>;

/** Why a destructive delivery is not confirmed (null: confirmed). */
export type Confirmation<Payload> = (delivery: WebhookDelivery<Payload>) => Promise<string | null>;
