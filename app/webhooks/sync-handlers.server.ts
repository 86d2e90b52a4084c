import { refreshCustomerAggregates, upsertCustomers } from "../models/customers.server";
import { storedOrderCustomer, upsertOrders } from "../models/orders.server";
import { shopHasModel } from "../models/shop.server";
import type { RawSql } from "../models/sql.server";
import { adminClientForShop } from "../shopify/admin-for-shop.server";
import { completeBackfill } from "../jobs/backfill.server";
import { afterBackfill } from "../jobs/after-backfill.server";
import { rescoreCustomers } from "../jobs/recompute.server";
import { writeBackTags } from "../jobs/write-back-tags.server";
import { runInBackground } from "../jobs/background.server";
import { findSyncRunByBulkOperation } from "../models/sync-runs.server";
import { customerFromWebhook, orderFromWebhook, type CustomerWebhookPayload, type OrderWebhookPayload } from "../sync/webhook-records";
import type { WebhookDelivery } from "./handlers.server";

// Webhook payloads carry no birthday metafield or RFM group: keep what the backfill stored.
const WEBHOOK_LACKS = ["birthday", "shopifyRfmGroup"] as const;

/**
 * Applies an order webhook inside the transaction that claims it. Converges under duplicates and
 * reordering: the upsert keeps whichever state has the newest `updated_at`, and the customer's
 * aggregates are recomputed from its stored orders (one customer, not the shop). Returns the work to
 * start once the transaction has committed.
 */
export async function applyOrderWebhook({ shop, payload }: Pick<WebhookDelivery, "shop" | "payload">, sql: RawSql) {
  const order = orderFromWebhook(payload as unknown as OrderWebhookPayload);
  const previous = await storedOrderCustomer(sql, shop, order.shopifyId);
  const customer = (payload as unknown as OrderWebhookPayload).customer;
  const affected = [...new Set([order.customerShopifyId, previous].filter((id): id is string => !!id))];
  if (customer) await upsertCustomers(shop, [customerFromWebhook(customer)], { tx: sql, keep: WEBHOOK_LACKS });
  await upsertOrders(shop, [order], { tx: sql });
  await refreshCustomerAggregates(shop, affected, sql);
  // Until the shop's first recompute there is no model to re-score with.
  if (!affected.length || !(await shopHasModel(sql, shop))) return;
  // Scoring and tag write-back call out to Shopify: after the webhook answer.
  return () =>
    runInBackground(`rescore ${shop}`, async () => {
      if (!(await rescoreCustomers(shop, affected))) return;
      await writeBackTags(shop, await adminClientForShop(shop), { only: affected });
    });
}

export async function applyCustomerWebhook({ shop, payload }: Pick<WebhookDelivery, "shop" | "payload">, sql: RawSql) {
  await upsertCustomers(shop, [customerFromWebhook(payload as unknown as CustomerWebhookPayload)], { tx: sql, keep: WEBHOOK_LACKS });
}

export async function applyBulkFinishWebhook({ shop, payload }: Pick<WebhookDelivery, "shop" | "payload">) {
  const id = (payload as { admin_graphql_api_id?: string }).admin_graphql_api_id;
  if (!id) return;
  // Importing a large file takes longer than Shopify waits for a webhook answer.
  runInBackground(`backfill ${shop}`, async () => {
    // A redelivered or late webhook for a run the poller already finished changes nothing.
    const before = await findSyncRunByBulkOperation(shop, id);
    if (!before || before.status === "completed") return;
    const client = await adminClientForShop(shop);
    const run = await completeBackfill(shop, client, id);
    if (run?.status === "completed") await afterBackfill(shop, client);
  });
}
