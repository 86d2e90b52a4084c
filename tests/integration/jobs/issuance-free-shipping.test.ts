import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { listIssuedForRule } from "../../../app/models/issued-discounts.server";
import { localDateAt } from "../../../app/retention/rewards";
import { findDiscountByCode } from "../../../app/shopify/discounts.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-free-shipping.myshopify.com";
const TZ = "Europe/Berlin";
const NOW = Date.parse("2026-05-14T10:00:00Z");
const DAY = 86_400_000;
const clock = fakeClock(NOW);
let emulator: Emulator;
let s: RewardsShop;
let ruleId: string;
let customer: string;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ clock: clock.now, shops: [{ domain: DOMAIN, size: "empty", seed: 5, currency: "EUR", timeZone: TZ }] });
});
afterAll(() => stopEmulatedShopify(emulator));

const discounts = () => [...emulator.shop(DOMAIN).discounts.byId.values()];
const run = () => runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), { client: s.client, now: () => new Date(clock.now()) });

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
    expect(await findDiscountByCode(s.client, row.code!)).toMatchObject({ reward: { type: "freeShipping" }, customerIds: [customer], status: "ACTIVE" });
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
});
