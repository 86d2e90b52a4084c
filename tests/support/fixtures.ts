import db from "../../app/db.server";
import { forgetSurfaceLoads } from "../../app/models/surface-use.server";
import { forgetCoalesced } from "../../app/jobs/background.server";

/** Rows of every kind for one shop, so isolation and redaction tests see a full tenant. */
export async function seedTenant(shop: string, customers = 2) {
  await db.shop.upsert({ where: { shop }, create: { shop, name: shop }, update: {} });
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `token-${shop}`, scope: "read_orders" },
  });
  for (let i = 1; i <= customers; i++) {
    const customerId = `gid://shopify/Customer/${shop.length * 1000 + i}`;
    await db.customer.create({
      data: { shop, shopifyId: customerId, email: `c${i}@${shop}`, orderCount: 1, totalSpent: 10 * i },
    });
    const orderId = `gid://shopify/Order/${shop.length * 1000 + i}`;
    await db.order.create({
      data: {
        shop,
        shopifyId: orderId,
        customerShopifyId: customerId,
        processedAt: new Date("2026-01-01T00:00:00Z"),
        totalPrice: 10 * i,
        netTotal: 10 * i,
        currencyCode: "USD",
      },
    });
    await db.feedback.create({
      data: { shop, orderShopifyId: orderId, customerShopifyId: customerId, score: 3, comment: "late" },
    });
    const rule = await db.discountRule.create({ data: { shop, kind: "birthday", name: "Birthday", config: "{}" } });
    await db.issuedDiscount.create({
      data: { shop, ruleId: rule.id, customerShopifyId: customerId, idempotencyKey: `${rule.id}:${i}`, status: "recorded" },
    });
  }
  await db.syncRun.create({ data: { shop, kind: "backfill", status: "completed" } });
  await db.jobRun.create({ data: { shop, jobKey: "issuance:2026-01-01", status: "completed" } });
  await db.webhookEvent.create({ data: { shop, webhookId: `seed-${shop}`, topic: "orders/create" } });
}

export async function countRows(shop: string) {
  const where = { where: { shop } };
  const counts = await Promise.all([
    db.shop.count(where),
    db.session.count(where),
    db.customer.count(where),
    db.order.count(where),
    db.feedback.count(where),
    db.discountRule.count(where),
    db.issuedDiscount.count(where),
    db.syncRun.count(where),
    db.jobRun.count(where),
    db.customerTier.count(where),
    db.webhookEvent.count(where),
    db.dataRequest.count(where),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

export async function resetDatabase() {
  // What this process remembers writing must go with the rows.
  forgetSurfaceLoads();
  forgetCoalesced();
  await db.$transaction([
    db.surfaceUse.deleteMany(),
    db.issuedDiscount.deleteMany(),
    db.discountRule.deleteMany(),
    db.feedback.deleteMany(),
    db.order.deleteMany(),
    db.customer.deleteMany(),
    db.syncRun.deleteMany(),
    db.bulkMutationRun.deleteMany(),
    db.jobRun.deleteMany(),
    db.customerTier.deleteMany(),
    db.consentRecord.deleteMany(),
    db.flowTriggerUsage.deleteMany(),
    db.forecastMonth.deleteMany(),
    db.surveyInvite.deleteMany(),
    db.dashboardFigures.deleteMany(),
    db.webhookEvent.deleteMany(),
    db.dataRequest.deleteMany(),
    db.session.deleteMany(),
    db.shop.deleteMany(),
  ]);
}
