// Audience rewards in bulk (docs/decisions/021): a campaign's codes share one discount, added 250 at a
// time with discountRedeemCodeBulkAdd, each recorded before it is sent; a crash between adding and
// recording loses and duplicates nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { sweepExpiredRewards } from "../../../app/jobs/scheduler.server";
import { addDays, generateDiscountCode, localDateAt, type RandomBytes } from "../../../app/retention/rewards";
import { createRewardDiscount } from "../../../app/shopify/discounts.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, crashFirstMutation, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-bulk.myshopify.com";
const TZ = "Europe/Berlin";
const NOW = Date.parse("2026-11-20T10:00:00Z");
// 601 customers: the discount's own code plus batches of 250, 250 and 100.
const AUDIENCE = 601;
const clock = fakeClock(NOW);
let emulator: Emulator;
let s: RewardsShop;
let customers: string[];

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [
      {
        domain: DOMAIN,
        size: "empty",
        seed: 21,
        currency: "EUR",
        timeZone: TZ,
        throttle: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
      },
    ],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

const discounts = () => [...emulator.shop(DOMAIN).discounts.byId.values()];
/** A seeded byte source (xorshift), so a test knows the codes a run will generate. */
function seededBytes(seed: number): RandomBytes {
  let x = seed;
  return (size) =>
    Uint8Array.from({ length: size }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
}

const run = (client: AdminClient = s.client, randomBytes?: RandomBytes) =>
  runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), {
    client,
    ...(randomBytes ? { randomBytes } : {}),
    now: () => new Date(clock.now()),
    sleep: async (ms) => clock.advance(ms),
  });

beforeEach(async () => {
  clock.set(NOW);
  emulator.shop(DOMAIN).discounts.byId.clear();
  emulator.shop(DOMAIN).flowTriggers.length = 0;
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "EUR" });
  const today = localDateAt(new Date(clock.now()), TZ);
  await addRule(s.shop, {
    kind: "holidayCampaign",
    name: "Black Friday",
    startsAt: today,
    endsAt: addDays(today, 7),
    audience: { type: "everyoneWithConsent" },
    reward: { type: "percentage", percentage: 20 },
  });
  customers = [];
  for (let i = 0; i < AUDIENCE; i++) customers.push(await addCustomer(emulator, s.shop));
});

/** Every customer's code is on the one shared discount exactly once, delivered, and the discount lets exactly them use it. */
async function expectEachCodeOnce() {
  const rows = await db.issuedDiscount.findMany({ where: { shop: s.shop, kind: "issue" } });
  expect(rows).toHaveLength(AUDIENCE);
  expect(new Set(rows.map((r) => r.customerShopifyId))).toEqual(new Set(customers));
  expect(rows.every((r) => r.status === "delivered")).toBe(true);
  const all = discounts();
  expect(all).toHaveLength(1);
  const [shared] = all;
  expect(rows.every((r) => r.shopifyDiscountId === `gid://shopify/DiscountCodeNode/${shared.id}`)).toBe(true);
  const codes = shared.codes.map((c) => c.code);
  expect(codes).toHaveLength(AUDIENCE);
  expect(new Set(codes)).toEqual(new Set(rows.map((r) => r.code)));
  expect(shared).toMatchObject({ usageLimit: null, appliesOncePerCustomer: true });
  expect(shared.context.type === "customers" && new Set(shared.context.customerIds)).toEqual(new Set(customers));
}

describe("audience rewards in bulk", () => {
  it("issues a campaign's codes on one discount, 250 per bulk add, each exactly once", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ decisions: AUDIENCE, created: AUDIENCE, delivered: AUDIENCE, failed: 0, retryLater: 0 });
    await expectEachCodeOnce();
    const creations = [...emulator.shop(DOMAIN).discounts.bulkCreations.values()];
    expect(creations.map((c) => c.codes.length)).toEqual([250, 250, 100]);
    const batches = await db.issuedDiscount.groupBy({ by: ["bulkBatch"], where: { shop: s.shop }, _count: true });
    expect(batches.map((b) => b._count).sort((a, b) => a - b)).toEqual([1, 100, 250, 250]);
    expect(await run()).toMatchObject({ decisions: 0, created: 0, adopted: 0, delivered: 0 });

    // After the campaign, its unused codes are swept with one deactivation of the discount they share.
    const deactivations: string[] = [];
    const counting: AdminClient = {
      ...s.client,
      request: (document, variables) => s.client.request(document, variables),
      mutate: (document, variables, key) => (deactivations.push(key), s.client.mutate(document, variables, key)),
    };
    const swept = await sweepExpiredRewards(s.shop, counting, new Date(NOW + 9 * 86_400_000));
    expect(swept).toMatchObject({ deactivated: AUDIENCE, failed: 0 });
    expect(deactivations).toEqual(["discountCodeDeactivate"]);
  });

  it("fails only the code Shopify reports as taken by another discount; the batch's others are issued", async () => {
    const preview = seededBytes(2112);
    const codes = Array.from({ length: AUDIENCE }, () => generateDiscountCode(preview));
    // A merchant's own discount already holds the code the 101st decision will get.
    const foreign = await createRewardDiscount(s.client, {
      code: codes[100],
      title: "Merchant's own",
      customerId: customers[0],
      startsAt: new Date(NOW).toISOString(),
      endsAt: new Date(NOW + 30 * 86_400_000).toISOString(),
      reward: { type: "percentage", percentage: 5 },
      minimumSubtotal: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    });
    const summary = await run(s.client, seededBytes(2112));
    expect(summary).toMatchObject({ created: AUDIENCE - 1, delivered: AUDIENCE - 1, failed: 1, retryLater: 0 });
    const failed = await db.issuedDiscount.findFirstOrThrow({ where: { shop: s.shop, status: "failed" } });
    expect(failed.code).toBe(codes[100]);
    expect(failed.error).toMatch(/unique/i);
    const shared = discounts().find((d) => `gid://shopify/DiscountCodeNode/${d.id}` !== foreign.id)!;
    expect(shared.codes).toHaveLength(AUDIENCE - 1);
    expect(shared.codes.some((c) => c.code === codes[100])).toBe(false);
  });

  it.each(["beforeSend", "answerLost"] as const)(
    "a crash between a bulk add and its record (%s) is reconciled from the discount's codes on the next run",
    async (when) => {
      let inFlight: string[] = [];
      const crashing = crashFirstMutation(s.client, "discountRedeemCodeBulkAdd", when, async (variables) => {
        inFlight = (variables.codes as { code: string }[]).map((c) => c.code);
        const rows = await db.issuedDiscount.findMany({ where: { shop: s.shop, code: { in: inFlight } } });
        // Recorded as being created, with the batch, before Shopify is asked.
        expect(rows.every((r) => r.status === "recorded" && r.bulkBatch && r.attemptedAt)).toBe(true);
      });
      const first = await run(crashing);
      expect(inFlight).toHaveLength(250);
      expect(first.retryLater).toBeGreaterThan(0);
      expect(discounts()[0].codes.length).toBe(when === "answerLost" ? 251 : 1);

      const second = await run();
      expect(second.decisions).toBe(0);
      expect(second.adopted).toBe(when === "answerLost" ? 250 : 0);
      expect(second.failed).toBe(0);
      await expectEachCodeOnce();
      expect(await run()).toMatchObject({ created: 0, adopted: 0, delivered: 0, reconciled: 0 });
    },
  );
});
