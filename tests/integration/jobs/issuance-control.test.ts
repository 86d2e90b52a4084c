/**
 * Issuance you can see and stop (issue #23): counts by state stay true through partial and
 * interrupted runs, Pause all stops the scheduler and Resume continues, Cancel queued and Turn off
 * cancel only codes Shopify was never asked for, and an unfinished day resumes at the next tick.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { shopFormatter } from "../../../app/formatting";
import { runShopDay, type SchedulerDeps } from "../../../app/jobs/scheduler.server";
import { cancelQueued, issuanceCounts } from "../../../app/models/issued-discounts.server";
import { setIssuancePaused } from "../../../app/models/shop-settings.server";
import { issuanceStatus, turnRuleOff } from "../../../app/services/issuance-status.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "issuance-control.myshopify.com";
const TZ = "Europe/Kyiv";
// 10:00 in Kyiv on 5 March 2026, inside the campaign.
const NOW = Date.parse("2026-03-05T08:00:00Z");
const CUSTOMERS = 8;
const clock = fakeClock(NOW);
let emulator: Emulator;
let s: RewardsShop;
let ruleId: string;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 23, currency: "UAH", timeZone: TZ }],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  clock.set(NOW);
  emulator.shop(DOMAIN).discounts.byId.clear();
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "UAH" });
  ruleId = (
    await addRule(s.shop, {
      kind: "holidayCampaign",
      name: "Spring",
      startsAt: "2026-03-01",
      endsAt: "2026-03-10",
      audience: { type: "everyoneWithConsent" },
      reward: { type: "percentage", percentage: 10 },
    })
  ).id;
  for (let i = 0; i < CUSTOMERS; i++) await addCustomer(emulator, s.shop);
});

type OnCreate = (n: number, create: () => Promise<unknown>) => Promise<unknown>;

/** The shop's client, with each discount creation passed through `onCreate` (n counts from 1). */
function clientWith(onCreate: OnCreate): AdminClient {
  const base = s.client;
  let n = 0;
  return {
    shop: base.shop,
    get lastCost() {
      return base.lastCost;
    },
    request: (document, variables) => base.request(document, variables),
    mutate: ((document: string, variables: Record<string, unknown>, key: string) =>
      /^discountCode\w+Create$/.test(key)
        ? onCreate(++n, () => base.mutate(document, variables, key))
        : base.mutate(document, variables, key)) as AdminClient["mutate"],
  };
}

const networkDown = () => Promise.reject(new TypeError("fetch failed"));
/** Shopify creates the first `ok` codes, then the network goes down for good. */
const downAfter =
  (ok: number): OnCreate =>
  (n, create) =>
    n <= ok ? create() : networkDown();

const deps = (owner: string, client: AdminClient = s.client): SchedulerDeps => ({
  owner,
  clientFor: async () => client,
  now: () => new Date(clock.now()),
});
const countsOf = async () => (await issuanceCounts(s.shop)).shop;
const status = () => issuanceStatus(s.shop, shopFormatter({ locale: "en", currency: "UAH", timeZone: TZ }), { now: new Date(clock.now()) });
const jobStatus = async () => (await db.jobRun.findFirstOrThrow({ where: { shop: s.shop, jobKey: "issuance:2026-03-05" } })).status;
const shopifyCodes = () => emulator.shop(DOMAIN).discounts.byId.size;

describe("counts by state", () => {
  it("after a partial run: delivered, being created (Shopify was asked) and queued (never asked), and the day is not completed", async () => {
    // 2 codes created; the next 3 attempts hit a dead network (3 consecutive failures stop the run); 3 never tried.
    const outcome = await runShopDay(s.shop, deps("a", clientWith(downAfter(2))));
    expect(outcome).toMatchObject({ status: "failed" });
    expect(await countsOf()).toMatchObject({ delivered: 2, creating: 3, queued: 3, failed: 0, cancelled: 0 });
    const shown = await status();
    expect(shown.run).toBe("failed");
    expect(shown.unfinished).toBe(6);
    // Taken up again 10 minutes after it stopped, shown in the shop's time zone (Kyiv, UTC+2).
    expect(shown.nextRunDue).toBe(false);
    expect(shown.nextRun).toBe("Mar 5, 2026, 10:10 AM");
    expect(shown.counts.find((c) => c.state === "queued")).toEqual({ state: "queued", count: 3, text: "3" });
  });
});

describe("an interrupted run resumes at the next tick", () => {
  it("an answer lost after Shopify created the code: the run ends unfinished, not completed; the next tick adopts it without a duplicate", async () => {
    const lost: OnCreate = async (n, create) => {
      if (n !== 3) return create();
      await create();
      throw new TypeError("socket hang up");
    };
    const first = await runShopDay(s.shop, deps("a", clientWith(lost)));
    expect(first).toMatchObject({ status: "ran", unfinished: 1, issuance: { retryLater: 1 } });
    expect(await jobStatus()).toBe("unfinished");
    expect(await countsOf()).toMatchObject({ delivered: CUSTOMERS - 1, creating: 1, queued: 0 });
    expect((await status()).run).toBe("unfinished");

    // The next tick, 15 minutes later, finishes the day.
    clock.advance(15 * 60_000);
    const next = await runShopDay(s.shop, deps("b"));
    expect(next).toMatchObject({ status: "ran", unfinished: 0, issuance: { decisions: 0, adopted: 1, created: 0, reconciled: 1 } });
    expect(await jobStatus()).toBe("completed");
    expect(await countsOf()).toMatchObject({ delivered: CUSTOMERS, creating: 0, queued: 0 });
    expect(shopifyCodes()).toBe(CUSTOMERS);
  });

  it("a run that threw resumes at the next tick with every queued code, and the counts end true", async () => {
    await runShopDay(s.shop, deps("a", clientWith(downAfter(2))));
    clock.advance(15 * 60_000);
    const next = await runShopDay(s.shop, deps("b"));
    expect(next).toMatchObject({ status: "ran", unfinished: 0, issuance: { created: CUSTOMERS - 2, reconciled: CUSTOMERS - 2 } });
    expect(await jobStatus()).toBe("completed");
    expect(await countsOf()).toMatchObject({ delivered: CUSTOMERS, creating: 0, queued: 0 });
    expect(shopifyCodes()).toBe(CUSTOMERS);
    // Completed today: the next run is the shop's next local midnight.
    expect((await status()).nextRun).toBe("Mar 6, 2026, 12:00 AM");
  });
});

describe("Pause all", () => {
  it("stops the scheduler before the next code; Resume lets the next tick continue the same day", async () => {
    // The merchant pauses while the second code is being created.
    const pauseDuringSecond: OnCreate = async (n, create) => {
      if (n === 2) await setIssuancePaused(s.shop, true, new Date(clock.now()));
      return create();
    };
    expect(await runShopDay(s.shop, deps("a", clientWith(pauseDuringSecond)))).toMatchObject({ status: "paused" });
    expect(shopifyCodes()).toBe(2);
    expect(await countsOf()).toMatchObject({ delivered: 2, queued: CUSTOMERS - 2 });
    const shown = await status();
    expect(shown).toMatchObject({ paused: true, nextRun: null });

    // Ticks while paused issue nothing.
    clock.advance(15 * 60_000);
    expect(await runShopDay(s.shop, deps("b"))).toMatchObject({ status: "paused" });
    expect(shopifyCodes()).toBe(2);

    await setIssuancePaused(s.shop, false);
    expect((await status()).nextRunDue).toBe(true);
    expect(await runShopDay(s.shop, deps("b"))).toMatchObject({ status: "ran", unfinished: 0 });
    expect(shopifyCodes()).toBe(CUSTOMERS);
    expect(await countsOf()).toMatchObject({ delivered: CUSTOMERS, queued: 0, creating: 0 });
    expect(await jobStatus()).toBe("completed");
  });

  it("paused before the day starts: nothing is decided or recorded until Resume", async () => {
    await setIssuancePaused(s.shop, true);
    expect(await runShopDay(s.shop, deps("a"))).toMatchObject({ status: "paused" });
    expect(await db.issuedDiscount.count({ where: { shop: s.shop } })).toBe(0);
    expect(await db.jobRun.count({ where: { shop: s.shop } })).toBe(0);
    await setIssuancePaused(s.shop, false);
    expect(await runShopDay(s.shop, deps("a"))).toMatchObject({ status: "ran", issuance: { created: CUSTOMERS } });
  });
});

describe("Cancel queued and Turn off", () => {
  it("Cancel queued cancels only codes Shopify was never asked for; they are never created, and created ones stay", async () => {
    await runShopDay(s.shop, deps("a", clientWith(downAfter(2))));
    const queuedCodes = (await db.issuedDiscount.findMany({ where: { shop: s.shop, status: "recorded", attemptedAt: null } })).map(
      (r) => r.code!,
    );
    expect(queuedCodes).toHaveLength(3);
    expect(await cancelQueued(s.shop)).toBe(3);
    expect(await countsOf()).toMatchObject({ delivered: 2, creating: 3, queued: 0, cancelled: 3 });

    clock.advance(15 * 60_000);
    const next = await runShopDay(s.shop, deps("b"));
    expect(next).toMatchObject({ status: "ran", unfinished: 0, issuance: { created: 3 } });
    expect(await countsOf()).toMatchObject({ delivered: 5, creating: 0, queued: 0, cancelled: 3 });
    expect(shopifyCodes()).toBe(5);
    for (const code of queuedCodes) expect(emulator.shop(DOMAIN).discounts.codeTaken(code)).toBe(false);

    // Exactly once: the cancelled decisions are not made again, today or later.
    clock.advance(24 * 3_600_000);
    const tomorrow = await runShopDay(s.shop, deps("c"));
    expect(tomorrow).toMatchObject({ status: "ran", issuance: { decisions: 0, created: 0 } });
    expect(shopifyCodes()).toBe(5);
  });

  it("Turn off cancels that rule's queued codes and leaves another rule's alone", async () => {
    const other = (
      await addRule(s.shop, {
        kind: "holidayCampaign",
        name: "Other",
        startsAt: "2026-03-01",
        endsAt: "2026-03-10",
        audience: { type: "everyoneWithConsent" },
        reward: { type: "percentage", percentage: 5 },
      })
    ).id;
    // Nothing reaches Shopify: every code of both rules is recorded; the first 3 attempts fail.
    await runShopDay(
      s.shop,
      deps(
        "a",
        clientWith(() => networkDown()),
      ),
    );
    const before = await issuanceCounts(s.shop);
    const queuedOfRule = before.byRule.get(ruleId)!.queued;
    const queuedOfOther = before.byRule.get(other)!.queued;
    expect(queuedOfRule + queuedOfOther).toBe(2 * CUSTOMERS - 3);

    expect(await turnRuleOff(s.shop, ruleId)).toEqual({ found: true, cancelled: queuedOfRule });
    const after = await issuanceCounts(s.shop);
    expect(after.byRule.get(ruleId)).toMatchObject({ queued: 0, cancelled: queuedOfRule });
    expect(after.byRule.get(other)).toMatchObject({ queued: queuedOfOther, cancelled: 0 });
    expect(await db.discountRule.findFirstOrThrow({ where: { id: ruleId } })).toMatchObject({ enabled: false });

    clock.advance(15 * 60_000);
    await runShopDay(s.shop, deps("b"));
    const done = await issuanceCounts(s.shop);
    // The turned-off rule's codes Shopify was already asked for finish; its cancelled ones never exist.
    expect(done.byRule.get(ruleId)).toMatchObject({ queued: 0, creating: 0, cancelled: queuedOfRule, delivered: CUSTOMERS - queuedOfRule });
    expect(done.byRule.get(other)).toMatchObject({ queued: 0, creating: 0, delivered: CUSTOMERS });
    expect(shopifyCodes()).toBe(2 * CUSTOMERS - queuedOfRule);
  });
});
