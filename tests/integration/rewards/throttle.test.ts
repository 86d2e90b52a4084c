import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { addDays, localDateAt } from "../../../app/retention/rewards";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "./support";

const DOMAIN = "rewards-throttle.myshopify.com";
const TZ = "America/New_York";
let emulator: Emulator;
let s: RewardsShop;
let throttledRetries = 0;

// A bucket of 50 points refilled at 500/s: every code (create + metafields + Flow, 30 points) drains
// most of it, so bulk issuance keeps hitting THROTTLED and must wait it out. Real clock: the bucket refills.
beforeAll(async () => {
  emulator = await startEmulatedShopify({
    shops: [{ domain: DOMAIN, size: "empty", seed: 4, currency: "USD", timeZone: TZ, throttle: { maximumAvailable: 50, restoreRate: 500 } }],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  await resetDatabase();
  throttledRetries = 0;
  s = await setUpShop(emulator, DOMAIN, {
    timeZone: TZ,
    currencyCode: "USD",
    clientOptions: { log: (entry) => void (entry.waitMs !== undefined && throttledRetries++) },
  });
});

describe("bulk issuance within the Admin API cost limits", () => {
  it("issues every code of a large campaign exactly once, pacing itself by the reported bucket", async () => {
    const today = localDateAt(new Date(), TZ);
    await addRule(s.shop, {
      kind: "holidayCampaign",
      name: "Flash",
      startsAt: today,
      endsAt: addDays(today, 3),
      audience: { type: "everyoneWithConsent" },
      reward: { type: "percentage", percentage: 10 },
    });
    const customers: string[] = [];
    for (let i = 0; i < 30; i++) customers.push(await addCustomer(emulator, s.shop));

    const paced: number[] = [];
    const sleep = (ms: number) => (paced.push(ms), new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const summary = await runIssuance(s.shop, today, { client: s.client, sleep });
    expect(summary).toMatchObject({ created: 30, delivered: 30, flowTriggers: 30, failed: 0, retryLater: 0 });
    // Nearly every row had to wait for the bucket; any THROTTLED answer in between was retried by the client.
    expect(paced.length).toBeGreaterThan(20);
    expect(paced.every((ms) => ms > 0 && ms <= Math.ceil((30 / 500) * 1000))).toBe(true);
    expect(throttledRetries).toBeLessThan(30);

    const discounts = [...emulator.shop(DOMAIN).discounts.byId.values()];
    expect(discounts).toHaveLength(30);
    expect(new Set(discounts.map((d) => d.codes[0].code)).size).toBe(30);
    const owners = discounts.map((d) => (d.context.type === "customers" ? d.context.customerIds : []));
    expect(owners.every((ids) => ids.length === 1)).toBe(true);
    expect(new Set(owners.flat())).toEqual(new Set(customers));
    expect(await db.issuedDiscount.count({ where: { shop: s.shop, status: "delivered" } })).toBe(30);
  });
});
