import { beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@prisma/client";
import db from "../../../app/db.server";
import { holdoutPlanningInputs, ruleResults, ruleSummaries } from "../../../app/models/reward-results.server";
import { mulberry32 } from "../../../app/retention/random";
import { rateDifference } from "../../../app/retention/rewards/experiment-stats";

const shop = "itt-results.myshopify.com";
const NOW = new Date("2026-06-01T12:00:00Z");
const at = (d: string) => new Date(`${d}T12:00:00Z`);
const gid = (name: string) => `gid://shopify/Customer/${name}`;
let seq = 0;

async function assign(customer: string, kind: "issue" | "holdout", status: string, created: boolean, decided: string, ends: string) {
  seq++;
  await db.issuedDiscount.create({
    data: {
      shop,
      ruleId: "rule-itt",
      customerShopifyId: gid(customer),
      idempotencyKey: `rule-itt:${customer}:${seq}`,
      kind,
      status,
      code: kind === "issue" ? `CODE${seq}` : null,
      shopifyDiscountId: created ? `gid://shopify/DiscountCodeNode/${seq}` : null,
      startsAt: at(decided),
      endsAt: at(ends),
      createdAt: at(decided),
    },
  });
}

async function order(customer: string, day: string, netTotal: number, extra: { test?: boolean; cancelledAt?: Date } = {}) {
  seq++;
  await db.order.create({
    data: {
      shop,
      shopifyId: `gid://shopify/Order/${seq}`,
      customerShopifyId: gid(customer),
      processedAt: at(day),
      totalPrice: netTotal,
      netTotal,
      currencyCode: "EUR",
      ...extra,
    },
  });
}

describe("a rule's results", () => {
  beforeAll(async () => {
    await db.issuedDiscount.deleteMany({ where: { shop } });
    await db.order.deleteMany({ where: { shop } });
    await db.customer.deleteMany({ where: { shop } });
    // Treated arm: a delivered code, a code Shopify refused, a withheld code, a delivered code whose
    // only order was cancelled, and a recent code whose window is still open.
    await assign("t1", "issue", "delivered", true, "2026-04-01", "2026-04-15");
    await assign("t2", "issue", "failed", false, "2026-04-01", "2026-04-15");
    await assign("t3", "issue", "withheld", false, "2026-04-01", "2026-04-15");
    await assign("t4", "issue", "deactivated", true, "2026-04-01", "2026-04-15");
    await assign("t5", "issue", "delivered", true, "2026-05-25", "2026-06-08");
    await assign("h1", "holdout", "withheld", false, "2026-04-01", "2026-04-15");
    await assign("h2", "holdout", "withheld", false, "2026-04-01", "2026-04-15");
    await assign("h3", "holdout", "withheld", false, "2026-04-01", "2026-04-15");
    await assign("h4", "holdout", "withheld", false, "2026-05-28", "2026-06-11");
    await order("t1", "2026-04-05", 50);
    await order("t3", "2026-04-10", 30);
    await order("t4", "2026-04-06", 99, { cancelledAt: at("2026-04-07") });
    await order("t5", "2026-05-26", 70);
    await order("h1", "2026-04-07", 40);
    await order("h3", "2026-04-08", 25, { test: true });
    for (const c of ["t1", "t3", "t5", "h1"]) await db.customer.create({ data: { shop, shopifyId: gid(c), orderCount: 1 } });
  });

  it("counts everyone assigned (intention to treat) and measures only customers whose window is over", async () => {
    const [r] = await ruleResults(shop, ["rule-itt"], NOW);
    expect(r.issued).toBe(3);
    // t2 (refused) and t3 (withheld) stay in the treated arm; t5 and h4 are assigned but not yet measured.
    expect(r.treated).toMatchObject({ customers: 5, complete: 4, purchasers: 2, windowPurchaseRate: 0.5, revenuePerCustomer: 20 });
    expect(r.heldOut).toMatchObject({ customers: 4, complete: 3, purchasers: 1, windowPurchaseRate: 0.3333, revenuePerCustomer: 13.33 });
    const expected = rateDifference(2, 4, 1, 3)!;
    expect(r.experiment?.state).toBe("tooEarly");
    expect(r.experiment?.purchaseRate?.difference).toBeCloseTo(expected.difference, 12);
    expect(r.experiment?.purchaseRate?.lower).toBeCloseTo(expected.lower, 12);
    expect(r.experiment?.purchaseRate?.upper).toBeCloseTo(expected.upper, 12);
    expect(r.experiment?.revenuePerCustomer?.difference).toBeCloseTo(20 - 40 / 3, 9);
  });

  it("plans a holdout from the customers the rule newly assigned in the last 30 days and the shop's recent buyers", async () => {
    const [r] = await ruleResults(shop, ["rule-itt"], NOW);
    // Too few measured customers for the rule's own rate: one of the shop's four buyers ordered in the last 30 days.
    expect(await holdoutPlanningInputs(shop, "rule-itt", r, NOW)).toEqual({ baseRate: 0.25, baseRateSource: "shop", eligiblePerMonth: 2 });
  });
});

describe("the rules list's aggregate", () => {
  const seeded = "aggregate-results.myshopify.com";
  const rules = ["agg-a", "agg-b", "agg-c", "agg-empty"];
  const DAY = 86_400_000;
  const base = Date.parse("2026-03-01T00:00:00Z");

  beforeAll(async () => {
    await db.issuedDiscount.deleteMany({ where: { shop: seeded } });
    await db.order.deleteMany({ where: { shop: seeded } });
    const rng = mulberry32(23);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
    const ledger: Prisma.IssuedDiscountCreateManyInput[] = [];
    const orders: Prisma.OrderCreateManyInput[] = [];
    let n = 0;
    for (let c = 0; c < 120; c++) {
      const customer = gid(`agg${c}`);
      // Some customers are decided more than once by a rule (a later decision must not count), some by two rules.
      for (let d = 0; d < 1 + Math.floor(rng() * 3); d++) {
        n++;
        const kind = pick(["issue", "issue", "holdout", "remind"] as const);
        const decided = base + Math.floor(rng() * 80) * DAY + Math.floor(rng() * 4) * 3_600_000;
        const starts = rng() < 0.2 ? null : decided + Math.floor(rng() * 3) * DAY;
        // Store credit has no end: its window is 30 days from its start.
        const ends = rng() < 0.3 ? null : (starts ?? decided) + (7 + Math.floor(rng() * 21)) * DAY;
        const created = kind !== "holdout" && rng() < 0.8;
        const redeemed = kind === "issue" && created && rng() < 0.4;
        ledger.push({
          shop: seeded,
          ruleId: pick(rules.slice(0, 3)),
          customerShopifyId: customer,
          idempotencyKey: `agg:${n}`,
          kind,
          status: kind === "remind" ? pick(["delivered", "failed"]) : pick(["delivered", "withheld", "failed"]),
          code: kind === "issue" ? `AGG${n}` : null,
          shopifyDiscountId: created ? `gid://shopify/DiscountCodeNode/agg${n}` : null,
          startsAt: starts === null ? null : new Date(starts),
          endsAt: ends === null ? null : new Date(ends),
          redeemedAt: redeemed ? new Date((starts ?? decided) + DAY) : null,
          redeemedRevenue: redeemed ? Math.round(rng() * 20_000) / 100 : null,
          redeemedDiscount: redeemed && rng() < 0.7 ? Math.round(rng() * 2_000) / 100 : null,
          arm: kind === "issue" && rng() < 0.3 ? "B" : null,
          createdAt: new Date(decided),
        });
        // Orders in, before, after and exactly on the edges of the window; some test or cancelled.
        const start = starts ?? decided;
        const end = ends ?? start + 30 * DAY;
        for (const at of [start, end, end - 1, start - 1, start + Math.floor(rng() * (end - start))]) {
          if (rng() < 0.35) continue;
          n++;
          orders.push({
            shop: seeded,
            shopifyId: `gid://shopify/Order/agg${n}`,
            customerShopifyId: customer,
            processedAt: new Date(at),
            totalPrice: 10,
            netTotal: Math.round(rng() * 10_000) / 100,
            currencyCode: "EUR",
            test: rng() < 0.05,
            cancelledAt: rng() < 0.05 ? new Date(at + DAY) : null,
          });
        }
      }
    }
    await db.issuedDiscount.createMany({ data: ledger });
    await db.order.createMany({ data: orders });
  });

  it("equals the detailed computation's fields it shows, rule by rule, before, during and after the windows", async () => {
    for (const day of [20, 60, 95, 140]) {
      const now = new Date(base + day * DAY);
      const detailed = await ruleResults(seeded, rules, now);
      const summaries = await ruleSummaries(seeded, rules, now);
      expect(summaries.map((s) => s.ruleId)).toEqual(rules);
      const arm = (a: (typeof detailed)[number]["treated"]) => ({
        customers: a.customers,
        complete: a.complete,
        purchasers: a.purchasers,
        windowPurchaseRate: a.windowPurchaseRate,
      });
      expect(summaries).toEqual(
        detailed.map((r) => ({
          ruleId: r.ruleId,
          issued: r.issued,
          redeemed: r.redeemed,
          redemptionRate: r.redemptionRate,
          revenue: r.revenue,
          discountCost: r.discountCost,
          reminders: r.reminders,
          treated: arm(r.treated),
          heldOut: arm(r.heldOut),
          uplift: { windowPurchaseRate: r.uplift.windowPurchaseRate },
          experiment: r.experiment ? { state: r.experiment.state } : null,
        })),
      );
    }
    // The seeded data reaches every case the summary has: measured and open windows, buyers, both arms, redemptions.
    const [a] = await ruleSummaries(seeded, ["agg-a"], new Date(base + 140 * DAY));
    expect(a.treated.purchasers).toBeGreaterThan(0);
    expect(a.heldOut.complete).toBeGreaterThan(a.heldOut.purchasers);
    expect(a.redeemed).toBeGreaterThan(0);
    expect(a.reminders).toBeGreaterThan(0);
    const [early] = await ruleSummaries(seeded, ["agg-a"], new Date(base + 20 * DAY));
    expect(early.treated.customers).toBeGreaterThan(early.treated.complete);
  });

  it("matches the detailed computation for the fixed ledger above as well", async () => {
    const [summary] = await ruleSummaries(shop, ["rule-itt"], NOW);
    expect(summary).toMatchObject({
      issued: 3,
      treated: { customers: 5, complete: 4, purchasers: 2 },
      heldOut: { customers: 4, complete: 3, purchasers: 1 },
    });
    expect(summary.experiment).toEqual({ state: "tooEarly" });
  });
});
