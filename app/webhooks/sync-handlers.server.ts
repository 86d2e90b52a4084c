import {
  deleteCustomer,
  mergeCustomers,
  refreshCustomerAggregates,
  applyCustomerTagEvents,
  upsertOwnedCustomerColumns,
  type WebhookCustomerColumn,
} from "../models/customers.server";
import { recordConsentInTransaction } from "../models/consent-records.server";
import { deleteOrder, storedOrderCustomer, upsertOrders } from "../models/orders.server";
import { linkGuestFeedback } from "../models/feedback.server";
import { finishLateLink, lateLinkClient } from "../jobs/feedback-late-links.server";
import { shopHasModel } from "../models/shop.server";
import type { RawSql } from "../models/sql/sql.server";
import { findSyncRunByBulkOperation } from "../models/sync-runs.server";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { completeBackfill } from "../jobs/backfill.server";
import { afterBackfill } from "../jobs/after-backfill.server";
import { rescoreCustomers } from "../jobs/recompute.server";
import { writeBackTags } from "../jobs/write-back-tags.server";
import { runInBackground } from "../jobs/background.server";
import { dashboardFiguresChanged } from "../jobs/dashboard-figures.server";
import {
  customerFieldsFromWebhook,
  customerGid,
  emailConsentFromWebhook,
  orderFromWebhook,
  orderGidOf,
  type CustomerWebhookPayload,
  type OrderWebhookPayload,
} from "../sync/webhook-records";
import type { z } from "zod";
import type {
  customerDeleteWebhookSchema,
  customerMergeWebhookSchema,
  customerTagsWebhookSchema,
  emailConsentWebhookSchema,
  orderDeleteWebhookSchema,
} from "../sync/webhook-records";
import type { WebhookDelivery } from "./delivery";

/**
 * The customer columns each topic owns: the only ones its upsert writes. Birthday (a metafield), the
 * RFM group and the scores come from no webhook; tags only from customer.tags_added/removed (their
 * own column pair, `tags` and `tagVersions`); email consent only from its consent topic.
 */
export const CUSTOMER_RECORD_COLUMNS = [
  "email",
  "firstName",
  "lastName",
  "shopifyUpdatedAt",
] as const satisfies readonly WebhookCustomerColumn[];
export const EMAIL_CONSENT_COLUMNS = ["marketingState", "marketingUpdatedAt"] as const satisfies readonly WebhookCustomerColumn[];

/** Writes the customer record columns the payload carries (the version column always: null if absent, which never blocks). */
function upsertCustomerRecord(sql: RawSql, shop: string, payload: CustomerWebhookPayload) {
  const record = customerFieldsFromWebhook(payload);
  const owned = CUSTOMER_RECORD_COLUMNS.filter((column) => column === "shopifyUpdatedAt" || column in record.values);
  return upsertOwnedCustomerColumns(sql, shop, [record], owned, "shopifyUpdatedAt");
}

/** Once the shop has a model, re-score the customers a delivery touched (after the answer: it calls Shopify). */
async function rescoreAfterCommit(sql: RawSql, shop: string, customers: string[]) {
  if (!customers.length || !(await shopHasModel(sql, shop))) return;
  return () =>
    runInBackground(`rescore ${shop}`, async () => {
      if (!(await rescoreCustomers(shop, customers))) return;
      // Their lifecycle groups may have moved.
      dashboardFiguresChanged(shop);
      await writeBackTags(shop, await adminClientForShop(shop), { only: customers });
    });
}

/**
 * orders/create|updated|cancelled inside the transaction that claims the delivery. Converges under
 * duplicates and reordering: the order upsert keeps the newest `updated_at`, the customer's record
 * columns keep the newest customer `updated_at`, and aggregates are recomputed from stored orders.
 */
export async function applyOrderWebhook({ shop, payload }: WebhookDelivery<OrderWebhookPayload>, sql: RawSql) {
  const order = orderFromWebhook(payload);
  const previous = await storedOrderCustomer(sql, shop, order.shopifyId);
  const affected = [...new Set([order.customerShopifyId, previous].filter((id): id is string => !!id))];
  if (payload.customer) await upsertCustomerRecord(sql, shop, payload.customer);
  await upsertOrders(shop, [order], { tx: sql });
  await refreshCustomerAggregates(shop, affected, sql);
  // A guest's answer that came before this order: it belongs to the order's customer from now on.
  const linked = order.customerShopifyId ? await linkGuestFeedback(sql, shop, order.shopifyId, order.customerShopifyId, new Date()) : null;
  const rescore = await rescoreAfterCommit(sql, shop, affected);
  if (!linked) return rescore;
  return () => {
    rescore?.();
    runInBackground(`late link ${shop}`, async () => {
      await finishLateLink(shop, linked, { client: lateLinkClient(shop), now: new Date() });
    });
  };
}

export async function applyCustomerWebhook({ shop, payload }: WebhookDelivery<CustomerWebhookPayload>, sql: RawSql) {
  await upsertCustomerRecord(sql, shop, payload);
}

export async function applyEmailConsentWebhook(
  { shop, payload, triggeredAt }: WebhookDelivery<z.infer<typeof emailConsentWebhookSchema>>,
  sql: RawSql,
) {
  const consent = emailConsentFromWebhook(payload, triggeredAt);
  await upsertOwnedCustomerColumns(sql, shop, [consent], EMAIL_CONSENT_COLUMNS, "marketingUpdatedAt");
  // Consent as a record: Shopify's marketing consent as it changed (Shopify holds the wording).
  await recordConsentInTransaction(sql, shop, {
    customerShopifyId: consent.shopifyId,
    purpose: "marketing",
    granted: consent.values.marketingState === "SUBSCRIBED",
    source: "shopifyWebhook",
    textVersion: null,
    givenAt: consent.values.marketingUpdatedAt ?? new Date(),
  });
}

export function tagsWebhookHandler(kind: "added" | "removed") {
  return async ({ shop, payload }: WebhookDelivery<z.infer<typeof customerTagsWebhookSchema>>, sql: RawSql) => {
    await applyCustomerTagEvents(sql, shop, payload.customerId, [{ kind, tags: payload.tags, occurredAt: payload.occurredAt }]);
  };
}

export async function applyCustomerDeleteWebhook(
  { shop, payload }: WebhookDelivery<z.infer<typeof customerDeleteWebhookSchema>>,
  sql: RawSql,
) {
  await deleteCustomer(sql, shop, customerGid(payload.id, payload.admin_graphql_api_id));
}

export async function applyOrderDeleteWebhook({ shop, payload }: WebhookDelivery<z.infer<typeof orderDeleteWebhookSchema>>, sql: RawSql) {
  const customer = await deleteOrder(sql, shop, orderGidOf(payload));
  if (!customer) return;
  await refreshCustomerAggregates(shop, [customer], sql);
  return rescoreAfterCommit(sql, shop, [customer]);
}

export async function applyCustomerMergeWebhook(
  { shop, payload }: WebhookDelivery<z.infer<typeof customerMergeWebhookSchema>>,
  sql: RawSql,
) {
  // A failed or running merge changed nothing in Shopify.
  if (payload.status.toLowerCase() !== "completed") return;
  const kept = payload.admin_graphql_api_customer_kept_id;
  await mergeCustomers(sql, shop, kept, payload.admin_graphql_api_customer_deleted_id);
  return rescoreAfterCommit(sql, shop, [kept]);
}

export async function applyBulkFinishWebhook({ shop, payload }: WebhookDelivery<{ admin_graphql_api_id: string }>) {
  const id = payload.admin_graphql_api_id;
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
