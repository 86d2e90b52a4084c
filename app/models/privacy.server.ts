import db from "../db.server";
import { shopDataDeletes } from "./shop-data.server";

/**
 * shop/redact (48 h after uninstall): remove every row Kinship holds for the shop, in one
 * transaction so a failure leaves nothing half-deleted. The redaction's own webhook record stays: it
 * is the log of the deletion (topic, webhook id, time) and holds no personal data.
 */
export async function redactShop(shop: string, webhookId: string) {
  await db.$transaction([
    ...Object.values(shopDataDeletes(shop)),
    db.session.deleteMany({ where: { shop } }),
    db.surfaceUse.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { shop } }),
    db.webhookEvent.deleteMany({ where: { shop, webhookId: { not: webhookId } } }),
  ]);
}

/** What Kinship holds of a customers/redact request's ids for this shop (nothing held: nothing to delete). */
export async function heldForRedaction(shop: string, customerShopifyId: string, orderShopifyIds: string[]) {
  const [customers, orders] = await Promise.all([
    db.customer.count({ where: { shop, shopifyId: customerShopifyId } }),
    db.order.count({ where: { shop, shopifyId: { in: orderShopifyIds } } }),
  ]);
  return { customers, orders };
}

/**
 * customers/redact: delete the customer's personal data. Orders stay as anonymous revenue (shop
 * totals must not change) but lose the link to the person; feedback loses its text.
 */
export async function redactCustomer(shop: string, customerShopifyId: string, orderShopifyIds: string[] = []) {
  await db.$transaction([
    db.customer.deleteMany({ where: { shop, shopifyId: customerShopifyId } }),
    db.order.updateMany({ where: { shop, customerShopifyId }, data: { customerShopifyId: null } }),
    // Feedback on the request's orders, unless it belongs to another customer (the ids come with the request).
    db.feedback.updateMany({
      where: { shop, OR: [{ customerShopifyId }, { orderShopifyId: { in: orderShopifyIds }, customerShopifyId: null }] },
      data: { customerShopifyId: null, comment: null, note: null },
    }),
    db.issuedDiscount.updateMany({ where: { shop, customerShopifyId }, data: { customerShopifyId: "redacted" } }),
    db.dataRequest.deleteMany({ where: { shop, customerShopifyId } }),
    db.customerTier.deleteMany({ where: { shop, customerShopifyId } }),
    db.consentRecord.deleteMany({ where: { shop, customerShopifyId } }),
  ]);
}

/** customers/data_request: record the request and assemble what Kinship holds about the customer. */
export async function recordDataRequest(shop: string, customerShopifyId: string, requestId: string | null) {
  const data = await exportCustomerData(shop, customerShopifyId);
  await db.dataRequest.create({
    data: { shop, customerShopifyId, requestId, payload: JSON.stringify(data) },
  });
  return data;
}

export async function exportCustomerData(shop: string, customerShopifyId: string) {
  const [customer, orders, feedback, discounts, consents] = await Promise.all([
    db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } }),
    db.order.findMany({ where: { shop, customerShopifyId }, orderBy: { processedAt: "asc" } }),
    db.feedback.findMany({ where: { shop, customerShopifyId } }),
    db.issuedDiscount.findMany({ where: { shop, customerShopifyId } }),
    // What the customer agreed to, when, where and under which text (issue #15).
    db.consentRecord.findMany({
      where: { shop, customerShopifyId },
      orderBy: [{ givenAt: "asc" }, { id: "asc" }],
      select: { purpose: true, granted: true, source: true, textVersion: true, givenAt: true },
    }),
  ]);
  return { customer, orders, feedback, discounts, consents };
}
