/**
 * The dashboard's "customers by loyalty tier" chart lists the tiers in their programme's order, the way the
 * merchant set them up (Bronze, Silver, Gold), not alphabetically (Bronze, Gold, Silver); seen in the #23 walk.
 */
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../../app/db.server";
import { tierCounts } from "../../../../app/models/views/dashboard-views.server";
import { resetDatabase } from "../../../support/fixtures";
import { addRule } from "../../../support/rules";

const SHOP = "tier-order.myshopify.com";

beforeEach(async () => {
  await resetDatabase();
  await addRule(SHOP, {
    kind: "loyaltyTiers",
    name: "Club",
    metric: "netSpend",
    tiers: [
      { name: "Bronze", threshold: 100, reward: { type: "percentage", percentage: 5 } },
      { name: "Silver", threshold: 500, reward: { type: "percentage", percentage: 10 } },
      { name: "Gold", threshold: 1000, reward: { type: "percentage", percentage: 15 } },
    ],
  });
  const tiers = ["Gold", "Silver", "Bronze", "Gold", null, "Legacy"];
  await db.customer.createMany({ data: tiers.map((tier, i) => ({ shop: SHOP, shopifyId: String(1000 + i), tier })) });
});

describe("tierCounts", () => {
  it("lists tiers in the programme's order, a tier no longer in it after them, customers without a tier last", async () => {
    expect(await tierCounts(SHOP)).toEqual([
      { key: "Bronze", count: 1 },
      { key: "Silver", count: 1 },
      { key: "Gold", count: 2 },
      { key: "Legacy", count: 1 },
      { key: null, count: 1 },
    ]);
  });
});
