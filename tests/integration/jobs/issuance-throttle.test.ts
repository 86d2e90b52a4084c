import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { addDays, localDateAt } from "../../../app/retention/rewards";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-throttle.myshopify.com";
const TZ = "America/New_York";
const NOW = Date.parse("2026-06-01T15:00:00Z");
// The emulator's bucket refills on this clock, and every wait (the run's pacing and the client's THROTTLED
// retries) advances it instead of sleeping: pacing is asserted in emulated time, whatever the machine's load.
const clock = fakeClock(NOW);
const waitOnClock = async (ms: number) => clock.advance(ms);
let emulator: Emulator;
let s: RewardsShop;
let throttledRetries = 0;

// A bucket of 50 points refilled at 500/s: every code (create + metafields + Flow, 30 points) drains
// most of it, so bulk issuance must wait for the bucket between codes.
beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [
      { domain: DOMAIN, size: "empty", seed: 4, currency: "USD", timeZone: TZ, throttle: { maximumAvailable: 50, restoreRate: 500 } },
    ],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  clock.set(NOW);
  await resetDatabase();
  throttledRetries = 0;
  s = await setUpShop(emulator, DOMAIN, {
    timeZone: TZ,
    currencyCode: "USD",
    clientOptions: { sleep: waitOnClock, log: (entry) => void (entry.waitMs !== undefined && throttledRetries++) },
  });
});

describe("bulk issuance within the Admin API cost limits", () => {
  it("issues every code of a large campaign exactly once, pacing itself by the reported bucket", async () => {
    const today = localDateAt(new Date(clock.now()), TZ);
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
    const sleep = (ms: number) => (paced.push(ms), waitOnClock(ms));
    const started = clock.now();
    const summary = await runIssuance(s.shop, today, { client: s.client, sleep, now: () => new Date(clock.now()) });
    expect(summary).toMatchObject({ created: 30, delivered: 30, flowTriggers: 30, failed: 0, retryLater: 0 });
    // The run first reads the shop's languages (1 point, for the offer text), so the first code leaves
    // 19 of the 50 points and the second waits 22 ms for the 30 it needs; every later one waits for
    // exactly the 30 points a row spends (60 ms at 500/s) and no longer, and waiting by the reported
    // bucket leaves no THROTTLED answer.
    expect(paced).toEqual([22, ...Array<number>(28).fill(60)]);
    expect(throttledRetries).toBe(0);
    // In all, the 900 points of 30 codes and the 1 of the languages, minus the 50 in the full bucket,
    // restored at 500 points/s.
    expect(clock.now() - started).toBe(((30 * 30 + 1 - 50) / 500) * 1000);

    const discounts = [...emulator.shop(DOMAIN).discounts.byId.values()];
    expect(discounts).toHaveLength(30);
    expect(new Set(discounts.map((d) => d.codes[0].code)).size).toBe(30);
    const owners = discounts.map((d) => (d.context.type === "customers" ? d.context.customerIds : []));
    expect(owners.every((ids) => ids.length === 1)).toBe(true);
    expect(new Set(owners.flat())).toEqual(new Set(customers));
    expect(await db.issuedDiscount.count({ where: { shop: s.shop, status: "delivered" } })).toBe(30);
  });
});
