import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { importBirthdays } from "../../../app/jobs/birthdays.server";
import { recordConsents } from "../../../app/models/consent-records.server";
import { countWithheld } from "../../../app/models/issued-discounts.server";
import { exportCustomerData } from "../../../app/models/privacy.server";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { recordSurfaceLoad } from "../../../app/models/surface-use.server";
import { localDateAt } from "../../../app/retention/rewards";
import { reachHealth } from "../../../app/services/reach-health.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-reach.myshopify.com";
const TZ = "Europe/Kyiv";
const NOW = Date.parse("2026-05-14T09:00:00Z");
const clock = fakeClock(NOW);
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startAppWebhookServer>>;
let s: RewardsShop;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 15, currency: "UAH", timeZone: TZ }],
  });
  app = await startAppWebhookServer();
  emulator.setAppUrl(app.url);
});
afterAll(async () => {
  await app?.close();
  await stopEmulatedShopify(emulator);
});

const discounts = () => [...emulator.shop(DOMAIN).discounts.byId.values()];
const run = () => runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), { client: s.client, now: () => new Date(clock.now()) });

let birthdayRule: string;
let winbackRule: string;
let ana: string;
let ben: string;
let cleo: string;

beforeEach(async () => {
  clock.set(NOW);
  emulator.shop(DOMAIN).discounts.byId.clear();
  await resetDatabase();
  // A freshly installed shop: Flow has never told Kinship of a workflow using its trigger.
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "UAH", flowWorkflow: false });
  birthdayRule = (await addRule(s.shop, { kind: "birthday", name: "Birthday", reward: { type: "percentage", percentage: 15 } })).id;
  winbackRule = (
    await addRule(s.shop, { kind: "winback", name: "Come back", reward: { type: "fixedAmount", amount: 100 }, validityDays: 14 })
  ).id;
  ana = await addCustomer(emulator, s.shop, { birthDate: "1990-05-17" });
  ben = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z") });
  cleo = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z"), subscribed: false });
});

describe("a delivery channel for every code, or no code", () => {
  it("a shop with no Flow workflow and no store-credit rule creates no code, spends nothing, and says why on the rule and the health card", async () => {
    const summary = await run();
    expect(summary).toMatchObject({ created: 0, delivered: 0, flowTriggers: 0, withheld: { noDeliveryChannel: 2 }, excludedForConsent: 1 });
    expect(discounts()).toEqual([]);
    const rows = await ledger(s.shop);
    expect(rows.map((r) => [r.customerShopifyId, r.status, r.withheldReason, r.code, r.amount])).toEqual(
      expect.arrayContaining([
        [ana, "withheld", "noDeliveryChannel", null, 0],
        [ben, "withheld", "noDeliveryChannel", null, 0],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect((await countWithheld(s.shop)).sort((a, b) => a.ruleId.localeCompare(b.ruleId))).toEqual(
      [
        { ruleId: birthdayRule, reason: "noDeliveryChannel", count: 1 },
        { ruleId: winbackRule, reason: "noDeliveryChannel", count: 1 },
      ].sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    );
    const health = await reachHealth(s.shop, new Date(clock.now()));
    expect(health).toMatchObject({ flowWorkflow: false, rulesNeedingFlow: 2, withheldTotal: 2, consentExcluded: 1, refusedLastWeek: 0 });

    // A second run the same day withholds nothing twice.
    expect((await run()).withheld).toEqual({ noDeliveryChannel: 2 });
    expect(await ledger(s.shop)).toHaveLength(2);
  });

  it("once Flow says a workflow uses the trigger, the withheld codes are created and announced, each once", async () => {
    await run();
    const answer = await emulator.sendFlowLifecycle(DOMAIN, { enabled: true });
    expect(answer.status).toBe(200);
    expect((await reachHealth(s.shop)).flowWorkflow).toBe(true);

    clock.set(NOW + 3_600_000);
    const summary = await run();
    expect(summary).toMatchObject({ created: 2, withheld: {} });
    expect(discounts()).toHaveLength(2);
    const rows = (await ledger(s.shop)).filter((r) => r.kind === "issue");
    expect(rows.map((r) => [r.status, r.withheldReason])).toEqual([
      ["delivered", null],
      ["delivered", null],
    ]);
    expect(rows.every((r) => r.code && r.shopifyDiscountId)).toBe(true);
    // Ana's birthday code is announced by its reminder, now that something carries it.
    expect(emulator.shop(DOMAIN).flowTriggers.length).toBeGreaterThan(0);
    expect((await run()).created).toBe(0);

    // The merchant turns the workflow off: new decisions are withheld again.
    clock.set(NOW + 7_200_000);
    expect((await emulator.sendFlowLifecycle(DOMAIN, { enabled: false })).status).toBe(200);
    expect((await reachHealth(s.shop)).flowWorkflow).toBe(false);
  });

  it("once the customer account page is loaded by a signed-in customer, codes are created and count as delivered without Flow; a page unopened for 30 days stops counting", async () => {
    await run();
    expect((await reachHealth(s.shop, new Date(clock.now()))).customerAccountPage).toEqual({
      firstLoadedAt: null,
      lastLoadedAt: null,
      inUse: false,
    });
    await recordSurfaceLoad(s.shop, "customerAccountPage", new Date(clock.now()));
    expect((await reachHealth(s.shop, new Date(clock.now()))).customerAccountPage).toEqual({
      firstLoadedAt: new Date(NOW),
      lastLoadedAt: new Date(NOW),
      inUse: true,
    });

    clock.set(NOW + 3_600_000);
    expect(await run()).toMatchObject({ created: 2, withheld: {} });
    const issues = (await ledger(s.shop)).filter((r) => r.kind === "issue");
    expect(issues.map((r) => [r.customerShopifyId, r.status, r.withheldReason]).sort()).toEqual(
      [
        [ana, "delivered", null],
        [ben, "delivered", null],
      ].sort(),
    );
    expect(discounts()).toHaveLength(2);

    // Thirty-one days without a load: the page no longer counts, and a new lapsed customer's code is withheld.
    clock.set(NOW + 31 * 86_400_000);
    expect((await reachHealth(s.shop, new Date(clock.now()))).customerAccountPage.inUse).toBe(false);
    const dora = await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-05-20T08:00:00Z") });
    await run();
    expect((await ledger(s.shop)).find((r) => r.customerShopifyId === dora && r.kind === "issue")).toMatchObject({
      status: "withheld",
      withheldReason: "noDeliveryChannel",
    });
  });

  it("refuses a lifecycle callback with a bad HMAC (401) and writes nothing; an older callback never overrides a newer one", async () => {
    const forged = await emulator.sendFlowLifecycle(DOMAIN, { enabled: true, secret: "not-the-app-secret" });
    expect(forged.status).toBe(401);
    expect(await db.flowTriggerUsage.count()).toBe(0);
    expect((await run()).created).toBe(0);

    expect((await emulator.sendFlowLifecycle(DOMAIN, { enabled: false, timestamp: "2026-05-14T09:00:00.000Z" })).status).toBe(200);
    const late = await emulator.sendFlowLifecycle(DOMAIN, { enabled: true, timestamp: "2026-05-13T09:00:00.000Z" });
    expect(late.status).toBe(200);
    expect((await reachHealth(s.shop)).flowWorkflow).toBe(false);
  });

  it("settles first callbacks that arrive together by their timestamps: the newest wins, each is answered 200", async () => {
    const definitionId = "kinship-racing-trigger";
    const stamps = ["2026-05-20T09:00:03.000Z", "2026-05-20T09:00:01.000Z", "2026-05-20T09:00:02.000Z"];
    const answers = await Promise.all(
      stamps.map((timestamp, i) => emulator.sendFlowLifecycle(DOMAIN, { enabled: i === 0, timestamp, definitionId })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const row = await db.flowTriggerUsage.findFirstOrThrow({ where: { flowTriggerDefinitionId: definitionId } });
    expect({ enabled: row.hasEnabledFlow, at: row.notifiedAt.toISOString() }).toEqual({ enabled: true, at: stamps[0] });
  });
});

describe("the consent policy decides who is eligible", () => {
  beforeEach(async () => {
    expect((await emulator.sendFlowLifecycle(DOMAIN, { enabled: true })).status).toBe(200);
  });

  it("a customer without marketing consent gets no promotional code, until the merchant calls the kind service", async () => {
    const first = await run();
    expect(first.excludedForConsent).toBe(1);
    expect(
      discounts()
        .flatMap((d) => (d.context.type === "customers" ? d.context.customerIds : []))
        .sort(),
    ).toEqual([ana, ben].sort());
    expect((await reachHealth(s.shop)).consentExcluded).toBe(1);

    await saveShopSettings(s.shop, { consent: { kindPurposes: { winback: "service" } } });
    const second = await run();
    expect(second).toMatchObject({ created: 1, excludedForConsent: 0 });
    expect(discounts().some((d) => d.context.type === "customers" && d.context.customerIds.includes(cleo))).toBe(true);
    // No promotional rule is left, so nobody is left out for consent.
    await saveShopSettings(s.shop, { consent: { kindPurposes: { birthday: "service" } } });
    expect((await reachHealth(s.shop)).consentExcluded).toBe(0);
  });

  it("with the requirement off everyone is reached; turned back on, a customer without consent is left out again", async () => {
    await saveShopSettings(s.shop, { consent: { promotionalRequiresMarketingConsent: false } });
    const open = await run();
    expect(open).toMatchObject({ created: 3, excludedForConsent: 0 });
    expect(discounts().some((d) => d.context.type === "customers" && d.context.customerIds.includes(cleo))).toBe(true);

    const dan = await addCustomer(emulator, s.shop, {
      lifecycle: "lapsed",
      lapsedSince: new Date("2026-04-02T08:00:00Z"),
      subscribed: false,
    });
    await saveShopSettings(s.shop, { consent: { promotionalRequiresMarketingConsent: true } });
    const closed = await run();
    expect(closed).toMatchObject({ created: 0, excludedForConsent: 1 });
    expect((await ledger(s.shop)).some((r) => r.customerShopifyId === dan)).toBe(false);
  });
});

describe("consent as a record", () => {
  it("keeps when, where and under which text a customer agreed, and puts it in the customer data export", async () => {
    await recordConsents(s.shop, [
      {
        customerShopifyId: ana,
        purpose: "birthday",
        granted: true,
        source: "checkoutSurvey",
        textVersion: "survey-birthday-1",
        givenAt: new Date("2026-05-01T10:00:00Z"),
      },
    ]);
    const email = (await db.customer.findFirstOrThrow({ where: { shop: s.shop, shopifyId: ben } })).email ?? "";
    const imported = await importBirthdays(s.shop, s.client, `${email},1988-02-29\n`, "2026-05-14");
    expect(imported.updated).toBe(1);

    const anaExport = await exportCustomerData(s.shop, ana);
    expect(anaExport.consents).toEqual([
      {
        purpose: "birthday",
        granted: true,
        source: "checkoutSurvey",
        textVersion: "survey-birthday-1",
        givenAt: new Date("2026-05-01T10:00:00Z"),
      },
    ]);
    const benExport = await exportCustomerData(s.shop, ben);
    expect(benExport.consents).toEqual([
      expect.objectContaining({ purpose: "birthday", granted: true, source: "csvImport", textVersion: null }),
    ]);
    expect((await exportCustomerData(s.shop, cleo)).consents).toEqual([]);
  });
});
