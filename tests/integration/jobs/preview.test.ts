import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { previewForShop } from "../../../app/jobs/issuance.server";
import { validateRuleInput } from "../../../app/retention/rewards";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-preview.myshopify.com";
const TZ = "Europe/Kyiv";
// 12:00 in Kyiv on 3 December 2026; the campaign starts next month.
const NOW = new Date("2026-12-03T10:00:00Z");
let emulator: Emulator;
let s: RewardsShop;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: DOMAIN, size: "empty", seed: 5, currency: "UAH", timeZone: TZ }] });
});
afterAll(() => stopEmulatedShopify(emulator));

const newYear = {
  kind: "holidayCampaign",
  name: "Orthodox Christmas",
  startsAt: "2027-01-05",
  endsAt: "2027-01-08",
  audience: { type: "everyoneWithConsent" },
  reward: { type: "percentage", percentage: 10 },
};

let subscribed: string[];

beforeEach(async () => {
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "UAH" });
  subscribed = [await addCustomer(emulator, s.shop), await addCustomer(emulator, s.shop)];
  await addCustomer(emulator, s.shop, { subscribed: false });
});

describe("rule preview on the rule's own dates", () => {
  it("previews a campaign that starts next month on its first day, with the customers due then", async () => {
    const draft = validateRuleInput(newYear, { knownTiers: [], today: "2026-12-03" });
    if (!draft.ok) throw new Error(JSON.stringify(draft.fieldErrors));
    const preview = await previewForShop(s.shop, draft.rule, NOW);
    expect(preview.today).toBe("2026-12-03");
    expect(preview.day).toBe("2027-01-05");
    expect(preview.recipients.sort()).toEqual([...subscribed].sort());
    expect(preview.count).toBe(2);
  });

  it("previews a saved campaign the same way, and a campaign already running on today", async () => {
    const saved = await addRule(s.shop, newYear);
    const stored = { ...saved.rule, id: saved.id } as Parameters<typeof previewForShop>[1];
    expect(await previewForShop(s.shop, stored, NOW)).toMatchObject({ day: "2027-01-05", count: 2 });

    const running = validateRuleInput(
      { ...newYear, startsAt: "2026-12-01", endsAt: "2026-12-10" },
      { knownTiers: [], today: "2026-12-03" },
    );
    if (!running.ok) throw new Error(JSON.stringify(running.fieldErrors));
    expect(await previewForShop(s.shop, running.rule, NOW)).toMatchObject({ today: "2026-12-03", day: "2026-12-03", count: 2 });
  });

  it("previews an undated rule on today", async () => {
    const draft = validateRuleInput(
      { kind: "winback", name: "Come back", reward: { type: "fixedAmount", amount: 100 } },
      { knownTiers: [] },
    );
    if (!draft.ok) throw new Error(JSON.stringify(draft.fieldErrors));
    expect(await previewForShop(s.shop, draft.rule, NOW)).toMatchObject({ today: "2026-12-03", day: "2026-12-03" });
  });
});
