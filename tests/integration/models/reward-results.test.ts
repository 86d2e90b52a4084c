import { beforeAll, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { holdoutPlanningInputs, ruleResults } from "../../../app/models/reward-results.server";
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
