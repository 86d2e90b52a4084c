import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { action } from "../../../app/routes/webhooks";
import { countRows, resetDatabase, seedTenant } from "../../support/fixtures";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { TEST_API_SECRET } from "../../support/test-env";
import { webhookRequest } from "../../support/webhook-request";

const SHOP = "alpha-shop.myshopify.com";
const OTHER = "beta-shop.myshopify.com";

async function deliver(request: Request): Promise<number> {
  try {
    const response = await action({ request, params: {}, context: {} });
    return response.status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("webhooks route", () => {
  beforeEach(async () => {
    await resetDatabase();
    await seedTenant(SHOP);
    await seedTenant(OTHER);
  });

  it("processes a valid delivery once even when Shopify delivers it twice", async () => {
    const customer = { id: SHOP.length * 1000 + 1, email: "c1@example.com", phone: null };
    const payload = { shop_id: 1, shop_domain: SHOP, customer, orders_requested: [], data_request: { id: 77 } };
    const first = webhookRequest(SHOP, "customers/data_request", payload, { webhookId: "wh-1" });
    const again = webhookRequest(SHOP, "customers/data_request", payload, { webhookId: "wh-1" });
    expect(await deliver(first)).toBe(200);
    expect(await deliver(again)).toBe(200);
    const requests = await db.dataRequest.findMany({ where: { shop: SHOP } });
    expect(requests).toHaveLength(1);
    expect(requests[0].requestId).toBe("77");
    expect(JSON.parse(requests[0].payload).orders).toHaveLength(1);
    const events = await db.webhookEvent.findMany({ where: { shop: SHOP, webhookId: "wh-1" } });
    expect(events).toHaveLength(1);
    expect(events[0].processedAt).not.toBeNull();
  });

  it("rejects a tampered body with 401 and writes nothing", async () => {
    const before = await countRows(SHOP);
    const payload = { shop_id: 1, shop_domain: SHOP };
    const signature = getHmac(JSON.stringify(payload), TEST_API_SECRET);
    const tampered = webhookRequest(SHOP, "shop/redact", payload, { body: JSON.stringify({ ...payload, shop_id: 2 }), hmac: signature });
    expect(await deliver(tampered)).toBe(401);
    expect(await countRows(SHOP)).toBe(before);
  });

  it("rejects a forged HMAC header with 401 and writes nothing", async () => {
    const before = await countRows(SHOP);
    const forged = webhookRequest(SHOP, "shop/redact", { shop_domain: SHOP }, { hmac: "bm90LWEtcmVhbC1obWFj" });
    expect(await deliver(forged)).toBe(401);
    expect(await countRows(SHOP)).toBe(before);
  });

  it("shop/redact leaves zero rows for that shop and every row of another shop", async () => {
    const otherBefore = await countRows(OTHER);
    expect(await countRows(SHOP)).toBeGreaterThan(10);
    // As after app/uninstalled: the shop is marked uninstalled and its sessions (tokens) are gone.
    await db.session.deleteMany({ where: { shop: SHOP } });
    await db.shop.update({ where: { shop: SHOP }, data: { uninstalledAt: new Date() } });
    expect(await deliver(webhookRequest(SHOP, "shop/redact", { shop_id: 1, shop_domain: SHOP }))).toBe(200);
    // The delivery's own idempotency record is the one row allowed to remain: it proves receipt.
    const remaining = await db.webhookEvent.findMany({ where: { shop: SHOP } });
    expect(await countRows(SHOP)).toBe(remaining.length);
    expect(remaining.every((event) => event.topic === "shop/redact")).toBe(true);
    expect(await countRows(OTHER)).toBe(otherBefore);
  });

  it("customers/redact removes the customer's personal data but keeps revenue anonymous", async () => {
    const customerId = SHOP.length * 1000 + 1;
    const gid = `gid://shopify/Customer/${customerId}`;
    const status = await deliver(
      webhookRequest(SHOP, "customers/redact", {
        shop_id: 1,
        shop_domain: SHOP,
        customer: { id: customerId, email: null, phone: null },
        orders_to_redact: [],
      }),
    );
    expect(status).toBe(200);
    expect(await db.customer.count({ where: { shop: SHOP, shopifyId: gid } })).toBe(0);
    expect(await db.order.count({ where: { shop: SHOP, customerShopifyId: gid } })).toBe(0);
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(2);
    const feedback = await db.feedback.findMany({ where: { shop: SHOP, customerShopifyId: null } });
    expect(feedback).toHaveLength(1);
    expect(feedback[0].comment).toBeNull();
    expect(await db.customer.count({ where: { shop: OTHER } })).toBe(2);
  });

  describe("order deliveries (claim and effects in one transaction)", () => {
    const customerNumber = SHOP.length * 1000 + 1;
    const customerGid = `gid://shopify/Customer/${customerNumber}`;
    const orderPayload = (overrides: Record<string, unknown> = {}) => ({
      id: 9_001,
      name: "#9001",
      created_at: "2026-05-01T10:00:00Z",
      updated_at: "2026-05-01T10:00:00Z",
      total_price: "25.00",
      currency: "USD",
      customer: { id: customerNumber, first_name: "Olena", updated_at: "2026-05-01T10:00:00Z" },
      ...overrides,
    });
    const customer = () => db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: customerGid } } });

    it("applies two copies arriving at the same time once, and answers both with 200", async () => {
      const copies = [1, 2].map(() => webhookRequest(SHOP, "orders/create", orderPayload(), { webhookId: "same-time" }));
      expect(await Promise.all(copies.map(deliver))).toEqual([200, 200]);
      const events = await db.webhookEvent.findMany({ where: { shop: SHOP, webhookId: "same-time" } });
      expect(events).toHaveLength(1);
      expect(events[0].processedAt).toBeInstanceOf(Date);
      expect(await customer()).toMatchObject({ orderCount: 2, totalSpent: 35, firstName: "Olena" });
    });

    it("refuses a payload of the wrong shape with 422 and its reason, writes nothing, and answers its retries the same", async () => {
      const before = await customer();
      const broken = orderPayload({ processed_at: "not a date" });
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await action({
          request: webhookRequest(SHOP, "orders/create", broken, { webhookId: "broken" }),
          params: {},
          context: {},
        });
        expect(response.status).toBe(422);
        expect(await response.text()).toBe('The body does not have the shape of orders/create: processed_at: not a date ("not a date")');
      }
      const refused = await db.webhookEvent.findUniqueOrThrow({ where: { shop_webhookId: { shop: SHOP, webhookId: "broken" } } });
      expect(refused).toMatchObject({
        topic: "orders/create",
        error: 'refused: The body does not have the shape of orders/create: processed_at: not a date ("not a date")',
      });
      expect(refused.processedAt).toBeInstanceOf(Date);
      expect(await db.order.count({ where: { shop: SHOP, shopifyId: "gid://shopify/Order/9001" } })).toBe(0);
      expect(await customer()).toMatchObject({ orderCount: before.orderCount, firstName: before.firstName });

      expect(await deliver(webhookRequest(SHOP, "orders/create", orderPayload(), { webhookId: "fixed" }))).toBe(200);
      expect(await customer()).toMatchObject({ orderCount: 2, totalSpent: 35, firstName: "Olena" });
    });

    it("moves an order to another customer and updates both customers' aggregates", async () => {
      const first = `gid://shopify/Order/${customerNumber}`;
      const secondCustomer = customerNumber + 1;
      const moved = orderPayload({ id: customerNumber, name: "#1", total_price: "10.00", customer: { id: secondCustomer } });
      expect(await deliver(webhookRequest(SHOP, "orders/updated", moved))).toBe(200);
      expect((await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: first } } })).customerShopifyId).toBe(
        `gid://shopify/Customer/${secondCustomer}`,
      );
      expect(await customer()).toMatchObject({ orderCount: 0, totalSpent: 0, lastOrderAt: null });
      const second = await db.customer.findUniqueOrThrow({
        where: { shop_shopifyId: { shop: SHOP, shopifyId: `gid://shopify/Customer/${secondCustomer}` } },
      });
      expect(second).toMatchObject({ orderCount: 2, totalSpent: 30 });
    });
  });
});
