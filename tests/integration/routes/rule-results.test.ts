import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { loader, type ResultsState } from "../../../app/routes/app.rules.$id_.results";
import { appRequest, call, installShop } from "../../support/admin-routes";
import { resetDatabase } from "../../support/fixtures";
import { addRule } from "../../support/rules";

// Issue #18 item 5: one rule's results page, in each state the experiment can be in.
const SHOP = "rule-results.myshopify.com";
const DAY = 86_400_000;
const decided = new Date("2026-06-01T10:00:00Z");

interface Arm {
  customers: number;
  buyers: number;
}

/** A rule whose customers were all decided on one day in June (windows long over) with these arms. */
async function ruleWith(treated: Arm, heldOut: Arm | null): Promise<string> {
  const { id } = await addRule(SHOP, {
    kind: "winback",
    name: "Come back",
    reward: { type: "percentage", percentage: 10 },
    holdoutShare: 0.5,
  });
  const rows = [];
  const orders = [];
  for (const [kind, arm] of [
    ["issue", treated],
    ["holdout", heldOut],
  ] as const) {
    for (let i = 0; arm && i < arm.customers; i++) {
      const customer = `gid://shopify/Customer/${kind}-${i}`;
      const buys = i < arm.buyers;
      const code = kind === "issue" ? `KIN${i}` : null;
      rows.push({
        shop: SHOP,
        ruleId: id,
        customerShopifyId: customer,
        idempotencyKey: `${id}:${customer}`,
        code,
        shopifyDiscountId: kind === "issue" ? `gid://shopify/DiscountCodeNode/${i}` : null,
        kind,
        status: kind === "issue" ? "delivered" : "recorded",
        startsAt: decided,
        endsAt: new Date(decided.getTime() + 14 * DAY),
        createdAt: decided,
        ...(buys && code ? { redeemedAt: new Date(decided.getTime() + 3 * DAY), redeemedRevenue: 45, redeemedDiscount: 5 } : {}),
      });
      if (buys)
        orders.push({
          shop: SHOP,
          shopifyId: `gid://shopify/Order/${kind}-${i}`,
          customerShopifyId: customer,
          processedAt: new Date(decided.getTime() + 3 * DAY),
          totalPrice: 45,
          netTotal: 45,
          currencyCode: "EUR",
          discountCodes: code ?? "",
          totalDiscounts: code ? 5 : 0,
        });
    }
  }
  await db.issuedDiscount.createMany({ data: rows });
  await db.order.createMany({ data: orders });
  return id;
}

interface Page {
  name: string;
  results: {
    state: ResultsState;
    discountCost: string;
    rate: { difference: string } | null;
    revenuePer100: { difference: string; lower: string; upper: string } | null;
    costPer100: { difference: string } | null;
    profitPer100: { difference: string } | null;
    timeline: { label: string; treated: number | null; heldOut: number | null }[];
  };
}

async function page(id: string) {
  return call<Page>(loader, await appRequest(SHOP, `/app/rules/${id}/results?locale=en`), { id });
}

beforeEach(async () => {
  await resetDatabase();
  await installShop(SHOP, { currencyCode: "EUR", ianaTimezone: "Europe/Zagreb" });
});

describe("a rule's results page", () => {
  it("works: intervals in points and in money per 100 eligible customers, the discounts' cost, the arms over time", async () => {
    const { status, body } = await page(await ruleWith({ customers: 30, buyers: 20 }, { customers: 30, buyers: 3 }));
    expect(status).toBe(200);
    expect(body.results.state).toBe("works");
    // 20 of 30 redeemed 5.00 each.
    expect(body.results.discountCost).toBe("€100.00");
    expect(body.results.rate?.difference).toBe("+56.7");
    // Before the discount: 20 × 50 / 30 − 3 × 45 / 30 = 28.83 a customer; cost 20 × 5 / 30 = 3.33; profit 25.50.
    expect(body.results.revenuePer100?.difference).toBe("€2,883.33");
    expect(body.results.costPer100?.difference).toBe("€333.33");
    expect(body.results.profitPer100?.difference).toBe("€2,550.00");
    expect(body.results.timeline).toEqual([{ label: expect.any(String), treated: 66.7, heldOut: 10 }]);
  });

  it("hurts, no detectable effect yet, too early, and not measured without a holdout", async () => {
    const cases: [Arm, Arm | null, ResultsState][] = [
      [{ customers: 30, buyers: 2 }, { customers: 30, buyers: 20 }, "hurts"],
      [{ customers: 30, buyers: 10 }, { customers: 30, buyers: 9 }, "noDetectableEffect"],
      [{ customers: 5, buyers: 5 }, { customers: 5, buyers: 0 }, "tooEarly"],
      [{ customers: 10, buyers: 4 }, null, "noHoldout"],
    ];
    for (const [treated, heldOut, state] of cases) {
      await resetDatabase();
      await installShop(SHOP, { currencyCode: "EUR", ianaTimezone: "Europe/Zagreb" });
      const { status, body } = await page(await ruleWith(treated, heldOut));
      expect({ status, state: body.results.state }).toEqual({ status: 200, state });
      if (state === "noHoldout") expect(body.results).toMatchObject({ rate: null, revenuePer100: null, timeline: [] });
    }
  });

  it("answers 404 for a rule that does not exist", async () => {
    const { status } = await page("no-such-rule");
    expect(status).toBe(404);
  });
});
