import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db, { createDb, type Db } from "../../../app/db.server";
import { databaseUrl } from "../../../app/database-url";
import { runScheduler, runShopDay, type SchedulerDeps } from "../../../app/jobs/scheduler.server";
import { acquireLease, completeLease, failLease, renewLease, LeaseLostError } from "../../../app/models/job-leases.server";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-scheduler.myshopify.com";
const TZ = "Pacific/Auckland";
// 23:30 UTC on 7 March is already 8 March (12:30 NZDT) in Auckland.
const NOW = Date.parse("2026-03-07T23:30:00Z");
const clock = fakeClock(NOW);
let emulator: Emulator;
let s: RewardsShop;
let secondInstance: Db;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 5, currency: "CAD", timeZone: TZ }],
  });
  // Another app instance: its own Prisma client and connection pool on the same database.
  secondInstance = createDb(databaseUrl());
});
afterAll(async () => {
  await secondInstance.$disconnect();
  await stopEmulatedShopify(emulator);
});

beforeEach(async () => {
  clock.set(NOW);
  emulator.shop(DOMAIN).discounts.byId.clear();
  emulator.shop(DOMAIN).flowTriggers.length = 0;
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "CAD" });
  await addRule(s.shop, {
    kind: "holidayCampaign",
    name: "Women's Day",
    startsAt: "2026-03-01",
    endsAt: "2026-03-08",
    audience: { type: "everyoneWithConsent" },
    reward: { type: "percentage", percentage: 20 },
  });
  for (let i = 0; i < 5; i++) await addCustomer(emulator, s.shop);
});

const deps = (owner: string): SchedulerDeps => ({ owner, clientFor: async () => s.client, now: () => new Date(clock.now()) });

describe("the daily run, in the shop's time zone, once per day across instances", () => {
  it("keys the run by the shop-local date and issues the day's codes", async () => {
    const outcome = await runShopDay(s.shop, deps("instance-a"));
    expect(outcome).toMatchObject({ status: "ran", jobKey: "issuance:2026-03-08", issuance: { created: 5, failed: 0 } });
    const job = await db.jobRun.findUniqueOrThrow({ where: { shop_jobKey: { shop: s.shop, jobKey: "issuance:2026-03-08" } } });
    expect(job).toMatchObject({ status: "completed", owner: "instance-a", leaseUntil: null });
    expect(JSON.parse(job.result!)).toMatchObject({ issuance: { created: 5 }, sweep: { deactivated: 0 } });
  });

  it("two schedulers racing for the same day: exactly one runs, codes are created once", async () => {
    const outcomes = await Promise.all([runShopDay(s.shop, deps("instance-a")), runShopDay(s.shop, deps("instance-b"))]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["ran", "skipped"]);
    expect(outcomes.find((o) => o.status === "skipped")).toMatchObject({ reason: expect.stringMatching(/^(held|completed)$/) });
    expect(emulator.shop(DOMAIN).discounts.byId.size).toBe(5);
    expect(await db.jobRun.count({ where: { shop: s.shop, jobKey: { startsWith: "issuance:" } } })).toBe(1);
    expect(await db.issuedDiscount.count({ where: { shop: s.shop } })).toBe(5);
  });

  it("re-running the scheduler for the same day issues nothing new", async () => {
    expect((await runScheduler(deps("instance-a")))[0].status).toBe("ran");
    clock.advance(3 * 3_600_000);
    const again = await runScheduler(deps("instance-b"));
    expect(again).toEqual([expect.objectContaining({ status: "skipped", reason: "completed", jobKey: "issuance:2026-03-08" })]);
    expect(emulator.shop(DOMAIN).discounts.byId.size).toBe(5);
    // The next local day runs again, and has nothing new to give (the campaign code is once per customer).
    clock.advance(24 * 3_600_000);
    const nextDay = await runShopDay(s.shop, deps("instance-a"));
    expect(nextDay).toMatchObject({ status: "ran", jobKey: "issuance:2026-03-09", issuance: { decisions: 0, created: 0 } });
    expect(emulator.shop(DOMAIN).discounts.byId.size).toBe(5);
  });

  it("twenty lease attempts from two database clients at once: exactly one wins", async () => {
    const options = (i: number) => ({ owner: `owner-${i}`, ttlMs: 60_000, now: new Date(NOW), db: i % 2 ? secondInstance : db });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => acquireLease(s.shop, "issuance:race", options(i))));
    expect(outcomes.filter((o) => o.acquired)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.acquired && o.reason === "held")).toHaveLength(19);
  });

  it("an expired lease (its holder died) is taken over by exactly one instance; the old holder can't complete", async () => {
    const t0 = new Date(NOW);
    expect(await acquireLease(s.shop, "issuance:x", { owner: "dead", ttlMs: 60_000, now: t0 })).toEqual({
      acquired: true,
      takenOver: false,
    });
    const early = new Date(NOW + 30_000);
    expect(await acquireLease(s.shop, "issuance:x", { owner: "b", ttlMs: 60_000, now: early })).toMatchObject({
      acquired: false,
      reason: "held",
      owner: "dead",
    });
    const later = new Date(NOW + 120_000);
    const takeovers = await Promise.all(
      ["b", "c", "d", "e"].map((owner, i) =>
        acquireLease(s.shop, "issuance:x", { owner, ttlMs: 60_000, now: later, db: i % 2 ? secondInstance : db }),
      ),
    );
    expect(takeovers.filter((o) => o.acquired)).toEqual([{ acquired: true, takenOver: true }]);
    await expect(renewLease(s.shop, "issuance:x", { owner: "dead", ttlMs: 60_000, now: later })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await completeLease(s.shop, "issuance:x", "dead", {})).toBe(false);
  });

  it("a failed run is retried by a later tick, not immediately", async () => {
    await acquireLease(s.shop, "issuance:y", { owner: "a", ttlMs: 60_000, now: new Date(NOW) });
    await failLease(s.shop, "issuance:y", "a", new Error("Shopify down"), new Date(NOW));
    expect(await acquireLease(s.shop, "issuance:y", { owner: "b", ttlMs: 60_000, now: new Date(NOW + 60_000) })).toMatchObject({
      acquired: false,
      reason: "failedRecently",
    });
    expect(await acquireLease(s.shop, "issuance:y", { owner: "b", ttlMs: 60_000, now: new Date(NOW + 20 * 60_000) })).toEqual({
      acquired: true,
      takenOver: true,
    });
  });

  it("a run that fails (Shopify unreachable) records the failure and leaves the rows for the retry", async () => {
    const broken = {
      ...deps("instance-a"),
      clientFor: async () => ({ ...s.client, shop: s.shop, mutate: async () => Promise.reject(new TypeError("fetch failed")) }),
    };
    const outcome = await runShopDay(s.shop, broken as SchedulerDeps);
    expect(outcome).toMatchObject({ status: "failed", error: expect.stringMatching(/stopped after repeated failures/) });
    expect(await db.issuedDiscount.count({ where: { shop: s.shop, status: "recorded" } })).toBe(5);
    clock.advance(20 * 60_000);
    const retry = await runShopDay(s.shop, deps("instance-b"));
    expect(retry).toMatchObject({ status: "ran", issuance: { decisions: 0, created: 5, reconciled: 5 } });
    expect(emulator.shop(DOMAIN).discounts.byId.size).toBe(5);
  });
});

describe("the birthday send hour (shop time)", () => {
  it("a daily run before the send hour leaves birthday codes to a run at the send hour; the rest goes out at once", async () => {
    const birthdayRule = (await addRule(s.shop, { kind: "birthday", name: "Birthday", reward: { type: "percentage", percentage: 15 } })).id;
    // Birthday on 8 March (today in Auckland), set long ago.
    const ana = await addCustomer(emulator, s.shop, { birthDate: "1990-03-08" });
    const birthdayCodes = () =>
      db.issuedDiscount.count({ where: { shop: s.shop, ruleId: birthdayRule, customerShopifyId: ana, kind: "issue" } });

    // 07:00 on 8 March in Auckland (NZDT, UTC+13); the default send hour is 9:00.
    clock.set(Date.parse("2026-03-07T18:00:00Z"));
    const early = await runShopDay(s.shop, deps("instance-a"));
    expect(early).toMatchObject({ status: "ran", jobKey: "issuance:2026-03-08", issuance: { created: 6 } });
    expect(await birthdayCodes()).toBe(0);
    // 08:45: still before the hour.
    clock.set(Date.parse("2026-03-07T19:45:00Z"));
    expect(await runShopDay(s.shop, deps("instance-a"))).toMatchObject({ status: "skipped", reason: "completed" });
    expect(await birthdayCodes()).toBe(0);

    // 09:05: the birthday moments run once.
    clock.set(Date.parse("2026-03-07T20:05:00Z"));
    expect(await runShopDay(s.shop, deps("instance-b"))).toMatchObject({
      status: "ranBirthdays",
      jobKey: "birthdays:2026-03-08",
      birthdays: { created: 1 },
    });
    expect(await birthdayCodes()).toBe(1);
    expect(await runShopDay(s.shop, deps("instance-a"))).toMatchObject({ status: "skipped", jobKey: "birthdays:2026-03-08" });
  });

  it("a later send hour in the settings moves them", async () => {
    await saveShopSettings(s.shop, { birthdays: { minNoticeDays: 30, sendHour: 14 } });
    const birthdayRule = (await addRule(s.shop, { kind: "birthday", name: "Birthday", reward: { type: "percentage", percentage: 15 } })).id;
    await addCustomer(emulator, s.shop, { birthDate: "1990-03-08" });
    // 12:30 in Auckland (NOW): after 9:00, before 14:00.
    expect(await runShopDay(s.shop, deps("instance-a"))).toMatchObject({ status: "ran" });
    expect(await db.issuedDiscount.count({ where: { shop: s.shop, ruleId: birthdayRule } })).toBe(0);
    clock.set(Date.parse("2026-03-08T01:00:00Z"));
    expect(await runShopDay(s.shop, deps("instance-a"))).toMatchObject({ status: "ranBirthdays", birthdays: { created: 1 } });
  });
});
