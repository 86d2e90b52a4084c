import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { settled } from "../../../app/jobs/background.server";
import { action } from "../../../app/routes/webhooks";
import { orderPayload, shopPayload } from "../../emulator/rest-payloads";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { countRows, resetDatabase, seedTenant } from "../../support/fixtures";
import { installShop } from "../../support/sync-helpers";
import { webhookRequest } from "../../support/webhook-request";

// Issue #22: the HMAC signs the body only. A genuine signed delivery re-sent with edited headers
// (another topic, another shop) or a malformed signed body must be refused with a 4xx and change
// nothing; destructive topics are confirmed before anything is deleted. Each attack checks the
// database, not just the status.
const VICTIM = "victim-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const STRANGER = "never-installed.myshopify.com";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    shops: [
      { domain: VICTIM, size: "tiny", seed: 41 },
      { domain: OTHER, size: "tiny", seed: 42 },
    ],
  });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
});

let customerGid: string;
beforeEach(async () => {
  await resetDatabase();
  for (const shop of [VICTIM, OTHER]) {
    await seedTenant(shop);
    await installShop(emulator, shop); // a token Shopify (the emulator) accepts
  }
  customerGid = emulator.shop(VICTIM).data.customerGid(0);
  await db.customer.create({ data: { shop: VICTIM, shopifyId: customerGid, email: "held@example.com" } });
});

async function send(request: Request): Promise<{ status: number; text: string }> {
  try {
    const response = await action({ request, params: {}, context: {} });
    return { status: response.status, text: await response.text() };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
}

/** Every row of a shop except the webhook records (a refusal is recorded there). */
async function dataRows(shop: string) {
  return (await countRows(shop)) - (await db.webhookEvent.count({ where: { shop } }));
}

async function snapshot() {
  return {
    victim: await dataRows(VICTIM),
    other: await dataRows(OTHER),
    sessions: await db.session.count(),
    uninstalled: await db.shop.count({ where: { uninstalledAt: { not: null } } }),
    victimCustomer: await db.customer.count({ where: { shop: VICTIM, shopifyId: customerGid } }),
  };
}

/** A genuine customers/data_request body for the victim, as Shopify signs and sends it. */
function genuineDataRequest() {
  const [event] = emulator.mutate(VICTIM).requestCustomerData(customerGid, { deliver: false }).events;
  return event.payload as Record<string, unknown>;
}

describe("replayed deliveries with edited headers", () => {
  it.each(["shop/redact", "customers/redact", "app/uninstalled"])(
    "refuses a signed customers/data_request body re-sent as %s, and deletes nothing",
    async (topic) => {
      const body = genuineDataRequest();
      const before = await snapshot();
      const answer = await send(webhookRequest(VICTIM, topic, body));
      expect(answer.status).toBe(422);
      expect(answer.text).toMatch(new RegExp(`^The body does not have the shape of ${topic}: `));
      expect(await snapshot()).toEqual(before);
      const recorded = await db.webhookEvent.findFirstOrThrow({ where: { shop: VICTIM, topic } });
      expect(recorded.error).toMatch(/^refused: /);
    },
  );

  it("refuses the same body as shop/redact even once the shop is uninstalled", async () => {
    await db.session.deleteMany({ where: { shop: VICTIM } });
    await db.shop.update({ where: { shop: VICTIM }, data: { uninstalledAt: new Date() } });
    const before = await snapshot();
    expect((await send(webhookRequest(VICTIM, "shop/redact", genuineDataRequest()))).status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it.each(["customers/data_request", "customers/redact", "shop/redact"])(
    "refuses a signed body of one shop re-sent as %s under another shop's header",
    async (topic) => {
      const body = genuineDataRequest();
      if (topic === "customers/redact") {
        delete body.orders_requested;
        delete body.data_request;
        body.orders_to_redact = [];
      }
      if (topic === "shop/redact") for (const key of ["customer", "orders_requested", "data_request"]) delete body[key];
      const before = await snapshot();
      const answer = await send(webhookRequest(OTHER, topic, body));
      expect(answer.status).toBe(422);
      expect(answer.text).toBe(`The body names the shop "${VICTIM}", not ${OTHER} from X-Shopify-Shop-Domain`);
      expect(await snapshot()).toEqual(before);
      expect(
        await db.dataRequest.count({ where: { shop: OTHER, requestId: String((genuineDataRequest().data_request as { id: number }).id) } }),
      ).toBe(0);
    },
  );

  it("refuses app/uninstalled while Shopify still accepts the shop's token, and applies it once the token is revoked", async () => {
    const before = await snapshot();
    const forged = await send(webhookRequest(VICTIM, "app/uninstalled", shopPayload(emulator.shop(VICTIM))));
    expect(forged).toEqual({ status: 409, text: "Shopify still accepts the shop's access token: the app is installed" });
    expect(await snapshot()).toEqual(before);

    // The merchant really uninstalls: Shopify revokes the token, then sends app/uninstalled.
    const [event] = emulator.mutate(VICTIM).uninstallApp({ deliver: false }).events;
    expect((await send(webhookRequest(VICTIM, event.topic, event.payload))).status).toBe(200);
    expect(await db.session.count({ where: { shop: VICTIM } })).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: VICTIM } })).uninstalledAt).toBeInstanceOf(Date);
    expect(await dataRows(OTHER)).toBe(before.other);
    emulator.shop(VICTIM).installed = true;
  });

  it("refuses shop/redact for an installed shop", async () => {
    const before = await snapshot();
    const answer = await send(webhookRequest(VICTIM, "shop/redact", { shop_id: emulator.shop(VICTIM).shopId, shop_domain: VICTIM }));
    expect(answer).toEqual({ status: 409, text: "The shop is installed: shop/redact is not confirmed" });
    expect(await snapshot()).toEqual(before);
  });

  it("customers/redact for ids Kinship does not hold deletes nothing", async () => {
    const before = await snapshot();
    const body = { shop_id: 1, shop_domain: VICTIM, customer: { id: 999_999, email: null, phone: null }, orders_to_redact: [999_998] };
    expect((await send(webhookRequest(VICTIM, "customers/redact", body))).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });
});

describe("late deliveries for shops Kinship does not hold", () => {
  const lateOrder = () => orderPayload(emulator.shop(VICTIM), emulator.shop(VICTIM).data.order(0));

  it("writes nothing for a never-installed shop", async () => {
    for (const topic of ["orders/create", "customers/data_request", "customers/redact"]) {
      const request: Record<string, unknown> = { ...genuineDataRequest(), shop_domain: STRANGER };
      const redaction = { shop_id: 1, shop_domain: STRANGER, customer: request.customer, orders_to_redact: [] };
      const body = topic === "orders/create" ? lateOrder() : topic === "customers/redact" ? redaction : request;
      expect((await send(webhookRequest(STRANGER, topic, body))).status).toBe(200);
    }
    expect(await countRows(STRANGER)).toBe(0);
  });

  it("writes nothing for a redacted shop but the redaction's own record", async () => {
    const [uninstall] = emulator.mutate(VICTIM).uninstallApp({ deliver: false }).events;
    expect((await send(webhookRequest(VICTIM, uninstall.topic, uninstall.payload))).status).toBe(200);
    const [redact] = emulator.mutate(VICTIM).redactShop({ deliver: false }).events;
    expect((await send(webhookRequest(VICTIM, redact.topic, redact.payload, { webhookId: "redaction" }))).status).toBe(200);
    expect((await send(webhookRequest(VICTIM, "orders/create", lateOrder()))).status).toBe(200);
    expect((await send(webhookRequest(VICTIM, "customers/create", { id: 5, email: "back@example.com" }))).status).toBe(200);
    expect(await countRows(VICTIM)).toBe(1);
    expect(await db.webhookEvent.findFirstOrThrow({ where: { shop: VICTIM } })).toMatchObject({
      webhookId: "redaction",
      topic: "shop/redact",
      error: null,
    });
    emulator.shop(VICTIM).installed = true;
  });
});

describe("malformed signed deliveries", () => {
  const cases: Array<[string, () => Request, number, RegExp]> = [
    [
      "a body that is not JSON",
      () => webhookRequest(VICTIM, "orders/create", null, { body: '{"id": 1,' }),
      400,
      /^The webhook body is not JSON$/,
    ],
    [
      "a payload date that is not a date",
      () =>
        webhookRequest(VICTIM, "orders/create", {
          ...orderPayload(emulator.shop(VICTIM), emulator.shop(VICTIM).data.order(0)),
          updated_at: "yesterday",
        }),
      422,
      /updated_at: not a date \("yesterday"\)/,
    ],
    [
      "an X-Shopify-Triggered-At that is not a date",
      () => webhookRequest(VICTIM, "customers/update", { id: 1 }, { headers: { "X-Shopify-Triggered-At": "soon" } }),
      400,
      /^X-Shopify-Triggered-At is not a date$/,
    ],
    [
      "a shop header that is not a myshopify.com domain",
      () => webhookRequest("victim-shop.example.com", "customers/update", { id: 1 }),
      400,
      /^X-Shopify-Shop-Domain is not a myshopify.com domain$/,
    ],
    [
      "a shop header with a path in it",
      () => webhookRequest(`${VICTIM}/../${OTHER}`, "customers/update", { id: 1 }),
      400,
      /^X-Shopify-Shop-Domain is not/,
    ],
    [
      "an order id that is not a number",
      () =>
        webhookRequest(VICTIM, "orders/create", {
          ...orderPayload(emulator.shop(VICTIM), emulator.shop(VICTIM).data.order(0)),
          id: "1; DROP TABLE",
        }),
      422,
      /^The body does not have the shape of orders\/create: id: /,
    ],
  ];

  it.each(cases)("answers %s with a 4xx and a clear message, and writes nothing", async (_label, request, status, message) => {
    const before = { rows: await dataRows(VICTIM), other: await countRows(OTHER), all: await db.webhookEvent.count() };
    const answer = await send(request());
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(message);
    expect(await dataRows(VICTIM)).toBe(before.rows);
    expect(await countRows(OTHER)).toBe(before.other);
    // Only a 422 (a well-formed delivery for a held shop) leaves a record: its refusal.
    expect(await db.webhookEvent.count()).toBe(before.all + (status === 422 ? 1 : 0));
  });
});
