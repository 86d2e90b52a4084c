import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { pollBackfill, startBackfill } from "../../../app/jobs/backfill.server";
import { settled } from "../../../app/jobs/background.server";
import { listRules } from "../../../app/models/rules.server";
import { classifyScore } from "../../../app/retention/feedback/nps";
import { DEMO_STORE_CREDIT_RULE, DEMO_TIER_PROGRAM, seedDemo, seedDemoMyRewards } from "../../emulator/demo-seed";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop, waitFor } from "../../support/sync-helpers";

const SHOP = "demo-seed.myshopify.com";
const LOCALES = ["uk", "en"];
let emulator: Emulator;
let now: Date;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    shops: [{ domain: SHOP, size: "tiny", seed: 2026, currency: "UAH", timeZone: "Europe/Kyiv", locales: LOCALES }],
  });
  await resetDatabase();
  const client = await installShop(emulator, SHOP);
  await startBackfill(SHOP, client);
  await waitFor(
    async () => {
      const run = await pollBackfill(SHOP, client);
      return run?.status === "completed" ? run : null;
    },
    "the demo shop's import",
    120_000,
  );
  // The seeded history ends at the emulator's clock: the demo is seeded "now" for that shop.
  const last = await db.order.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { processedAt: "desc" } });
  now = new Date(last.processedAt.getTime() + 86_400_000);
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
});

const weekOf = (d: Date) => Math.floor(d.getTime() / (7 * 86_400_000));

describe("the demo shop's seeding", () => {
  it("leaves survey answers spread over weeks, detractors with reasons, comments in the shop's languages, and rules as drafts", async () => {
    const result = await seedDemo({ shop: SHOP, locales: LOCALES, timeZone: "Europe/Kyiv", now, seed: 7 });
    expect(result.feedback).toBeGreaterThan(10);

    const answers = await db.feedback.findMany({ where: { shop: SHOP } });
    expect(answers).toHaveLength(result.feedback);
    expect(new Set(answers.map((a) => weekOf(a.createdAt))).size).toBeGreaterThanOrEqual(4);
    expect(answers.every((a) => a.createdAt.getTime() <= now.getTime())).toBe(true);

    const detractors = answers.filter((a) => classifyScore(a.score) === "detractor");
    const promoters = answers.filter((a) => classifyScore(a.score) === "promoter");
    expect(detractors.length).toBeGreaterThan(0);
    expect(promoters.length).toBeGreaterThan(0);
    expect(detractors.every((a) => a.reasons.length > 0)).toBe(true);
    // Some detractors still wait in the follow-up queue.
    expect(detractors.some((a) => a.status === "open")).toBe(true);

    // Every answer belongs to a real order of the shop and its customer.
    const orders = await db.order.findMany({ where: { shop: SHOP, shopifyId: { in: answers.map((a) => a.orderShopifyId) } } });
    const byId = new Map(orders.map((o) => [o.shopifyId, o]));
    for (const a of answers) expect(byId.get(a.orderShopifyId)?.customerShopifyId).toBe(a.customerShopifyId);

    const commented = answers.filter((a) => a.comment);
    expect(new Set(commented.map((a) => a.locale))).toEqual(new Set(LOCALES));
    expect(commented.some((a) => /[а-яіїєґ]/i.test(a.comment!) && a.locale === "uk")).toBe(true);

    const { rules, invalid } = await listRules(SHOP);
    expect(invalid).toEqual([]);
    expect(rules.length).toBe(result.rules);
    expect(new Set(rules.map((r) => r.rule.kind))).toEqual(
      new Set(["winback", "birthday", "loyaltyTiers", "feedbackThanks", "holidayCampaign", "secondOrder", "firstOrderAnniversary"]),
    );
    expect(rules.every((r) => r.rule.enabled === false)).toBe(true);
    const tiers = rules.find((r) => r.rule.kind === "loyaltyTiers")!.rule as { tiers: Array<{ threshold: number }> };
    const thresholds = tiers.tiers.map((t) => t.threshold);
    expect([...thresholds].sort((a, b) => a - b)).toEqual(thresholds);
    expect(thresholds[0]).toBeGreaterThan(0);

    // A restarted demo adds nothing twice.
    expect(await seedDemo({ shop: SHOP, locales: LOCALES, timeZone: "Europe/Kyiv", now, seed: 7 })).toEqual({ feedback: 0, rules: 0 });
    expect(await db.feedback.count({ where: { shop: SHOP } })).toBe(answers.length);
  });

  it("gives the My rewards preview customers with a tier, live codes and store credit, issuing nothing, once", async () => {
    const credited: Array<[string, number]> = [];
    const creditStoreCredit = async (id: string, amount: number) => void credited.push([id, amount]);
    const customers = await seedDemoMyRewards({ shop: SHOP, timeZone: "Europe/Kyiv", now, creditStoreCredit });
    expect(customers).toHaveLength(3);
    expect(customers.every((c) => c.id.startsWith("gid://shopify/Customer/") && c.name !== "")).toBe(true);

    const { rules } = await listRules(SHOP);
    const program = rules.find((r) => r.rule.name === DEMO_TIER_PROGRAM)!.rule as { enabled: boolean; tiers: Array<{ reward: unknown }> };
    // Switched on so the page has a tier to show, and recognition only: it can issue nothing.
    expect(program.enabled).toBe(true);
    expect(program.tiers.every((t) => t.reward === null)).toBe(true);
    expect(rules.find((r) => r.rule.name === DEMO_STORE_CREDIT_RULE)!.rule.enabled).toBe(false);
    expect(rules.filter((r) => r.rule.enabled)).toHaveLength(1);

    const rows = await db.issuedDiscount.findMany({ where: { shop: SHOP } });
    // The first two get live codes and store credit; the last (below the first tier) nothing.
    expect(rows.filter((r) => r.customerShopifyId === customers[2]!.id)).toHaveLength(0);
    for (const customer of customers.slice(0, 2)) {
      const own = rows.filter((r) => r.customerShopifyId === customer.id);
      expect(own.some((r) => r.rewardType !== "storeCredit" && r.status === "delivered" && r.endsAt! > now)).toBe(true);
      expect(own.some((r) => r.rewardType === "storeCredit")).toBe(true);
    }
    expect(credited.map(([id]) => id)).toEqual(customers.slice(0, 2).map((c) => c.id));
    // Their own survey answers, on their own orders.
    const own = await db.feedback.findMany({ where: { shop: SHOP, customerShopifyId: customers[0]!.id, score: { in: [5, 9] } } });
    expect(new Set(own.map((a) => a.score))).toEqual(new Set([5, 9]));
    const feedbackCount = await db.feedback.count({ where: { shop: SHOP } });

    // A restarted demo finds the same customers and adds nothing.
    expect(await seedDemoMyRewards({ shop: SHOP, timeZone: "Europe/Kyiv", now, creditStoreCredit })).toEqual(customers);
    expect(await db.issuedDiscount.count({ where: { shop: SHOP } })).toBe(rows.length);
    expect(await db.feedback.count({ where: { shop: SHOP } })).toBe(feedbackCount);
    expect(credited).toHaveLength(2);
  });
});
