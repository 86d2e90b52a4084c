import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { listIssuedForRule } from "../../../app/models/issued-discounts.server";
import { recordRedemptions, ruleResults } from "../../../app/models/reward-results.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { localDateAt } from "../../../app/retention/rewards";
import { findDiscountByCode } from "../../../app/shopify/discounts.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { waitFor } from "../../support/sync-helpers";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop, crashFirstMutation } from "../../support/rules";

const DOMAIN = "rewards-free-shipping.myshopify.com";
const TZ = "Europe/Berlin";
const NOW = Date.parse("2026-05-14T10:00:00Z");
const DAY = 86_400_000;
const clock = fakeClock(NOW);
let emulator: Emulator;
let webhooks: Awaited<ReturnType<typeof startAppWebhookServer>>;
let s: RewardsShop;
let ruleId: string;
let customer: string;

beforeAll(async () => {
  webhooks = await startAppWebhookServer();
  emulator = await startEmulatedShopify({
    appUrl: webhooks.url,
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 5, currency: "EUR", timeZone: TZ }],
  });
});
afterAll(async () => {
  await stopEmulatedShopify(emulator);
  await webhooks.close();
});

const discounts = () => [...emulator.shop(DOMAIN).discounts.byId.values()];
const run = (client: AdminClient = s.client) =>
  runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), { client, now: () => new Date(clock.now()) });

/** The first free-shipping creation dies: before the request is sent, or after Shopify created it but before we heard back. */
const crashOnce = (client: AdminClient, when: "beforeSend" | "answerLost", seenRecorded: string[]) =>
  crashFirstMutation(client, "discountCodeFreeShippingCreate", when, async (variables) => {
    const code = (variables.freeShippingCodeDiscount as { code: string }).code;
    const row = await db.issuedDiscount.findFirst({ where: { shop: client.shop, code } });
    if (row?.status === "recorded") seenRecorded.push(code);
  });

beforeEach(async () => {
  clock.set(NOW);
  const shop = emulator.shop(DOMAIN);
  shop.discounts.byId.clear();
  shop.discounts.controls.answerWithoutDiscountNext = 0;
  shop.flowTriggers.length = 0;
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "EUR" });
  ruleId = (await addRule(s.shop, { kind: "winback", name: "Ship it", reward: { type: "freeShipping" }, validityDays: 14 })).id;
  customer = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z") });
});

describe("free-shipping rewards through the issuance path", () => {
  it("creates the free-shipping code in Shopify for its customer and delivers it", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ created: 1, delivered: 1, flowTriggers: 1, failed: 0, retryLater: 0 });

    const [row] = await ledger(s.shop);
    expect(row).toMatchObject({ status: "delivered", customerShopifyId: customer, error: null });
    const [discount] = discounts();
    expect(discount).toMatchObject({
      codes: [expect.objectContaining({ code: row.code })],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { type: "customers", customerIds: [customer] },
      value: { type: "freeShipping", destination: { all: true }, maximumShippingPriceCents: null },
    });
    expect(row.shopifyDiscountId).toBe(`gid://shopify/DiscountCodeNode/${discount.id}`);
    // What reconciliation reads back after a crash: the same reward, for the same customer.
    expect(await findDiscountByCode(s.client, row.code!)).toMatchObject({
      reward: { type: "freeShipping" },
      customerIds: [customer],
      status: "ACTIVE",
    });
  });

  it("records a create answered with no discount and no reason as failed, visibly, and does not retry it", async () => {
    emulator.shop(DOMAIN).discounts.controls.answerWithoutDiscountNext = 1;
    const first = await run();
    expect(first).toMatchObject({ created: 0, delivered: 0, failed: 1, retryLater: 0 });
    expect(discounts()).toHaveLength(0);

    // The rule page lists the rule's latest rows with their error.
    const [shown] = await listIssuedForRule(s.shop, ruleId);
    expect(shown.status).toBe("failed");
    expect(shown.error).toMatch(/^discountCodeFreeShippingCreate failed: Shopify returned no discount for code \w+ and gave no reason$/);

    // Shopify would answer the same again: the next days' runs leave the row alone.
    for (let day = 1; day <= 3; day++) {
      clock.set(NOW + day * DAY);
      expect(await run()).toMatchObject({ created: 0, failed: 0, retryLater: 0, reconciled: 0 });
    }
    expect(discounts()).toHaveLength(0);
    expect((await ledger(s.shop)).map((r) => [r.status, r.error])).toEqual([["failed", shown.error]]);
  });

  it.each(["beforeSend", "answerLost"] as const)(
    "a crash between recording and creating the free-shipping code (%s) ends with exactly one code",
    async (when) => {
      const seenRecorded: string[] = [];
      const first = await run(crashOnce(s.client, when, seenRecorded));
      expect(seenRecorded).toHaveLength(1);
      expect(first).toMatchObject({ retryLater: 1, created: 0 });
      expect(discounts()).toHaveLength(when === "answerLost" ? 1 : 0);

      const second = await run();
      expect(second).toMatchObject(
        when === "answerLost" ? { adopted: 1, created: 0, delivered: 1 } : { adopted: 0, created: 1, delivered: 1 },
      );
      const [discount] = discounts();
      expect(discounts()).toHaveLength(1);
      expect(discount).toMatchObject({
        codes: [expect.objectContaining({ code: seenRecorded[0] })],
        value: { type: "freeShipping" },
        context: { customerIds: [customer] },
      });
      const [row] = await ledger(s.shop);
      expect(row).toMatchObject({
        status: "delivered",
        code: seenRecorded[0],
        shopifyDiscountId: `gid://shopify/DiscountCodeNode/${discount.id}`,
      });
      expect(await run()).toMatchObject({ created: 0, adopted: 0, reconciled: 0, decisions: 0 });
    },
  );

  it("reads the redemption back from the order Shopify sends when the customer uses the code", async () => {
    await run();
    const [row] = await ledger(s.shop);
    // The customer checks out with the code: Shopify counts the use and sends orders/create.
    const { record: order, delivered } = emulator.mutate(DOMAIN).createOrder({
      customerId: customer,
      total: "62.00",
      discountCode: { code: row.code!.toLowerCase(), amountCents: 590, type: "shipping" },
    });
    await delivered;
    await waitFor(() => db.order.findFirst({ where: { shop: s.shop, shopifyId: `gid://shopify/Order/${order.id}` } }), "the order webhook");
    expect((await findDiscountByCode(s.client, row.code!))?.usageCount).toBe(1);

    expect(await recordRedemptions(s.shop)).toBe(1);
    expect(await db.issuedDiscount.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      redeemedOrderId: `gid://shopify/Order/${order.id}`,
      redeemedRevenue: 62,
    });
    const [result] = await ruleResults(s.shop, [ruleId], new Date(clock.now()));
    expect(result).toMatchObject({ issued: 1, redeemed: 1, revenue: 62 });
  });
});

describe("stacking chosen per rule reaches Shopify", () => {
  it("sends each rule's combinesWith, or its kind's default when the rule has none, and reads it back", async () => {
    await db.discountRule.deleteMany({ where: { shop: s.shop } });
    const chosen = { orderDiscounts: true, productDiscounts: false, shippingDiscounts: false };
    await addRule(s.shop, { kind: "winback", name: "Chosen", reward: { type: "freeShipping" }, combinesWith: chosen });
    await addRule(s.shop, { kind: "winback", name: "Default", reward: { type: "percentage", percentage: 10 } });
    expect(await run()).toMatchObject({ created: 2, failed: 0 });

    const byTitle = (part: string) => discounts().find((d) => d.title.includes(`· ${part} ·`))!;
    expect(byTitle("Chosen").combinesWith).toEqual(chosen);
    // Win-back is an incentive: by default only free shipping stacks with it.
    expect(byTitle("Default").combinesWith).toEqual({ orderDiscounts: false, productDiscounts: false, shippingDiscounts: true });
    const rows = await ledger(s.shop);
    const chosenRow = rows.find((r) => r.shopifyDiscountId === `gid://shopify/DiscountCodeNode/${byTitle("Chosen").id}`)!;
    expect((await findDiscountByCode(s.client, chosenRow.code!))?.combinesWith).toEqual(chosen);
  });
});
