// Guarded rules (#23): drafts by default, turning on only through the first run's confirmation (a dry
// run of the real scheduler), defaults scaled to the shop, one rule per overlapping kind, and the
// per-customer caps across all rules in the daily run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "../../../app/db.server";
import { firstRunForShop } from "../../../app/jobs/issuance.server";
import { runShopDay, type SchedulerDeps } from "../../../app/jobs/scheduler.server";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { action, loader } from "../../../app/routes/app.rules.$id";
import { action as listAction } from "../../../app/routes/app.rules";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../support/test-env";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "../../support/rules";

const STORE = "rewards-guarded";
const SHOP = `${STORE}.myshopify.com`;
let emulator: Emulator;
let s: RewardsShop;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, size: "empty", seed: 23, currency: "UAH", timeZone: "Europe/Kyiv" }] });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  emulator.shop(SHOP).discounts.byId.clear();
  await resetDatabase();
  s = await setUpShop(emulator, SHOP, { timeZone: "Europe/Kyiv", currencyCode: "UAH", defaultCaps: true });
});

async function authed(url: string, init: RequestInit = {}) {
  const { token } = await getJwt(STORE, TEST_API_KEY, TEST_API_SECRET);
  return new Request(url, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" } });
}

async function post(id: string, fields: Record<string, string>): Promise<Response> {
  const request = await authed(`${TEST_APP_URL}/app/rules/${id}?_data=routes%2Fapp.rules.%24id`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  try {
    return (await action({ request, params: { id }, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Loaded = { values: Record<string, string>; enabled: boolean; confirmation: Record<string, string | boolean | null> | null };
async function load(id: string, query = ""): Promise<Loaded> {
  const request = await authed(`${TEST_APP_URL}/app/rules/${id}?_data=routes%2Fapp.rules.%24id${query}`);
  return (await (await loader({ request, params: { id }, context: {} })).json()) as Loaded;
}

const winbackForm = {
  intent: "save",
  kind: "winback",
  name: "Come back",
  enabled: "true",
  "reward.type": "percentage",
  "reward.percentage": "15",
  validityDays: "14",
  cooldownDays: "90",
  holdoutShare: "0",
};
const deps = (now: Date): SchedulerDeps => ({ owner: "test", clientFor: async () => s.client, now: () => now });
const lapsed = { lifecycle: "lapsed", lapsedSince: new Date("2026-01-01T00:00:00Z"), totalSpent: 3_000, orderCount: 2 };

describe("new rules are drafts; only the confirmation turns one on", () => {
  it("saves a new rule off even when the form says on, and offers a draft form", async () => {
    expect((await load("new", "&kind=winback")).values.enabled).toBe("false");
    const response = await post("new", winbackForm);
    expect(response.status).toBe(302);
    const saved = await db.discountRule.findFirstOrThrow({ where: { shop: SHOP } });
    expect(saved.enabled).toBe(false);
  });

  it("refuses turning on without the confirmation (rule page and list), and turns on with it", async () => {
    const { id } = await addRule(SHOP, { kind: "winback", name: "W", enabled: false, reward: { type: "percentage", percentage: 10 } });
    expect((await post(id, { intent: "turnOn" })).status).toBe(400);
    const listRequest = await authed(`${TEST_APP_URL}/app/rules?_data=routes%2Fapp.rules`, {
      method: "POST",
      body: new URLSearchParams({ intent: "toggle", id, enabled: "true" }),
    });
    expect(((await listAction({ request: listRequest, params: {}, context: {} })) as Response).status).toBe(400);
    expect((await db.discountRule.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
    // An edit keeps it a draft.
    expect((await post(id, { ...winbackForm, name: "W2" })).status).toBe(302);
    expect((await db.discountRule.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);

    expect((await post(id, { intent: "turnOn", confirmed: "yes" })).status).toBe(302);
    expect((await db.discountRule.findUniqueOrThrow({ where: { id } })).enabled).toBe(true);
  });

  it("the confirmation's figures are what the real run then issues (caps and the other rules included)", async () => {
    for (let i = 0; i < 6; i++) await addCustomer(emulator, SHOP, lapsed);
    await addCustomer(emulator, SHOP, { ...lapsed, subscribed: false });
    // An enabled campaign is decided first and takes two customers' one code of the day.
    await addRule(SHOP, {
      kind: "holidayCampaign",
      name: "Spring",
      startsAt: "2026-01-01",
      endsAt: "2036-12-31",
      audience: { type: "everyoneWithConsent" },
      reward: { type: "fixedAmount", amount: 100 },
      budget: { maxCount: 2 },
    });
    const { id } = await addRule(SHOP, { kind: "winback", name: "W", enabled: false, reward: { type: "percentage", percentage: 10 } });

    const page = await load(id, "&turnOn=1");
    expect(page.confirmation).not.toBeNull();
    const now = new Date();
    const dry = await firstRunForShop(SHOP, id, now);
    expect(dry).not.toBeNull();
    // Six consenting customers: two already have today's one code from the campaign, so they wait.
    expect(dry!).toMatchObject({ audience: 6, count: 4, capped: 2 });
    expect(page.confirmation).toMatchObject({ codes: String(dry!.count), audience: "6", capped: String(dry!.capped) });
    expect(await db.issuedDiscount.count()).toBe(0);
    expect(emulator.shop(SHOP).discounts.byId.size).toBe(0);

    expect((await post(id, { intent: "turnOn", confirmed: "yes" })).status).toBe(302);
    const outcome = await runShopDay(SHOP, deps(now));
    expect(outcome).toMatchObject({ status: "ran", issuance: { capped: dry!.capped } });
    const rows = await db.issuedDiscount.findMany({ where: { shop: SHOP, ruleId: id } });
    const issued = rows.filter((r) => r.kind === "issue");
    expect(issued).toHaveLength(dry!.count);
    expect(rows.filter((r) => r.kind === "holdout")).toHaveLength(dry!.heldOut);
    expect(Math.round(issued.reduce((sum, r) => sum + (r.amount ?? 0), 0) * 100) / 100).toBe(dry!.maxCost);
  });

  it("after today's run has decided, the first run is tomorrow's", async () => {
    await addCustomer(emulator, SHOP, lapsed);
    const { id } = await addRule(SHOP, { kind: "winback", name: "W", enabled: false, reward: { type: "percentage", percentage: 10 } });
    const now = new Date();
    const before = await firstRunForShop(SHOP, id, now);
    await runShopDay(SHOP, deps(now));
    const after = await firstRunForShop(SHOP, id, now);
    expect(after!.runsOn > before!.runsOn).toBe(true);
    expect(after!.count).toBe(1);
  });
});

describe("defaults scale with the shop", () => {
  it("a hryvnia shop gets tiers from its own spend, not 100 / 500 / 1,000, and a thank-you worth something there", async () => {
    for (let i = 0; i < 20; i++) {
      const gid = await addCustomer(emulator, SHOP, { totalSpent: 1_000 + i * 500, orderCount: 2 });
      for (const n of [0, 1]) {
        await db.order.create({
          data: {
            shop: SHOP,
            shopifyId: `${gid}-${n}`,
            customerShopifyId: gid,
            processedAt: new Date("2026-06-01T00:00:00Z"),
            totalPrice: 500 + i * 250,
            netTotal: 500 + i * 250,
            currencyCode: "UAH",
          },
        });
      }
    }
    const tiers = (await load("new", "&kind=loyaltyTiers")).values;
    const thresholds = [tiers["tiers.0.threshold"], tiers["tiers.1.threshold"], tiers["tiers.2.threshold"]].map(Number);
    // Spend 1,000–10,500: percentiles 5,750 / 8,600 / 10,025 → nice numbers.
    expect(thresholds).toEqual([6_000, 8_000, 10_000]);
    expect((await load("new", "&kind=feedbackThanks")).values["reward.amount"]).toBe("150");
  });
});

describe("one rule per overlapping kind", () => {
  const tiersForm = (name: string) => ({
    intent: "save",
    kind: "loyaltyTiers",
    name,
    metric: "netSpend",
    window: "lifetime",
    graceDays: "30",
    validityDays: "30",
    holdoutShare: "0",
    "tiers.0.name": "Bronze",
    "tiers.0.threshold": "5000",
    "tiers.0.reward.type": "percentage",
    "tiers.0.reward.percentage": "5",
  });

  it("refuses a second loyalty-tier programme and a second win-back rule with a clear message; nothing written", async () => {
    expect((await post("new", tiersForm("Club"))).status).toBe(302);
    const before = await db.discountRule.findMany({ orderBy: { id: "asc" } });
    const second = await post("new", tiersForm("VIP"));
    expect(second.status).toBe(409);
    const body = (await second.json()) as { fieldErrors: Record<string, string[]> };
    expect(body.fieldErrors.form).toEqual([
      "This shop already has a loyalty-tier programme, “Club”. Change its tiers instead of adding a second one: customers would collect codes from both.",
    ]);
    expect(await db.discountRule.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    // Editing the one programme is fine.
    expect((await post(before[0].id, tiersForm("Club 2"))).status).toBe(302);

    expect((await post("new", winbackForm)).status).toBe(302);
    const again = await post("new", { ...winbackForm, name: "Second" });
    expect(again.status).toBe(409);
    expect(await db.discountRule.count({ where: { shop: SHOP, kind: "winback" } })).toBe(1);
  });
});

describe("per-customer caps across all rules in the daily run", () => {
  it("never gives a customer more codes than the caps, however many rules are due, and counts the rest", async () => {
    const customers: string[] = [];
    for (let i = 0; i < 5; i++) customers.push(await addCustomer(emulator, SHOP, { ...lapsed, birthDate: "1990-01-01" }));
    await addRule(SHOP, { kind: "winback", name: "W", reward: { type: "percentage", percentage: 10 } });
    for (const [name, audience] of [
      ["A", { type: "everyoneWithConsent" }],
      ["B", { type: "segment", segmentId: "lifecycle:lapsed" }],
    ] as const) {
      await addRule(SHOP, {
        kind: "holidayCampaign",
        name,
        startsAt: "2026-01-01",
        endsAt: "2036-12-31",
        audience,
        reward: { type: "percentage", percentage: 5 },
      });
    }
    await saveShopSettings(SHOP, { customerCaps: { perDay: 1, per30Days: 2 } });
    const day = (n: number) => new Date(Date.now() + n * 86_400_000);
    const perCustomer = async () => {
      const rows = await db.issuedDiscount.findMany({ where: { shop: SHOP, kind: "issue" } });
      return customers.map((c) => rows.filter((r) => r.customerShopifyId === c).length);
    };

    const first = await runShopDay(SHOP, deps(day(0)));
    expect(first).toMatchObject({ status: "ran", issuance: { created: 5, capped: 10 } });
    expect(await perCustomer()).toEqual([1, 1, 1, 1, 1]);
    const second = await runShopDay(SHOP, deps(day(1)));
    expect(second).toMatchObject({ status: "ran", issuance: { created: 5, capped: 5 } });
    expect(await perCustomer()).toEqual([2, 2, 2, 2, 2]);
    // The 30-day cap holds: nothing more until the window moves on.
    const third = await runShopDay(SHOP, deps(day(2)));
    expect(third).toMatchObject({ status: "ran", issuance: { created: 0, capped: 5 } });
    expect(await perCustomer()).toEqual([2, 2, 2, 2, 2]);
  });
});
