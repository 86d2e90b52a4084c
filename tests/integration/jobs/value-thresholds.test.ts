/**
 * Issue 23 item 3: the high-value predicted-CLV threshold (the 80th percentile of the scored customers, nearest
 * rank) is counted once by the recompute and stored with the model state; Settings' segments card and the segment
 * sync read it instead of counting every scored customer on each load. Before a run stored it, they count.
 */
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { recomputeShop } from "../../../app/jobs/recompute.server";
import { desiredSegments } from "../../../app/jobs/kinship-segments.server";
import { readModelState, saveShopModelState, type StoredModelState } from "../../../app/models/model-state.server";
import { refreshCustomerAggregates, upsertCustomers } from "../../../app/models/customers.server";
import { upsertOrders } from "../../../app/models/orders.server";
import { predictedClvPercentile, storedPredictedClvPercentile } from "../../../app/models/value-thresholds.server";
import { HIGH_VALUE_PERCENTILE, kinshipSegments } from "../../../app/retention/segments/kinship-segments";
import { DEFAULT_LIFECYCLE_SETTINGS } from "../../../app/retention/segments/lifecycle";
import { shopifySegmentsView } from "../../../app/services/shopify-segments.server";
import { mulberry32 } from "../../../app/retention/random";
import { resetDatabase } from "../../support/fixtures";
import { simulatedShopRecords } from "../../support/sync-records";

const SHOP = "thresholds-shop.myshopify.com";
const NOW = new Date("2026-11-01T12:00:00Z");

async function seedSimulatedShop(customers: number, repeat = true) {
  const { orders, people } = simulatedShopRecords(mulberry32(11), customers, NOW, { repeat });
  await db.shop.create({ data: { shop: SHOP, currencyCode: "EUR", ianaTimezone: "Europe/Kyiv" } });
  await upsertCustomers(SHOP, people);
  await upsertOrders(SHOP, orders);
  await refreshCustomerAggregates(SHOP);
}

/** Nearest rank over every scored customer, from the rows themselves (not through the module under test). */
async function nearestRank(share: number): Promise<number | null> {
  const values = (await db.customer.findMany({ where: { shop: SHOP, predictedClv: { not: null } }, select: { predictedClv: true } }))
    .map((c) => c.predictedClv!)
    .sort((a, b) => a - b);
  if (!values.length) return null;
  return values[Math.min(values.length - 1, Math.max(0, Math.ceil(share * values.length) - 1))];
}

async function stateText() {
  return (await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelState;
}

const queryFor = (clvHighValueThreshold: number) =>
  kinshipSegments({ pAliveThreshold: DEFAULT_LIFECYCLE_SETTINGS.pAliveThreshold, clvHighValueThreshold, tierNames: [] }).find(
    (s) => s.key === "value:at_risk_high_value",
  )?.query;
const atRiskQuery = async () => (await desiredSegments(SHOP, "en")).find((s) => s.key === "value:at_risk_high_value")?.query;

describe("the high-value threshold stored by the recompute", () => {
  beforeEach(resetDatabase);

  it("equals a recount over the scores it has just written", async () => {
    await seedSimulatedShop(400);
    const { state } = await recomputeShop(SHOP, NOW);
    const stored = readModelState(await stateText()).valueThresholds;
    const recount = await predictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE);
    expect(recount).not.toBeNull();
    expect(recount).toBe(await nearestRank(HIGH_VALUE_PERCENTILE));
    expect(stored).toEqual({ highValue: { share: HIGH_VALUE_PERCENTILE, predictedClv: recount } });
    expect(state.valueThresholds).toEqual(stored);
    expect(await storedPredictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(recount);
  });

  it("is stored as null when no customer has a predicted CLV, as a recount says", async () => {
    await seedSimulatedShop(40, false);
    const { state } = await recomputeShop(SHOP, NOW);
    expect(state.model.status).toBe("insufficient");
    const recount = await predictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE);
    expect(readModelState(await stateText()).valueThresholds).toEqual({
      highValue: { share: HIGH_VALUE_PERCENTILE, predictedClv: recount },
    });
    expect(await storedPredictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(recount);
  });

  it("is what the segments card and the segment sync read until the next recompute", async () => {
    await seedSimulatedShop(400);
    await recomputeShop(SHOP, NOW);
    const stored = readModelState(await stateText()).valueThresholds!.highValue.predictedClv!;
    const query = await atRiskQuery();
    expect(query).toBe(queryFor(stored));
    expect(query).not.toBe(queryFor(1_000_000));
    // Scores moved after the run (order webhooks re-score single customers): a recount would now say otherwise.
    await db.customer.updateMany({ where: { shop: SHOP, predictedClv: { not: null } }, data: { predictedClv: 1_000_000 } });
    expect(await predictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(1_000_000);
    expect(await atRiskQuery()).toBe(query);
    const card = await shopifySegmentsView(SHOP, "en");
    expect(card.rows.find((r) => r.key === "value:at_risk_high_value")?.query).toBe(query);
    // The next run counts again.
    await recomputeShop(SHOP, NOW);
    expect(await storedPredictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(await predictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE));
  });

  it("is counted on each read before a run stored it: never scored, or a state from before this change", async () => {
    await seedSimulatedShop(50);
    // Scores written without a recompute (as a state stored by an older version leaves them).
    const customers = await db.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, select: { id: true } });
    for (const [i, c] of customers.entries()) await db.customer.update({ where: { id: c.id }, data: { predictedClv: 10 * (i + 1) } });
    expect(await stateText()).toBeNull();
    // 80 % of 50 customers: the 40th value, 400.
    expect(await storedPredictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(400);
    expect(await atRiskQuery()).toBe(queryFor(400));

    const { state } = await recomputeShop(SHOP, NOW);
    const older: Partial<StoredModelState> = { ...state };
    delete older.valueThresholds;
    await saveShopModelState(SHOP, older as StoredModelState, NOW);
    expect(readModelState(await stateText()).valueThresholds).toBeNull();
    await db.customer.updateMany({ where: { shop: SHOP }, data: { predictedClv: 77 } });
    expect(await storedPredictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(77);
    // A value stored for another share is not this one's.
    await saveShopModelState(SHOP, { ...state, valueThresholds: { highValue: { share: 0.5, predictedClv: 5 } } }, NOW);
    expect(await storedPredictedClvPercentile(SHOP, HIGH_VALUE_PERCENTILE)).toBe(77);
  });
});
