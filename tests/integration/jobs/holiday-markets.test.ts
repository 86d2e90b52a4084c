import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "../../../app/db.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { refreshShopInfo } from "../../../app/jobs/on-install.server";
import { periodOfKey } from "../../../app/models/issued-discounts.server";
import { loader } from "../../../app/routes/app.rules";
import { FLOW_TRIGGER_HANDLE, localDateAt } from "../../../app/retention/rewards";
import { applyFlowLifecycleNotice } from "../../../app/models/flow-usage.server";
import { createAdminClient } from "../../../app/shopify/admin-client.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../support/test-env";
import { addCustomer, addRule, ledger } from "../../support/rules";

const UA = "holidays-kyiv.myshopify.com";
const US = "holidays-brooklyn.myshopify.com";
const clock = fakeClock(Date.parse("2026-09-28T09:00:00Z"));
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [
      { domain: UA, size: "empty", seed: 31, currency: "UAH", timeZone: "Europe/Kyiv" },
      { domain: US, size: "empty", seed: 32, currency: "USD", timeZone: "America/New_York" },
    ],
  });
});
afterAll(() => stopEmulatedShopify(emulator));
beforeEach(async () => {
  clock.set(Date.parse("2026-09-28T09:00:00Z"));
  await resetDatabase();
});

/** Installs the shop as the app does: its details (country included) read from Shopify. */
async function install(domain: string) {
  const accessToken = emulator.issueAccessToken(domain).accessToken;
  await refreshShopInfo({ shop: domain, accessToken });
  // A Flow workflow announces the codes (without one they would be withheld: tests/integration/jobs/reach.test.ts).
  await applyFlowLifecycleNotice(domain, { flowTriggerDefinitionId: FLOW_TRIGGER_HANDLE, hasEnabledFlow: true, timestamp: new Date(0) });
  return createAdminClient({ shop: domain, accessToken });
}

async function presetsShown(domain: string, locale: string): Promise<Array<{ id: string; name: string }>> {
  // The page's session token is signed now; the emulated Shopify checks it (and exchanges it) on its clock.
  clock.set(Date.now());
  const store = domain.replace(".myshopify.com", "");
  const { token } = await getJwt(store, TEST_API_KEY, TEST_API_SECRET);
  const request = new Request(`${TEST_APP_URL}/app/rules?locale=${locale}&_data=routes%2Fapp.rules`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return ((await (await loader({ request, params: {}, context: {} })).json()) as { presets: Array<{ id: string; name: string }> }).presets;
}

describe("holiday presets per market", () => {
  it("offers a Ukrainian shop its own holidays in the admin's language, without 23 February", async () => {
    await install(UA);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: UA } })).countryCode).toBe("UA");
    const presets = await presetsShown(UA, "uk");
    expect(presets.map((p) => p.id)).not.toContain("defender-of-the-fatherland-day");
    expect(presets).toContainEqual({ id: "defenders-of-ukraine-day", name: "День захисників і захисниць України (1 жовтня)" });
    expect(presets).toContainEqual({ id: "christmas", name: "Різдво" });
    expect((await presetsShown(UA, "en")).find((p) => p.id === "defenders-of-ukraine-day")?.name).toBe(
      "Day of Defenders of Ukraine (1 October)",
    );
  });

  it("offers a US shop Mother's Day and not the holidays of other markets", async () => {
    await install(US);
    const ids = (await presetsShown(US, "en")).map((p) => p.id);
    expect(ids).toEqual(["new-year", "valentines-day", "mothers-day", "black-friday", "christmas"]);
  });
});

describe("a yearly campaign", () => {
  it("issues one code per customer each year around its holiday, and nothing between", async () => {
    const client = await install(UA);
    const ruleId = (
      await addRule(UA, {
        kind: "holidayCampaign",
        name: "Захисникам",
        presetId: "defenders-of-ukraine-day",
        holidayDate: "2026-10-01",
        startsAt: "2026-09-26",
        endsAt: "2026-10-01",
        recurrence: "yearly",
        audience: { type: "everyoneWithConsent" },
        reward: { type: "percentage", percentage: 10 },
      })
    ).id;
    const customer = await addCustomer(emulator, UA, {});
    const run = () => runIssuance(UA, localDateAt(new Date(clock.now()), "Europe/Kyiv"), { client, now: () => new Date(clock.now()) });

    expect(await run()).toMatchObject({ created: 1 });
    clock.set(Date.parse("2026-10-01T09:00:00Z"));
    expect(await run()).toMatchObject({ created: 0, decisions: 0 });
    clock.set(Date.parse("2027-03-01T09:00:00Z"));
    expect(await run()).toMatchObject({ created: 0, decisions: 0 });
    clock.set(Date.parse("2027-09-27T09:00:00Z"));
    expect(await run()).toMatchObject({ created: 1 });

    const rows = (await ledger(UA)).filter((r) => r.ruleId === ruleId && r.kind === "issue");
    expect(rows.map((r) => [r.customerShopifyId, periodOfKey(r.idempotencyKey)])).toEqual([
      [customer, `campaign:${ruleId}:2026`],
      [customer, `campaign:${ruleId}:2027`],
    ]);
    // The second year's code is valid for the second year's run, to the end of 1 October in Kyiv.
    expect(rows[1].endsAt?.toISOString()).toBe("2027-10-01T21:00:00.000Z");
  });

  it("reminds customers holding the code once, the chosen number of days before each run ends", async () => {
    const client = await install(UA);
    clock.set(Date.parse("2026-09-28T09:00:00Z"));
    const ruleId = (
      await addRule(UA, {
        kind: "holidayCampaign",
        name: "Захисникам",
        presetId: "defenders-of-ukraine-day",
        holidayDate: "2026-10-01",
        startsAt: "2026-09-26",
        endsAt: "2026-10-01",
        recurrence: "yearly",
        reminderDaysBeforeEnd: 2,
        audience: { type: "everyoneWithConsent" },
        reward: { type: "percentage", percentage: 10 },
      })
    ).id;
    const customer = await addCustomer(emulator, UA, {});
    const triggers = () =>
      emulator
        .shop(UA)
        .flowTriggers.filter((t) => (t.payload as { customer_id: number }).customer_id === Number(customer.split("/").pop()));
    const run = () => runIssuance(UA, localDateAt(new Date(clock.now()), "Europe/Kyiv"), { client, now: () => new Date(clock.now()) });
    emulator.shop(UA).flowTriggers.length = 0;

    expect(await run()).toMatchObject({ created: 1, delivered: 1 });
    expect(triggers().map((t) => (t.payload as { moment: string }).moment)).toEqual(["issued"]);
    clock.set(Date.parse("2026-09-29T09:00:00Z"));
    expect(await run()).toMatchObject({ created: 0, delivered: 1 });
    clock.set(Date.parse("2026-09-30T09:00:00Z"));
    expect(await run()).toMatchObject({ created: 0, delivered: 0, decisions: 0 });
    const [issued, reminder] = triggers().map((t) => t.payload as { moment: string; code: string });
    expect(reminder).toMatchObject({ moment: "lastChance", code: issued.code });
    expect((await ledger(UA)).filter((r) => r.ruleId === ruleId).map((r) => [r.kind, periodOfKey(r.idempotencyKey)])).toEqual([
      ["issue", `campaign:${ruleId}:2026`],
      ["remind", `campaign:${ruleId}:2026:remind:-2`],
    ]);
  });
});
