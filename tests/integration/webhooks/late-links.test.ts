/**
 * Late links (issue #17): a guest answers before Kinship has synced the order. When orders/create
 * arrives and names the customer, the answer, the birthday given with consent and the thank-you
 * reward reach that customer, once, against the emulator's Shopify.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { settled } from "../../../app/jobs/background.server";
import { createRule } from "../../../app/models/rules.server";
import { validateRuleInput, type RuleDraft } from "../../../app/retention/rewards";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { action as webhooksAction } from "../../../app/routes/webhooks";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop } from "../../support/sync-helpers";
import { answer, call, checkoutToken, feedbackRequest, type RouteHandler } from "../../support/feedback";
import { webhookRequest } from "../../support/webhook-request";

const SHOP = "late-links.myshopify.com";
const ORDER = 95_001;
let emulator: Emulator;
let customer: string;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, size: "tiny", seed: 23 }] });
  process.env.SHOPIFY_ADMIN_ORIGIN = emulator.url;
  customer = emulator.shop(SHOP).data.customerGid(0);
});

afterAll(async () => {
  await settled();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
  await stopEmulatedShopify(emulator);
});

beforeEach(async () => {
  await resetDatabase();
  const state = emulator.shop(SHOP);
  for (const id of [...state.discounts.byId.keys()]) state.discounts.delete(id);
  await installShop(emulator, SHOP);
  const parsed = validateRuleInput(
    { kind: "feedbackThanks", name: "Thanks", reward: { type: "percentage", percentage: 10 }, validityDays: 30 },
    { knownTiers: [] },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  await createRule(SHOP, parsed.rule as RuleDraft);
});

async function deliverOrder(webhookId: string, topic = "orders/create") {
  const number = Number(customer.split("/").pop());
  const payload = {
    id: ORDER,
    name: `#${ORDER}`,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    total_price: "42.00",
    currency: "EUR",
    customer: { id: number, first_name: "Iva", updated_at: new Date().toISOString() },
  };
  const response = await webhooksAction({ request: webhookRequest(SHOP, topic, payload, { webhookId }), params: {}, context: {} });
  await settled();
  return response.status;
}

const discountsOfCustomer = () =>
  [...emulator.shop(SHOP).discounts.byId.values()].filter(
    (d) => d.context.type === "customers" && d.context.customerIds.includes(customer),
  );

describe("a guest's answer whose order syncs later", () => {
  it("links the answer, the consented birthday and the thank-you reward to the order's customer, once", async () => {
    const action = createFeedbackAction({ log: () => {} }) as unknown as RouteHandler;
    const res = await call(
      action,
      feedbackRequest(
        answer(ORDER, {
          score: 9,
          reasons: [],
          comment: null,
          birthday: "1990-05-17",
          birthdayConsent: true,
          consentTextVersion: "survey-birthday-1",
        }),
        await checkoutToken(SHOP),
      ),
    );
    // Nobody to give a birthday or a code to yet: the answer keeps the birthday.
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(await db.feedback.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      customerShopifyId: null,
      guestBirthday: "1990-05-17",
    });
    expect(discountsOfCustomer()).toHaveLength(0);

    expect(await deliverOrder("order-create-1")).toBe(200);

    const linked = await db.feedback.findFirstOrThrow({ where: { shop: SHOP } });
    expect(linked).toMatchObject({ customerShopifyId: customer, guestBirthday: null, guestConsentAt: null });
    expect((await db.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: customer } })).birthday).toBe("1990-05-17");
    expect(emulator.shop(SHOP).metafields.get(customer, "facts", "birth_date")?.value).toBe("1990-05-17");
    expect(await db.consentRecord.findMany({ where: { shop: SHOP, customerShopifyId: customer } })).toEqual([
      expect.objectContaining({ purpose: "birthday", granted: true, source: "checkoutSurvey", textVersion: "survey-birthday-1" }),
    ]);
    expect(discountsOfCustomer()).toHaveLength(1);
    const ledger = await db.issuedDiscount.findMany({ where: { shop: SHOP, customerShopifyId: customer } });
    expect(ledger).toHaveLength(1);
    expect(ledger[0].code).toBe(discountsOfCustomer()[0].codes[0].code);

    // Later syncs of the same order (an edit, a redelivery) link nothing twice.
    expect(await deliverOrder("order-updated-1", "orders/updated")).toBe(200);
    expect(await deliverOrder("order-create-1")).toBe(200);
    expect(discountsOfCustomer()).toHaveLength(1);
    expect(await db.consentRecord.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("never moves an answer that already has a customer, and keeps no birthday given without consent", async () => {
    const other = "gid://shopify/Customer/424242";
    await db.feedback.create({ data: { shop: SHOP, orderShopifyId: `gid://shopify/Order/${ORDER}`, customerShopifyId: other, score: 3 } });
    expect(await deliverOrder("order-create-2")).toBe(200);
    expect((await db.feedback.findFirstOrThrow({ where: { shop: SHOP } })).customerShopifyId).toBe(other);
    expect(discountsOfCustomer()).toHaveLength(0);

    const refused = await call(
      createFeedbackAction({ log: () => {} }) as unknown as RouteHandler,
      feedbackRequest(answer(ORDER + 1, { birthday: "1990-05-17", birthdayConsent: false }), await checkoutToken(SHOP)),
    );
    expect(refused.status).toBe(400);
    expect(await db.feedback.count({ where: { shop: SHOP, guestBirthday: { not: null } } })).toBe(0);
  });
});
