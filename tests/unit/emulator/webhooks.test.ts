import "@shopify/shopify-api/adapters/node";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adminGraphql } from "../../emulator/client";
import { startEmulator, type Emulator } from "../../emulator/server";
import { WebhookSender } from "../../emulator/webhooks";
import { API_KEY, API_SECRET } from "../../support/emulator-helpers";

const SHOP = "hooks.myshopify.com";

interface Received {
  headers: IncomingMessage["headers"];
  raw: string;
  body: Record<string, unknown>;
  libraryValid: boolean;
}

describe("webhooks to the app", () => {
  let emulator: Emulator;
  let server: Server;
  let received: Received[] = [];
  let failuresLeft = 0;
  const shopify = shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: API_SECRET,
    hostName: "kinship.example.test",
    apiVersion: ApiVersion.April26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const check = await shopify.webhooks.validate({ rawBody: raw, rawRequest: req, rawResponse: res });
        received.push({ headers: req.headers, raw, body: JSON.parse(raw), libraryValid: check.valid });
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          res.writeHead(500).end();
        } else res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      webhookDelivery: { retryDelaysMs: [5] },
      shops: [{ domain: SHOP, size: "tiny", seed: 4 }],
    });
  });
  beforeEach(() => {
    received = [];
    failuresLeft = 0;
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("signs the raw body with the app secret using the standard HMAC formula, with Shopify's headers", async () => {
    const payload = { id: 1, note: "ünïcode ✓" };
    await emulator.deliverWebhook(SHOP, "orders/create", payload, { webhookId: "fixed-id" });
    expect(received).toHaveLength(1);
    const [hit] = received;
    const expected = createHmac("sha256", API_SECRET).update(hit.raw, "utf8").digest("base64");
    const given = String(hit.headers["x-shopify-hmac-sha256"]);
    expect(timingSafeEqual(Buffer.from(given), Buffer.from(expected))).toBe(true);
    expect(hit.libraryValid).toBe(true);
    expect(hit.headers).toMatchObject({
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-webhook-id": "fixed-id",
      "x-shopify-api-version": "2026-04",
      "content-type": "application/json",
    });
    expect(hit.headers["x-shopify-event-id"]).toBeTruthy();
    expect(Date.parse(String(hit.headers["x-shopify-triggered-at"]))).not.toBeNaN();
    expect(hit.body).toEqual(payload);
  });

  it("retries non-2xx answers with the same webhook id until delivered", async () => {
    failuresLeft = 2;
    const [delivery] = await emulator.deliverWebhook(SHOP, "customers/update", { id: 2 });
    expect(delivery.delivered).toBe(true);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(new Set(received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
  });

  it("sends duplicates on purpose", async () => {
    await emulator.deliverWebhook(SHOP, "orders/updated", { id: 3 }, { duplicate: 2 });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
  });

  it("emits REST-shaped order payloads from mutations, and lets tests deliver them out of order", async () => {
    const mutate = emulator.mutate(SHOP);
    const data = emulator.shop(SHOP).data;
    const orderIndex = Array.from({ length: data.orderCount }, (_, i) => i).find((i) => {
      const s = data.orderSummary(i);
      return s.customerIndex >= 0 && !s.cancelled && !s.test && s.refundedCents === 0;
    })!;
    const orderId = data.orderGid(orderIndex);

    const first = mutate.refundOrder(orderId, 500, { deliver: false });
    const second = mutate.cancelOrder(orderId, { reason: "CUSTOMER" }, { deliver: false });
    // Out of order on purpose: the newer cancellation first, then the older refund update.
    for (const event of [...second.events, ...first.events]) {
      await emulator.deliverWebhook(SHOP, event.topic, event.payload);
    }
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["orders/cancelled", "orders/updated", "orders/updated"]);
    const cancelled = received[0].body;
    expect(cancelled).toMatchObject({
      id: Number(orderId.split("/").pop()),
      admin_graphql_api_id: orderId,
      currency: "USD",
      test: false,
      financial_status: "refunded",
      cancel_reason: "customer",
      customer: { admin_graphql_api_id: data.customerGid(data.orderSummary(orderIndex).customerIndex) },
    });
    expect(cancelled.cancelled_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(cancelled.total_price).toMatch(/^\d+\.\d{2}$/);
    expect(Date.parse(String(received[2].body.updated_at))).toBeLessThan(Date.parse(String(cancelled.updated_at)));
    expect((received[2].body.refunds as unknown[]).length).toBe(1);
  });

  it("sends customer.tags_added (and a customers/update without tags) after tagsAdd through the API, and bulk_operations/finish after a bulk query", async () => {
    const token = emulator.issueAccessToken(SHOP).accessToken;
    const customerId = emulator.shop(SHOP).data.customerGid(0);
    await adminGraphql(emulator.url, token, `mutation($id: ID!) { tagsAdd(id: $id, tags: ["vip"]) { userErrors { message } } }`, {
      id: customerId,
    });
    const run = await adminGraphql<{ bulkOperationRunQuery: { bulkOperation: { id: string } } }>(
      emulator.url,
      token,
      `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { id } } }`,
    );
    const id = run.body.data!.bulkOperationRunQuery.bulkOperation.id;
    await emulator.waitForBulkOperation(SHOP, id);
    await emulator.webhooks.drain();
    const update = received.find((r) => r.headers["x-shopify-topic"] === "customers/update")!;
    expect(update.body).toMatchObject({ admin_graphql_api_id: customerId });
    // 2026-04: no customer payload carries tags or consents (changelog, effective 2025-01).
    for (const removed of ["tags", "email_marketing_consent", "sms_marketing_consent"]) expect(update.body).not.toHaveProperty(removed);
    const added = received.find((r) => r.headers["x-shopify-topic"] === "customer.tags_added")!;
    expect(added.body).toEqual({ customerId, tags: ["vip"], occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    const finish = received.find((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish")!;
    expect(Object.keys(finish.body).sort()).toEqual(["admin_graphql_api_id", "completed_at", "created_at", "error_code", "status", "type"]);
    expect(finish.body).toMatchObject({ admin_graphql_api_id: id, status: "completed", type: "query", error_code: null });
  });

  it("keeps one of each tag when the merchant adds a tag the customer already has, in any case", async () => {
    const mutate = emulator.mutate(SHOP);
    const customerId = emulator.shop(SHOP).data.customerGid(1);
    mutate.updateCustomer(customerId, { tags: ["Gold"] }, { deliver: false });
    const { record, events } = mutate.updateCustomer(customerId, { tags: ["Gold", "gold", "vip"] }, { deliver: false });
    expect(record.tags).toEqual(["Gold", "vip"]);
    expect(emulator.shop(SHOP).data.customer(mutate.customerIndex(customerId)).tags).toEqual(["Gold", "vip"]);
    expect(events.filter((e) => e.topic === "customer.tags_added").map((e) => e.payload)).toEqual([
      expect.objectContaining({ tags: ["vip"] }),
    ]);
  });

  it("revokes tokens on app/uninstalled and sends the privacy topics", async () => {
    const mutate = emulator.mutate(SHOP);
    const customerId = emulator.shop(SHOP).data.customerGid(1);
    await mutate.requestCustomerData(customerId).delivered;
    await mutate.redactCustomer(customerId).delivered;
    await mutate.redactShop().delivered;
    await mutate.uninstallApp().delivered;
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual([
      "customers/data_request",
      "customers/redact",
      "shop/redact",
      "app/uninstalled",
    ]);
    expect(received[1].body).toMatchObject({ shop_domain: SHOP, customer: { id: Number(customerId.split("/").pop()) } });
    expect(received[3].body).toMatchObject({ myshopify_domain: SHOP });
  });
});

describe("a burst of webhooks to one app", () => {
  it("keeps a few deliveries in flight and queues the rest, every one delivered once", async () => {
    let inFlight = 0;
    let most = 0;
    const ids: string[] = [];
    const app = createServer((req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      ids.push(String(req.headers["x-shopify-webhook-id"]));
      req.resume();
      // Each answer takes a moment, so the next deliveries arrive while it is open (pacing, not asserted).
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200).end();
      }, 25);
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const sender = new WebhookSender({ apiSecret: API_SECRET, maxInFlightPerApp: 3 });
    try {
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/webhooks`;
      const deliveries = Array.from({ length: 40 }, (_, i) => sender.send(sender.prepare(SHOP, "customers/update", { id: i }), url)).flat();
      await sender.drain();
      expect(deliveries.every((d) => d.delivered && d.attempts.length === 1)).toBe(true);
      expect(new Set(ids).size).toBe(40);
      expect(most).toBe(3);
    } finally {
      await sender.close();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
