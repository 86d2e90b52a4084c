/**
 * "Kinship: unhappy customer" against the emulator: one Flow alert per low answer, from the request
 * that stored it, under double submits, retries, Shopify outages and crashed claims; nothing without
 * an enabled workflow (Flow's lifecycle callback); the navigation's count of items past half the target.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { applyFlowLifecycleNotice } from "../../../app/models/flow-usage.server";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { alertUnhappyCustomer, retryUnsentAlerts, STALE_CLAIM_MS } from "../../../app/jobs/feedback-alerts.server";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { followUpsPastHalfTarget } from "../../../app/services/feedback-overview.server";
import { UNHAPPY_TRIGGER, feedbackItemUrl } from "../../../app/retention/feedback/unhappy-alert";
import { FLOW_TRIGGER_HANDLE } from "../../../app/retention/rewards";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop } from "../../support/sync-helpers";
import { crashFirstMutation } from "../../support/rules";
import { answer, call, checkoutToken, customerToken, feedbackRequest, type RouteHandler } from "../../support/feedback";

const SHOP = "unhappy-alerts.myshopify.com";
const HOUR = 3_600_000;
let emulator: Emulator;
let client: AdminClient;
let customer: string;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    shops: [{ domain: SHOP, size: "tiny", seed: 17, flowTriggerHandles: [FLOW_TRIGGER_HANDLE, UNHAPPY_TRIGGER.handle] }],
  });
  process.env.SHOPIFY_ADMIN_ORIGIN = emulator.url;
  customer = emulator.shop(SHOP).data.customerGid(0);
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
  await stopEmulatedShopify(emulator);
});

beforeEach(async () => {
  await resetDatabase();
  emulator.shop(SHOP).flowTriggers.length = 0;
  client = await installShop(emulator, SHOP);
  await db.customer.create({ data: { shop: SHOP, shopifyId: customer, email: "buyer@example.com", orderCount: 1, predictedClv: 412.5 } });
  await db.order.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Order/7001",
      customerShopifyId: customer,
      name: "#7001",
      processedAt: new Date(Date.now() - 2 * 86_400_000),
      totalPrice: 80,
      netTotal: 80,
      currencyCode: "EUR",
    },
  });
  await saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 8, firstResponseTargetMs: 24 * HOUR } });
  // Flow's lifecycle callback said a workflow uses Kinship's triggers.
  await applyFlowLifecycleNotice(SHOP, { flowTriggerDefinitionId: UNHAPPY_TRIGGER.handle, hasEnabledFlow: true, timestamp: new Date() });
});

const alerts = () => emulator.shop(SHOP).flowTriggers.filter((t) => t.handle === UNHAPPY_TRIGGER.handle);

/** The real endpoint, its Shopify work through the app's own client against the emulator. */
function endpoint(adminClient: AdminClient = client) {
  return createFeedbackAction({
    adminClient: async () => adminClient,
    thankYouReward: async () => null,
    log: () => {},
  }) as unknown as RouteHandler;
}

describe("the unhappy-customer alert", () => {
  it("fires once for a 7 with the threshold at 8, whatever the double submits and ticks", async () => {
    const action = endpoint();
    const body = answer(7001, { score: 7, reasons: ["delivery", "price"] });
    const token = await customerToken(SHOP, customer);
    const [first, second] = await Promise.all([call(action, feedbackRequest(body, token)), call(action, feedbackRequest(body, token))]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await call(action, feedbackRequest({ ...body, score: 5 }, await customerToken(SHOP, customer)));
    expect(await retryUnsentAlerts(SHOP, client, new Date())).toMatchObject({ fired: 0 });

    const item = await db.feedback.findFirstOrThrow({ where: { shop: SHOP } });
    expect(item).toMatchObject({ alertStatus: "fired" });
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0].payload).toEqual({
      order_id: 7001,
      score: 7,
      reasons: "delivery, price",
      valueAtRisk: 412.5,
      currencyCode: emulator.shop(SHOP).currency,
      itemUrl: feedbackItemUrl(SHOP, item.id),
    });
    expect(feedbackItemUrl(SHOP, item.id)).toBe(`https://admin.shopify.com/store/unhappy-alerts/apps/kinship/app/feedback/${item.id}`);
  });

  it("alerts a guest's answer for an order Kinship has not synced, and never a score above the threshold", async () => {
    const action = endpoint();
    await call(action, feedbackRequest(answer(9100, { score: 9, reasons: [] }), await checkoutToken(SHOP)));
    expect(alerts()).toHaveLength(0);
    await call(action, feedbackRequest(answer(9101, { score: 2, reasons: [] }), await checkoutToken(SHOP)));
    expect(alerts().map((a) => a.payload)).toEqual([
      expect.objectContaining({ order_id: 9101, score: 2, reasons: "none", valueAtRisk: 0 }),
    ]);
  });

  it("sends nothing when no enabled workflow uses Kinship's triggers (Flow's lifecycle callback)", async () => {
    await applyFlowLifecycleNotice(SHOP, {
      flowTriggerDefinitionId: UNHAPPY_TRIGGER.handle,
      hasEnabledFlow: false,
      timestamp: new Date(Date.now() + 1000),
    });
    await call(endpoint(), feedbackRequest(answer(7001, { score: 3 }), await customerToken(SHOP, customer)));
    expect(alerts()).toHaveLength(0);
    expect(await db.feedback.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({ alertStatus: "noWorkflow" });
    // Turning a workflow on later does not send yesterday's answers.
    await applyFlowLifecycleNotice(SHOP, {
      flowTriggerDefinitionId: UNHAPPY_TRIGGER.handle,
      hasEnabledFlow: true,
      timestamp: new Date(Date.now() + 2000),
    });
    await retryUnsentAlerts(SHOP, client, new Date());
    expect(alerts()).toHaveLength(0);
  });

  it("keeps the answer when Shopify is down and sends the alert once on the next tick", async () => {
    const down = crashFirstMutation(client, "flowTriggerReceive", "beforeSend", async () => {});
    const res = await call(endpoint(down), feedbackRequest(answer(7001, { score: 4 }), await customerToken(SHOP, customer)));
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(alerts()).toHaveLength(0);
    expect(await db.feedback.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      alertStatus: null,
      alertError: expect.any(String),
    });

    expect(await retryUnsentAlerts(SHOP, client, new Date())).toMatchObject({ fired: 1 });
    expect(await retryUnsentAlerts(SHOP, client, new Date())).toMatchObject({ fired: 0 });
    expect(alerts()).toHaveLength(1);
  });

  it("re-sends a claim left by a process that died only after it is stale, and then once", async () => {
    await call(endpoint(), feedbackRequest(answer(7001, { score: 6 }), await customerToken(SHOP, customer)));
    emulator.shop(SHOP).flowTriggers.length = 0;
    const item = await db.feedback.findFirstOrThrow({ where: { shop: SHOP } });
    // As if the process had died between the claim and Flow's answer.
    const claimedAt = new Date();
    await db.feedback.update({ where: { id: item.id }, data: { alertStatus: "claimed", alertAt: claimedAt } });
    await retryUnsentAlerts(SHOP, client, new Date(claimedAt.getTime() + STALE_CLAIM_MS - 1000));
    expect(alerts()).toHaveLength(0);
    await retryUnsentAlerts(SHOP, client, new Date(claimedAt.getTime() + STALE_CLAIM_MS + 1000));
    await retryUnsentAlerts(SHOP, client, new Date(claimedAt.getTime() + STALE_CLAIM_MS + 2000));
    expect(alerts()).toHaveLength(1);
  });

  it("fails the item (no retry) when Flow refuses the trigger, e.g. the extension is not deployed", async () => {
    emulator.shop(SHOP).flowTriggerHandles = [FLOW_TRIGGER_HANDLE];
    try {
      await call(endpoint(), feedbackRequest(answer(7001, { score: 1 }), await customerToken(SHOP, customer)));
      const item = await db.feedback.findFirstOrThrow({ where: { shop: SHOP } });
      expect(item).toMatchObject({ alertStatus: "failed", alertError: expect.stringContaining("Invalid handle") });
      expect(await alertUnhappyCustomer(SHOP, item.id, { client: async () => client, now: new Date() })).toBe("alreadySent");
    } finally {
      emulator.shop(SHOP).flowTriggerHandles = [FLOW_TRIGGER_HANDLE, UNHAPPY_TRIGGER.handle];
    }
  });
});

describe("the navigation's count", () => {
  it("counts open low answers without a response past half the first-response target", async () => {
    const now = new Date();
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
    const rows = [
      { n: 1, score: 3, createdAt: at(13) }, // past half of 24 h: counted
      { n: 2, score: 8, createdAt: at(30) }, // past the whole target: counted
      { n: 3, score: 3, createdAt: at(11) }, // not yet half
      { n: 4, score: 9, createdAt: at(20) }, // not low
      { n: 5, score: 2, createdAt: at(20), firstResponseAt: at(19) }, // answered
      { n: 6, score: 2, createdAt: at(20), status: "resolved" },
    ];
    for (const r of rows) {
      await db.feedback.create({
        data: {
          shop: SHOP,
          orderShopifyId: `gid://shopify/Order/${600 + r.n}`,
          score: r.score,
          createdAt: r.createdAt,
          firstResponseAt: r.firstResponseAt ?? null,
          status: r.status ?? "open",
        },
      });
    }
    expect(await followUpsPastHalfTarget(SHOP, now)).toBe(2);
    await saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 8, firstResponseTargetMs: 4 * HOUR } });
    expect(await followUpsPastHalfTarget(SHOP, now)).toBe(3);
  });
});
