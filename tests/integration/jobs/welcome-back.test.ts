/**
 * Welcome back through the daily run's loading (loadScheduleInput) and the rule preview: the order history
 * is read only when a rule to decide reads it, and its days are the shop's, which moves the gap's boundary.
 */
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { loadScheduleInput, previewForShop } from "../../../app/jobs/issuance.server";
import { applyFlowLifecycleNotice } from "../../../app/models/flow-usage.server";
import { upsertOrders } from "../../../app/models/orders.server";
import { createRule, setRuleEnabled } from "../../../app/models/rules.server";
import { FLOW_TRIGGER_HANDLE, validateRuleInput, type RuleDraft } from "../../../app/retention/rewards";
import type { OrderRecord } from "../../../app/sync/records";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "welcome-back.myshopify.com";
const ANA = "gid://shopify/Customer/1";
// Noon in Kyiv on 3 March 2026: the returning order was placed on 2 March, 08:00 UTC.
const NOW = new Date("2026-03-03T10:00:00Z");

function order(n: number, at: string): OrderRecord {
  return {
    shopifyId: `gid://shopify/Order/${n}`,
    customerShopifyId: ANA,
    name: null,
    processedAt: new Date(at),
    shopifyUpdatedAt: null,
    totalPrice: 50,
    totalRefunded: 0,
    currencyCode: "UAH",
    cancelledAt: null,
    test: false,
    discountCodes: [],
    totalDiscounts: 0,
  };
}

function welcomeRule(gapDays: number): RuleDraft {
  const result = validateRuleInput(
    { kind: "welcomeBack", name: "Welcome back", reward: { type: "percentage", percentage: 10 }, gapDays },
    { knownTiers: [] },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.rule;
}

async function shopIn(timeZone: string) {
  await db.shop.upsert({
    where: { shop: SHOP },
    create: { shop: SHOP, name: "Welcome back", ianaTimezone: timeZone, currencyCode: "UAH" },
    update: { ianaTimezone: timeZone },
  });
  // A Flow workflow carries the code to the customer (without one the preview counts it as withheld).
  await applyFlowLifecycleNotice(SHOP, { flowTriggerDefinitionId: FLOW_TRIGGER_HANDLE, hasEnabledFlow: true, timestamp: new Date(0) });
}

describe("welcome back in the daily run's loading", () => {
  beforeEach(async () => {
    await resetDatabase();
    await db.customer.create({ data: { shop: SHOP, shopifyId: ANA, email: "ana@example.com", orderCount: 2, totalSpent: 100 } });
    // The previous order late on 2 September UTC, which is 3 September in Kyiv; the return on 2 March.
    await upsertOrders(SHOP, [order(1, "2025-09-02T23:30:00Z"), order(2, "2026-03-02T08:00:00Z")]);
  });

  it("reads the order history only when an enabled rule, or the previewed draft, reads it", async () => {
    await shopIn("Europe/Kyiv");
    const today = "2026-03-03";
    expect((await loadScheduleInput(SHOP, today, NOW)).input.customers[0].orderHistory).toBeUndefined();
    const id = await createRule(SHOP, { ...welcomeRule(180), enabled: false });
    expect((await loadScheduleInput(SHOP, today, NOW)).input.customers[0].orderHistory).toBeUndefined();
    await setRuleEnabled(SHOP, id, true);
    expect((await loadScheduleInput(SHOP, today, NOW)).input.customers[0].orderHistory).toBeDefined();
  });

  it("counts the gap between the shop's days: 180 days in Kyiv is 181 in UTC", async () => {
    // A draft, previewed: it is not enabled, so the preview must ask for the history itself.
    await shopIn("Europe/Kyiv");
    expect((await previewForShop(SHOP, welcomeRule(180), NOW)).recipients).toEqual([ANA]);
    expect((await previewForShop(SHOP, welcomeRule(181), NOW)).recipients).toEqual([]);
    await shopIn("UTC");
    expect((await previewForShop(SHOP, welcomeRule(181), NOW)).recipients).toEqual([ANA]);
  });
});
