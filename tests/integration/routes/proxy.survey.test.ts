/**
 * "Ask after delivery" end to end against the emulator: fulfillment webhooks as Shopify sends them, the
 * "Kinship: ask for feedback" trigger fired once per delivered order with a Kinship-signed link, and the
 * app-proxy survey page behind Shopify's real signature check (authenticate.public.appProxy): forged,
 * altered, expired, foreign and replayed links are refused; an answer given on both surfaces is stored once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { applyFlowLifecycleNotice } from "../../../app/models/flow-usage.server";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { askDueInvites, askForFeedback } from "../../../app/jobs/ask-after-delivery.server";
import { STALE_CLAIM_MS } from "../../../app/jobs/feedback-alerts.server";
import { recordDelivery } from "../../../app/models/survey-invites.server";
import { settled } from "../../../app/jobs/background.server";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { createSurveyPage } from "../../../app/routes/proxy.survey";
import { signSurveyLink } from "../../../app/services/survey-link.server";
import { APP_PROXY, ASK_TRIGGER } from "../../../app/retention/feedback/ask-after-delivery";
import { UNHAPPY_TRIGGER } from "../../../app/retention/feedback/unhappy-alert";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import type { Emulator } from "../../emulator/server";
import { signAppProxyQuery } from "../../emulator/app-proxy";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { resetDatabase } from "../../support/fixtures";
import { installShop, waitFor } from "../../support/sync-helpers";
import { answer, call, customerToken, feedbackRequest, type RouteHandler } from "../../support/feedback";
import { TEST_API_SECRET, TEST_APP_URL } from "../../support/test-env";

const SHOP = "ask-after-delivery.myshopify.com";
const OTHER = "ask-other-shop.myshopify.com";
const DAY = 86_400_000;
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startAppWebhookServer>>;
let client: AdminClient;

beforeAll(async () => {
  const handles = [ASK_TRIGGER.handle, UNHAPPY_TRIGGER.handle];
  emulator = await startEmulatedShopify({
    shops: [
      { domain: SHOP, size: "tiny", seed: 5, flowTriggerHandles: handles },
      { domain: OTHER, size: "tiny", seed: 6, flowTriggerHandles: handles },
    ],
  });
  process.env.SHOPIFY_ADMIN_ORIGIN = emulator.url;
  app = await startAppWebhookServer();
  emulator.setAppUrl(app.url);
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
  await app?.close();
  await stopEmulatedShopify(emulator);
});

beforeEach(async () => {
  await resetDatabase();
  for (const shop of [SHOP, OTHER]) {
    emulator.shop(shop).flowTriggers.length = 0;
    await installShop(emulator, shop);
    await applyFlowLifecycleNotice(shop, { flowTriggerDefinitionId: ASK_TRIGGER.handle, hasEnabledFlow: true, timestamp: new Date() });
  }
  client = await installShop(emulator, SHOP);
});

const asks = (shop = SHOP) => emulator.shop(shop).flowTriggers.filter((t) => t.handle === ASK_TRIGGER.handle);
const surveyLinks = (shop = SHOP) => asks(shop).map((t) => (t.payload as { surveyUrl: string }).surveyUrl);

/** A new order of the shop's first customer, synced through orders/create. */
async function syncedOrder(shop = SHOP): Promise<{ id: number; gid: string }> {
  const customer = emulator.shop(shop).data.customerGid(0);
  const { record, delivered } = emulator.mutate(shop).createOrder({ customerId: customer, total: "40.00" });
  await delivered;
  const gid = `gid://shopify/Order/${record.id}`;
  await waitFor(() => db.order.findFirst({ where: { shop, shopifyId: gid } }), "the order to sync");
  return { id: record.id, gid };
}

/** Ships the order with tracking and has the carrier deliver it; returns once the app has acted on it. */
async function deliver(orderId: number, shop = SHOP) {
  const mutate = emulator.mutate(shop);
  const { record, delivered } = mutate.fulfillOrder(orderId, { tracking: { company: "UPS", number: `1Z${orderId}` } });
  await delivered;
  await mutate.addFulfillmentEvent(record.id, "in_transit").delivered;
  const event = mutate.addFulfillmentEvent(record.id, "delivered");
  await event.delivered;
  await settled();
  return event;
}

/** The storefront request Shopify forwards to the app for a survey link (signed now, as Shopify would). */
function proxied(link: string, options: { method?: string; body?: string; headers?: Record<string, string>; shop?: string } = {}) {
  const url = new URL(link);
  const shop = options.shop ?? url.hostname;
  const query = signAppProxyQuery(
    {
      shop,
      pathPrefix: `/${APP_PROXY.prefix}/${APP_PROXY.subpath}`,
      query: url.searchParams,
      timestamp: Math.floor(Date.now() / 1000),
    },
    TEST_API_SECRET,
  );
  const rest = url.pathname.replace(`/${APP_PROXY.prefix}/${APP_PROXY.subpath}`, "");
  return new Request(`${TEST_APP_URL}${APP_PROXY.appPath}${rest}?${query.toString()}`, {
    method: options.method ?? "GET",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
    body: options.body,
  });
}

const page = createSurveyPage({ log: () => {} }) as (request: Request) => Promise<Response>;
const open = async (request: Request) => call(({ request: r }) => page(r), request);
const post = (link: string, body: string, extra: Parameters<typeof proxied>[1] = {}) =>
  open(proxied(link, { method: "POST", body, ...extra }));
const checkout = createFeedbackAction({
  adminClient: async () => client,
  thankYouReward: async () => null,
  log: () => {},
}) as unknown as RouteHandler;

describe("a delivered order", () => {
  it("produces one signed survey link, whatever repeats (duplicate events, ticks)", async () => {
    const order = await syncedOrder();
    const event = await deliver(order.id);
    expect(surveyLinks()).toHaveLength(1);
    const link = new URL(surveyLinks()[0]);
    expect(`${link.origin}${link.pathname}`).toBe(`https://${SHOP}/apps/kinship/survey`);
    expect(link.searchParams.get("order")).toBe(String(order.id));
    expect(asks()[0].payload).toMatchObject({ order_id: order.id });

    // Shopify redelivers the event, the carrier repeats it, the scheduler ticks: still one.
    await emulator.deliverWebhook(SHOP, "fulfillment_events/create", event.events[0].payload, { duplicate: true });
    await emulator.mutate(SHOP).addFulfillmentEvent(event.record.id, "delivered").delivered;
    await settled();
    expect(await askDueInvites(SHOP, { client: async () => client, now: new Date(), appSecret: TEST_API_SECRET })).toMatchObject({
      fired: 0,
    });
    expect(surveyLinks()).toHaveLength(1);
    // A copy arriving while its twin is being applied may get 409 (Shopify retries it); nothing failed.
    expect(app.answers.filter((a) => a.status >= 500 || (a.status >= 400 && a.status !== 409))).toEqual([]);
  });

  it("is not asked when the customer already answered at checkout", async () => {
    const order = await syncedOrder();
    const customer = emulator.shop(SHOP).data.customerGid(0);
    expect(
      (await call(checkout, feedbackRequest(answer(order.id, { score: 9, reasons: [] }), await customerToken(SHOP, customer)))).status,
    ).toBe(200);
    await deliver(order.id);
    expect(asks()).toHaveLength(0);
    expect(await db.surveyInvite.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({ askStatus: "answered" });
  });

  it("without tracking, is asked N shop-local days after fulfilment by the scheduler, not before", async () => {
    await saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 6, firstResponseTargetMs: DAY, askAfterDays: 3 } });
    const order = await syncedOrder();
    const fulfilledAt = new Date("2026-12-01T12:00:00Z");
    await emulator.mutate(SHOP).fulfillOrder(order.id, { at: fulfilledAt }).delivered;
    await settled();
    const tick = (now: Date) => askDueInvites(SHOP, { client: async () => client, now, appSecret: TEST_API_SECRET });
    expect(await tick(new Date(fulfilledAt.getTime() + 1 * DAY))).toMatchObject({ fired: 0 });
    expect(asks()).toHaveLength(0);
    expect(await tick(new Date(fulfilledAt.getTime() + 3 * DAY + 12 * 3_600_000))).toMatchObject({ fired: 1 });
    expect(await tick(new Date(fulfilledAt.getTime() + 4 * DAY))).toMatchObject({ fired: 0 });
    expect(asks()).toHaveLength(1);
  });
});

describe("the ask-for-feedback trigger's exactly-once rules", () => {
  const deps = (overrides: Partial<Parameters<typeof askForFeedback>[2]> = {}) => ({
    client: async () => client,
    now: new Date(),
    appSecret: TEST_API_SECRET,
    ...overrides,
  });

  it("sends nothing while no enabled workflow uses Kinship's triggers", async () => {
    await applyFlowLifecycleNotice(SHOP, {
      flowTriggerDefinitionId: ASK_TRIGGER.handle,
      hasEnabledFlow: false,
      timestamp: new Date(Date.now() + 1000),
    });
    await recordDelivery(SHOP, "gid://shopify/Order/8101", new Date());
    expect(await askForFeedback(SHOP, "gid://shopify/Order/8101", deps())).toBe("noWorkflow");
    expect(asks()).toHaveLength(0);
  });

  it("gives the claim back when Shopify is unreachable, and the next tick asks once", async () => {
    await recordDelivery(SHOP, "gid://shopify/Order/8102", new Date());
    const down = { mutate: async () => Promise.reject(new TypeError("fetch failed")) } as unknown as AdminClient;
    expect(await askForFeedback(SHOP, "gid://shopify/Order/8102", deps({ client: async () => down }))).toBe("retryLater");
    expect(await db.surveyInvite.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({ askStatus: null, askError: "fetch failed" });
    expect(await askDueInvites(SHOP, deps())).toMatchObject({ fired: 1 });
    expect(await askDueInvites(SHOP, deps())).toMatchObject({ fired: 0 });
    expect(surveyLinks()).toHaveLength(1);
  });

  it("releases a claim left by a process that died, only once it is stale", async () => {
    await recordDelivery(SHOP, "gid://shopify/Order/8103", new Date());
    const now = new Date();
    await db.surveyInvite.updateMany({
      where: { shop: SHOP },
      data: { askStatus: "claimed", askAt: new Date(now.getTime() - STALE_CLAIM_MS / 2) },
    });
    expect(await askDueInvites(SHOP, deps({ now }))).toMatchObject({ fired: 0 });
    const later = new Date(now.getTime() + STALE_CLAIM_MS);
    expect(await askDueInvites(SHOP, deps({ now: later }))).toMatchObject({ fired: 1 });
    expect(surveyLinks()).toHaveLength(1);
  });
});

describe("the survey page behind the app proxy", () => {
  let link: string;
  let orderGid: string;

  beforeEach(async () => {
    const order = await syncedOrder();
    orderGid = order.gid;
    await deliver(order.id);
    link = surveyLinks()[0];
  });

  it("shows the questions for a genuine link, in the shopper's language", async () => {
    const en = await open(proxied(link));
    expect(en.status).toBe(200);
    expect(en.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(en.body).toContain("How likely are you to recommend us to a friend?");
    expect(en.body).not.toMatch(/\{%|\{\{|<script|https?:\/\/(?!.*shopify\.com)/);
    const uk = await open(proxied(link, { headers: { "Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5" } }));
    expect(uk.body).toContain('lang="uk"');
    const url = new URL(link);
    url.searchParams.set("locale", "hr");
    expect((await open(proxied(url.toString(), { headers: { "Accept-Language": "uk" } }))).body).toContain('lang="hr"');
  });

  it("refuses a request Shopify did not sign (400), and links Kinship did not make (403) or that expired (410)", async () => {
    const unsigned = proxied(link);
    const tampered = new URL(unsigned.url);
    tampered.searchParams.set("order", "1");
    expect((await open(new Request(tampered))).status).toBe(400);

    const otherOrder = new URL(link);
    otherOrder.searchParams.set("order", String(Number(otherOrder.searchParams.get("order")) + 1));
    expect((await open(proxied(otherOrder.toString()))).status).toBe(403);
    const longer = new URL(link);
    longer.searchParams.set("expires", String(Number(longer.searchParams.get("expires")) + 86_400));
    expect((await open(proxied(longer.toString()))).status).toBe(403);
    const forged = new URL(link);
    forged.searchParams.set("token", "A".repeat(43));
    expect((await open(proxied(forged.toString()))).status).toBe(403);
    // The same link through another shop's storefront: Kinship signed it for this shop only.
    expect((await open(proxied(link, { shop: OTHER }))).status).toBe(403);
    // A link signed with another secret (someone else's app) is refused too.
    expect((await open(proxied(signSurveyLink("another-secret", SHOP, orderGid, new Date(Date.now() + DAY))))).status).toBe(403);

    const expired = signSurveyLink(TEST_API_SECRET, SHOP, orderGid, new Date(Date.now() - 1000));
    expect((await open(proxied(expired))).status).toBe(410);
    expect(await db.feedback.count()).toBe(0);
  });

  it("stores one answer and refuses the replay, whichever surface it comes from", async () => {
    const first = await post(link, "score=4&reasons=delivery&reasons=price&comment=Box+was+crushed");
    expect(first.status).toBe(200);
    expect(await db.feedback.findMany({ where: { shop: SHOP } })).toEqual([
      expect.objectContaining({
        orderShopifyId: orderGid,
        score: 4,
        reasons: "delivery,price",
        comment: "Box was crushed",
        source: "afterDelivery",
      }),
    ]);
    // The same form again (a double submit, a replayed request, the back button): refused, nothing rewritten.
    expect((await post(link, "score=10")).status).toBe(409);
    expect((await open(proxied(link))).status).toBe(409);
    // The checkout survey for the same order afterwards: accepted as before, but the first answer stands.
    const customer = emulator.shop(SHOP).data.customerGid(0);
    const orderNumber = orderGid.split("/").at(-1)!;
    expect(
      (await call(checkout, feedbackRequest(answer(orderNumber, { score: 10, reasons: [] }), await customerToken(SHOP, customer)))).status,
    ).toBe(200);
    expect(await db.feedback.findMany({ where: { shop: SHOP } })).toEqual([expect.objectContaining({ score: 4, source: "afterDelivery" })]);
  });

  it("refuses the page once the checkout survey answered first (one answer per order)", async () => {
    const customer = emulator.shop(SHOP).data.customerGid(0);
    const orderNumber = orderGid.split("/").at(-1)!;
    expect(
      (await call(checkout, feedbackRequest(answer(orderNumber, { score: 8, reasons: [] }), await customerToken(SHOP, customer)))).status,
    ).toBe(200);
    expect((await post(link, "score=2")).status).toBe(409);
    expect(await db.feedback.findMany({ where: { shop: SHOP } })).toEqual([expect.objectContaining({ score: 8, source: "checkout" })]);
  });

  it("answers concurrent submissions with one stored answer", async () => {
    const statuses = (await Promise.all([post(link, "score=3"), post(link, "score=7"), post(link, "score=9")])).map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    expect(await db.feedback.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("applies the checkout survey's rules to the answer (400 with the form again; nothing stored)", async () => {
    for (const body of ["", "score=11", "score=abc", `score=5&comment=${"x".repeat(2001)}`, "score=3&reasons=hacked"]) {
      const answered = await post(link, body);
      expect(answered.status, body).toBe(400);
      expect(answered.body).toContain('role="alert"');
    }
    expect(await db.feedback.count()).toBe(0);
    // Reasons belong to low scores, as at checkout: a 9 keeps none.
    expect((await post(link, "score=9&reasons=price")).status).toBe(200);
    expect(await db.feedback.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({ score: 9, reasons: "" });
  });

  it("alerts a low answer through the unhappy-customer trigger, once", async () => {
    await applyFlowLifecycleNotice(SHOP, { flowTriggerDefinitionId: UNHAPPY_TRIGGER.handle, hasEnabledFlow: true, timestamp: new Date() });
    expect((await post(link, "score=2&reasons=delivery")).status).toBe(200);
    const alerts = emulator.shop(SHOP).flowTriggers.filter((t) => t.handle === UNHAPPY_TRIGGER.handle);
    expect(alerts.map((a) => a.payload)).toEqual([expect.objectContaining({ score: 2, reasons: "delivery" })]);
  });
});
