import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { loadScheduleInput, runIssuance } from "../../../app/jobs/issuance.server";
import { decideDayOffThread } from "../../../app/jobs/day-decisions.server";
import { sweepExpiredRewards } from "../../../app/jobs/scheduler.server";
import { periodOfKey } from "../../../app/models/issued-discounts.server";
import { recordRedemptions, ruleResults } from "../../../app/models/reward-results.server";
import { tierStateOf } from "../../../app/models/tier-states.server";
import { decideDay, flowPayloadProblems, FLOW_TRIGGER_HANDLE, localDateAt } from "../../../app/retention/rewards";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { saveCustomerBirthday } from "../../../app/jobs/birthdays.server";
import { enableBirthdayDefinition } from "../../../app/shopify/customer-metafields.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import type { DiscountRecord } from "../../emulator/store/discounts";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop, crashFirstMutation } from "../../support/rules";

const DOMAIN = "rewards-issuance.myshopify.com";
const TZ = "Europe/Berlin";
// 12:00 in Berlin on 14 May 2026.
const NOW = Date.parse("2026-05-14T10:00:00Z");
const clock = fakeClock(NOW);
let emulator: Emulator;
let s: RewardsShop;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 3, currency: "EUR", timeZone: TZ }],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

const discounts = (): DiscountRecord[] => [...emulator.shop(DOMAIN).discounts.byId.values()];
const discountsFor = (customer: string) =>
  discounts().filter((d) => d.context.type === "customers" && d.context.customerIds.includes(customer));
const flowTriggers = () => emulator.shop(DOMAIN).flowTriggers;
const run = (client: AdminClient = s.client) =>
  runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), { client, now: () => new Date(clock.now()) });

let birthdayRule: string;
let winbackRule: string;
let ana: string;
let ben: string;
let cleo: string;

beforeEach(async () => {
  clock.set(NOW);
  emulator.shop(DOMAIN).discounts.byId.clear();
  emulator.shop(DOMAIN).flowTriggers.length = 0;
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "EUR" });
  birthdayRule = (
    await addRule(s.shop, { kind: "birthday", name: "Birthday", reward: { type: "percentage", percentage: 15 }, minimumSubtotal: 40 })
  ).id;
  winbackRule = (
    await addRule(s.shop, { kind: "winback", name: "Come back", reward: { type: "fixedAmount", amount: 10 }, validityDays: 14 })
  ).id;
  // Birthday on 17 May: window 10–20 May, reminders on 10, 14 and 17 May.
  ana = await addCustomer(emulator, s.shop, { birthDate: "1990-05-17" });
  ben = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z") });
  // Lapsed but never agreed to marketing: a win-back offer nobody may announce is not issued.
  cleo = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z"), subscribed: false });
});

describe("issuance against the emulated shop", () => {
  it("makes today's decisions on a worker thread, the same as decideDay makes them here", async () => {
    const today = localDateAt(new Date(clock.now()), TZ);
    const { input } = await loadScheduleInput(s.shop, today, new Date(clock.now()));
    const offThread = await decideDayOffThread(input, { always: true });
    expect(offThread.ranOn).toBe("worker");
    expect(offThread.result.decisions.length).toBeGreaterThan(0);
    expect(offThread.result).toEqual(decideDay(input));
    // A shop this small is decided here: starting the thread would cost more than the decisions.
    expect((await decideDayOffThread(input)).ranOn).toBe("inline");
  });

  it("records nothing and creates nothing while the decisions are being made; the database still answers meanwhile", async () => {
    const hold = new Int32Array(new SharedArrayBuffer(4));
    let finished = false;
    const running = runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), {
      client: s.client,
      now: () => new Date(clock.now()),
      holdDecisions: hold,
    }).then((summary) => {
      finished = true;
      return summary;
    });
    running.catch(() => undefined);
    // Ordering, not timing: the run cannot decide before the hold is released, and this thread is free meanwhile.
    for (let i = 0; i < 3; i++) expect(await ledger(s.shop)).toEqual([]);
    expect(finished).toBe(false);
    expect(discounts()).toHaveLength(0);
    Atomics.store(hold, 0, 1);
    Atomics.notify(hold, 0);
    expect(await running).toMatchObject({ created: 2, failed: 0 });
    expect(discountsFor(ana)).toHaveLength(1);
    expect(discountsFor(ben)).toHaveLength(1);
  });

  it("creates each due code once, restricted to its customer, with the rule's dates, value and usage limit", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ created: 2, adopted: 0, failed: 0, retryLater: 0 });

    const [anaCode] = discountsFor(ana);
    expect(discountsFor(ana)).toHaveLength(1);
    expect(anaCode).toMatchObject({
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { type: "customers", customerIds: [ana] },
      value: { type: "percentage", percentage: 0.15 },
      minimumRequirement: { subtotalCents: 4000 },
      // From the start of 10 May to the end of 20 May, Berlin time (CEST, UTC+2).
      startsAt: Date.parse("2026-05-09T22:00:00Z"),
      endsAt: Date.parse("2026-05-20T22:00:00Z"),
    });
    const [benCode] = discountsFor(ben);
    expect(benCode).toMatchObject({
      usageLimit: 1,
      context: { type: "customers", customerIds: [ben] },
      value: { type: "amount", amountCents: 1000 },
      minimumRequirement: null,
      startsAt: Date.parse("2026-05-13T22:00:00Z"),
      endsAt: Date.parse("2026-05-27T22:00:00Z"),
    });
    expect(discountsFor(cleo)).toHaveLength(0);

    // The ledger holds the same codes, created and delivered.
    const rows = await ledger(s.shop);
    const anaIssue = rows.find((r) => r.customerShopifyId === ana && r.kind === "issue")!;
    expect(anaIssue).toMatchObject({
      status: "delivered",
      shopifyDiscountId: `gid://shopify/DiscountCodeNode/${anaCode.id}`,
      code: anaCode.codes[0].code,
    });
    expect(anaIssue.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/);
    expect(rows.find((r) => r.customerShopifyId === ben)).toMatchObject({
      status: "delivered",
      code: benCode.codes[0].code,
      ruleId: winbackRule,
    });
  });

  it("writes code and expiry to kinship metafields and fires the declared Flow trigger with a matching payload", async () => {
    await run();
    const anaCode = discountsFor(ana)[0].codes[0].code;
    const shop = emulator.shop(DOMAIN);
    expect(shop.metafields.get(ana, "kinship", "reward_code")?.value).toBe(anaCode);
    expect(shop.metafields.get(ana, "kinship", "reward_expires_at")).toMatchObject({ type: "date_time", value: "2026-05-20T22:00:00Z" });
    expect(shop.metafields.get(ben, "kinship", "reward_offer")?.value).toBe("10.00 EUR off");

    // The birthday code itself is announced by today's −3 reminder; the win-back offer announces itself.
    const triggers = flowTriggers();
    expect(triggers.map((t) => t.handle)).toEqual([FLOW_TRIGGER_HANDLE, FLOW_TRIGGER_HANDLE]);
    for (const t of triggers) expect(flowPayloadProblems(t.payload)).toEqual([]);
    const byCustomer = Object.fromEntries(triggers.map((t) => [(t.payload as { customer_id: number }).customer_id, t.payload]));
    expect(byCustomer[Number(ana.split("/").pop())]).toEqual({
      customer_id: Number(ana.split("/").pop()),
      code: anaCode,
      reason: "birthday",
      expiresAt: "2026-05-20T22:00:00.000Z",
      moment: "before3",
      ruleName: "Birthday",
      offer: "15% off",
    });
    expect(byCustomer[Number(ben.split("/").pop())]).toMatchObject({ reason: "winback", moment: "issued", offer: "10.00 EUR off" });
    expect(byCustomer[Number(cleo.split("/").pop())]).toBeUndefined();
  });

  it("writes the offer customers read in the shop's primary language, English without the locales scope", async () => {
    const locales = emulator.shop(DOMAIN).locales;
    const english = locales.splice(
      0,
      locales.length,
      { locale: "uk", primary: true, published: true },
      { locale: "en", primary: false, published: true },
    );
    try {
      await run();
      const shop = emulator.shop(DOMAIN);
      expect(shop.metafields.get(ben, "kinship", "reward_offer")?.value).toBe("Знижка 10.00 EUR");
      const offers = flowTriggers()
        .map((t) => (t.payload as { offer: string }).offer)
        .sort();
      expect(offers).toEqual(["Знижка 10.00 EUR", "Знижка 15%"]);

      // A shop that has not granted read_locales yet: Shopify answers ACCESS_DENIED, customers read English.
      await resetDatabase();
      emulator.shop(DOMAIN).discounts.byId.clear();
      const scopes = emulator.appScopes.filter((scope) => scope !== "read_locales");
      const { createAdminClient } = await import("../../../app/shopify/admin-client.server");
      const bare = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "EUR" });
      const client = createAdminClient({ shop: bare.shop, accessToken: emulator.issueAccessToken(DOMAIN, scopes).accessToken });
      await addRule(bare.shop, { kind: "winback", name: "Come back", reward: { type: "fixedAmount", amount: 10 }, validityDays: 14 });
      const dan = await addCustomer(emulator, bare.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z") });
      expect((await run(client)).delivered).toBe(1);
      expect(shop.metafields.get(dan, "kinship", "reward_offer")?.value).toBe("10.00 EUR off");
    } finally {
      locales.splice(0, locales.length, ...english);
    }
  });

  it("re-running the same day issues, delivers and notifies nothing new", async () => {
    await run();
    const rowsBefore = await ledger(s.shop);
    const second = await run();
    expect(second).toMatchObject({ decisions: 0, created: 0, adopted: 0, delivered: 0, flowTriggers: 0, reconciled: 0 });
    expect(discounts()).toHaveLength(2);
    expect(flowTriggers()).toHaveLength(2);
    expect((await ledger(s.shop)).map((r) => [r.idempotencyKey, r.code, r.status])).toEqual(
      rowsBefore.map((r) => [r.idempotencyKey, r.code, r.status]),
    );
  });

  it("reminders fire once per moment: nothing on the days between, the birthday moment once", async () => {
    await run();
    for (const day of ["2026-05-15", "2026-05-16"]) {
      clock.set(Date.parse(`${day}T10:00:00Z`));
      expect((await run()).flowTriggers).toBe(0);
    }
    clock.set(Date.parse("2026-05-17T10:00:00Z"));
    expect((await run()).flowTriggers).toBe(1);
    expect((await run()).flowTriggers).toBe(0);
    const moments = flowTriggers().map((t) => (t.payload as { moment: string }).moment);
    expect(moments.filter((m) => m === "birthday")).toHaveLength(1);
    expect(discountsFor(ana)).toHaveLength(1);
  });

  // The decision and its code are on record before Shopify is asked.
  const crashOnce = (client: AdminClient, when: "beforeSend" | "answerLost", seenRecorded: string[]) =>
    crashFirstMutation(client, "discountCodeBasicCreate", when, async (variables) => {
      const code = (variables.basicCodeDiscount as { code: string }).code;
      const row = await db.issuedDiscount.findFirst({ where: { shop: client.shop, code } });
      if (row?.status === "recorded") seenRecorded.push(code);
    });

  it.each(["beforeSend", "answerLost"] as const)(
    "a crash between recording and Shopify (%s) resolves on the next run without a duplicate code",
    async (when) => {
      const seenRecorded: string[] = [];
      const first = await run(crashOnce(s.client, when, seenRecorded));
      expect(seenRecorded).toHaveLength(1);
      expect(first.retryLater).toBe(1);
      const stuck = await db.issuedDiscount.findFirstOrThrow({ where: { shop: s.shop, code: seenRecorded[0], kind: "issue" } });
      expect(stuck.status).toBe("recorded");
      expect(discounts().filter((d) => d.codes[0].code === seenRecorded[0])).toHaveLength(when === "answerLost" ? 1 : 0);

      const second = await run();
      expect(second.decisions).toBe(0);
      expect(second.reconciled).toBeGreaterThanOrEqual(1);
      expect(second).toMatchObject(when === "answerLost" ? { adopted: 1, created: 0 } : { adopted: 0, created: 1 });
      const customer = stuck.customerShopifyId;
      const codes = discountsFor(customer);
      expect(codes).toHaveLength(1);
      expect(codes[0].codes[0].code).toBe(seenRecorded[0]);
      expect(await db.issuedDiscount.findFirstOrThrow({ where: { id: stuck.id } })).toMatchObject({
        status: "delivered",
        shopifyDiscountId: `gid://shopify/DiscountCodeNode/${codes[0].id}`,
      });
      expect(await db.issuedDiscount.count({ where: { shop: s.shop, customerShopifyId: customer, kind: "issue" } })).toBe(1);

      // And a third run has nothing left to do.
      expect(await run()).toMatchObject({ created: 0, adopted: 0, reconciled: 0, decisions: 0 });
    },
  );

  it("records held-out customers without sending anything to Shopify", async () => {
    const rule = (
      await addRule(s.shop, { kind: "winback", name: "Measured", reward: { type: "percentage", percentage: 10 }, holdoutShare: 0.5 })
    ).id;
    await db.discountRule.update({ where: { id: winbackRule }, data: { enabled: false } });
    const lapsed: string[] = [];
    for (let i = 0; i < 16; i++)
      lapsed.push(await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-03-01T00:00:00Z") }));
    const summary = await run();
    const rows = (await ledger(s.shop)).filter((r) => r.ruleId === rule);
    const held = rows.filter((r) => r.kind === "holdout");
    const issued = rows.filter((r) => r.kind === "issue");
    expect(held.length).toBeGreaterThan(0);
    expect(issued.length).toBeGreaterThan(0);
    expect(summary.heldOut).toBe(held.length);
    expect(held.every((r) => r.status === "withheld" && r.code === null && r.shopifyDiscountId === null)).toBe(true);
    for (const r of held) expect(discountsFor(r.customerShopifyId)).toHaveLength(0);
    for (const r of issued) expect(discountsFor(r.customerShopifyId)).toHaveLength(1);
    const [result] = await ruleResults(s.shop, [rule], new Date(clock.now()));
    expect(result.treated.customers + result.heldOut.customers).toBe(17);
  });

  it("pauses a rule at its monthly cap and says why", async () => {
    await db.discountRule.delete({ where: { id: winbackRule } });
    const capped = (
      await addRule(s.shop, { kind: "winback", name: "Capped", reward: { type: "fixedAmount", amount: 5 }, budget: { maxCount: 1 } })
    ).id;
    await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-20T00:00:00Z") });
    const summary = await run();
    expect(summary.paused).toEqual([expect.objectContaining({ ruleId: capped, limit: "count", withheld: 1 })]);
    expect(await db.issuedDiscount.count({ where: { shop: s.shop, ruleId: capped, kind: "issue" } })).toBe(1);
    expect((await db.discountRule.findUniqueOrThrow({ where: { id: capped } })).pausedReason).toMatch(
      /^Paused: the monthly cap of 1 codes is reached/,
    );
  });

  it("reads redemptions back from orders and deactivates expired codes nobody used", async () => {
    await run();
    const anaRow = (await ledger(s.shop)).find((r) => r.customerShopifyId === ana && r.kind === "issue")!;
    await db.order.create({
      data: {
        shop: s.shop,
        shopifyId: "gid://shopify/Order/9001",
        customerShopifyId: ana,
        processedAt: new Date("2026-05-16T09:00:00Z"),
        totalPrice: 85,
        netTotal: 85,
        currencyCode: "EUR",
        discountCodes: `WELCOME10,${anaRow.code!.toLowerCase()}`,
        totalDiscounts: 12.5,
      },
    });
    expect(await recordRedemptions(s.shop)).toBe(1);
    expect(await recordRedemptions(s.shop)).toBe(0);
    expect(await db.issuedDiscount.findUniqueOrThrow({ where: { id: anaRow.id } })).toMatchObject({
      redeemedOrderId: "gid://shopify/Order/9001",
      redeemedRevenue: 85,
      redeemedDiscount: 12.5,
      redeemedAt: new Date("2026-05-16T09:00:00Z"),
    });
    const [birthday, winback] = await ruleResults(s.shop, [birthdayRule, winbackRule], new Date(clock.now()));
    expect(birthday).toMatchObject({ issued: 1, redeemed: 1, revenue: 85, discountCost: 12.5, redemptionRate: 1, reminders: 1 });
    // A code redeemed before its order's discount was synced takes it once the order carries one.
    await db.issuedDiscount.update({ where: { id: anaRow.id }, data: { redeemedDiscount: null } });
    await db.order.updateMany({ where: { shop: s.shop, shopifyId: "gid://shopify/Order/9001" }, data: { totalDiscounts: 0 } });
    expect(await recordRedemptions(s.shop)).toBe(0);
    expect((await db.issuedDiscount.findUniqueOrThrow({ where: { id: anaRow.id } })).redeemedDiscount).toBeNull();
    await db.order.updateMany({ where: { shop: s.shop, shopifyId: "gid://shopify/Order/9001" }, data: { totalDiscounts: 12.5 } });
    await recordRedemptions(s.shop);
    expect((await db.issuedDiscount.findUniqueOrThrow({ where: { id: anaRow.id } })).redeemedDiscount).toBe(12.5);
    expect(winback).toMatchObject({ issued: 1, redeemed: 0, revenue: 0, discountCost: 0 });

    // After both codes ended: Ben's unused one is deactivated, Ana's redeemed one is kept as the record.
    clock.set(Date.parse("2026-06-01T10:00:00Z"));
    const sweep = await sweepExpiredRewards(s.shop, s.client, new Date(clock.now()));
    expect(sweep).toEqual({
      counts: { active: 0, expiredUnused: 1, expiredRedeemed: 1, alreadyDeactivated: 0 },
      deactivated: 1,
      failed: 0,
    });
    expect((await ledger(s.shop)).find((r) => r.customerShopifyId === ben)?.status).toBe("deactivated");
    expect((await sweepExpiredRewards(s.shop, s.client, new Date(clock.now()))).counts.alreadyDeactivated).toBe(1);
  });
});

describe("loyalty tiers across days", () => {
  it("moving up issues the new tier's code once; moving down waits for the grace period; changes are dated", async () => {
    const rule = (
      await addRule(s.shop, {
        kind: "loyaltyTiers",
        name: "Club",
        metric: "netSpend",
        graceDays: 10,
        tiers: [
          { name: "Silver", threshold: 500, reward: { type: "fixedAmount", amount: 20 } },
          { name: "Gold", threshold: 1000, reward: { type: "percentage", percentage: 10 } },
        ],
      })
    ).id;
    const dan = await addCustomer(emulator, s.shop, { totalSpent: 600, orderCount: 4 });
    const spend = (totalSpent: number) => db.customer.updateMany({ where: { shop: s.shop, shopifyId: dan }, data: { totalSpent } });
    const runOn = async (day: string) => {
      clock.set(Date.parse(`${day}T10:00:00Z`));
      return run();
    };
    const danCodes = async () =>
      (await ledger(s.shop)).filter((r) => r.customerShopifyId === dan && r.ruleId === rule).map((r) => periodOfKey(r.idempotencyKey));

    await runOn("2026-05-14");
    expect(await danCodes()).toEqual(["tier:Silver"]);
    await spend(1200);
    await runOn("2026-05-15");
    expect(await danCodes()).toEqual(["tier:Silver", "tier:Gold"]);
    expect(discountsFor(dan).map((d) => d.value)).toEqual([
      { type: "amount", amountCents: 2000, appliesOnEachItem: false },
      { type: "percentage", percentage: 0.1 },
    ]);

    await spend(700);
    await runOn("2026-05-16");
    await runOn("2026-05-25");
    expect((await tierStateOf(s.shop, rule, dan)).tier).toBe("Gold");
    expect((await db.customer.findFirstOrThrow({ where: { shop: s.shop, shopifyId: dan } })).tier).toBe("Gold");

    await runOn("2026-05-26");
    const state = await tierStateOf(s.shop, rule, dan);
    expect(state).toMatchObject({ tier: "Silver", since: "2026-05-26", belowSince: null });
    expect(state.history).toEqual([
      { from: null, to: "Silver", on: "2026-05-14", direction: "up" },
      { from: "Silver", to: "Gold", on: "2026-05-15", direction: "up" },
      { from: "Gold", to: "Silver", on: "2026-05-26", direction: "down" },
    ]);
    expect(await db.customer.findFirstOrThrow({ where: { shop: s.shop, shopifyId: dan } })).toMatchObject({
      tier: "Silver",
      tierSince: new Date("2026-05-26T00:00:00Z"),
    });
    // Back in Silver: that tier's code was already given, nothing new.
    expect(await danCodes()).toEqual(["tier:Silver", "tier:Gold"]);
    expect(discountsFor(dan)).toHaveLength(2);
  });
});

describe("birthdays written back to Shopify", () => {
  it("enables facts.birth_date once and stores a collected birthday there and locally", async () => {
    expect(await enableBirthdayDefinition(s.client)).toEqual({ enabled: true, created: true });
    expect(await enableBirthdayDefinition(s.client)).toEqual({ enabled: true, created: false });
    await saveCustomerBirthday(s.shop, ben, "1988-02-29", s.client);
    expect(emulator.shop(DOMAIN).metafields.get(ben, "facts", "birth_date")).toMatchObject({ type: "date", value: "1988-02-29" });
    expect((await db.customer.findFirstOrThrow({ where: { shop: s.shop, shopifyId: ben } })).birthday).toBe("1988-02-29");
  });
});
