import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { recomputeShop, rescoreCustomers } from "../../../app/jobs/recompute.server";
import { readModelState, type StoredModelState } from "../../../app/models/model-state.server";
import { refreshCustomerAggregates, upsertCustomers } from "../../../app/models/customers.server";
import { upsertOrders } from "../../../app/models/orders.server";
import { mulberry32 } from "../../../app/retention/random";
import { paretoNbdProbabilityAlive } from "../../../app/retention/clv/pareto-nbd";
import { summarizeTransactions } from "../../../app/retention/clv/summary";
import { localDayConverter } from "../../../app/retention/time";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { DEFAULT_LIFECYCLE_SETTINGS } from "../../../app/retention/segments/lifecycle";
import { resetDatabase } from "../../support/fixtures";
import { customerRecord, orderRecord, simulatedShopRecords } from "../../support/sync-records";

const SHOP = "scoring-shop.myshopify.com";
const NOW = new Date("2026-11-01T12:00:00Z");
const DAY = 86_400_000;

/** A shop whose customers buy by a BG/NBD process (daily units) over up to two years. */
async function seedSimulatedShop(customers: number, repeat = true) {
  const { orders, people } = simulatedShopRecords(mulberry32(7), customers, NOW, { repeat });
  await db.shop.create({ data: { shop: SHOP, currencyCode: "EUR", ianaTimezone: "Europe/Kyiv" } });
  await upsertCustomers(SHOP, people);
  await upsertOrders(SHOP, orders);
  await refreshCustomerAggregates(SHOP);
  return orders.length;
}

describe("recompute job", () => {
  beforeEach(resetDatabase);

  it("scores every customer, stores the fitted model, insights and backtest", async () => {
    await seedSimulatedShop(600);
    const { state, scored } = await recomputeShop(SHOP, NOW);
    expect(scored).toBe(600);
    expect(state.model.status).toBe("fitted");
    expect(state.backtest?.status).toBe("fitted");
    // Issue 19 "model choice": all three candidates were scored on the last third of the history, and the choice
    // is read back as stored. This shop (BG/NBD data) keeps BG/NBD.
    const storedChoice = readModelState((await db.shop.findUnique({ where: { shop: SHOP } }))?.modelState).modelChoice;
    expect(storedChoice).toEqual(state.modelChoice);
    expect(storedChoice?.candidates.map((c) => c.model)).toEqual(["bgnbd", "pareto-nbd", "mbg-nbd"]);
    expect(storedChoice).toMatchObject({ chosen: "bgnbd", reason: "bgnbd-best" });
    const customers = await db.customer.findMany({ where: { shop: SHOP } });
    expect(customers.every((c) => c.scoredAt !== null && c.rfmSegment && c.lifecycle)).toBe(true);
    expect(new Set(customers.map((c) => c.lifecycle))).toEqual(new Set(["new", "loyal", "regular", "lapsed"]));
    expect(customers.every((c) => c.pAlive !== null && c.pAlive >= 0 && c.pAlive <= 1)).toBe(true);
    // Dated by each customer's own history, not by the day of the first scoring.
    const lapsed = customers.filter((c) => c.lifecycle === "lapsed");
    for (const c of lapsed) {
      expect(c.lapsedSince!.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(c.lapsedSince!.getTime()).toBeGreaterThan(c.lastOrderAt!.getTime());
    }
    expect(lapsed.filter((c) => c.lapsedSince!.getTime() < NOW.getTime() - 30 * DAY).length).toBeGreaterThan(lapsed.length / 2);
    const stored = JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelState!) as StoredModelState;
    expect(stored.insights.repeatPurchaseRate).toBeGreaterThan(0);
    expect(stored.asOf).toBe("2026-11-01");
  });

  it("keeps the day a customer entered Lapsed across recomputes", async () => {
    await seedSimulatedShop(300);
    await recomputeShop(SHOP, NOW);
    const first = new Map(
      (await db.customer.findMany({ where: { shop: SHOP, lifecycle: "lapsed" } })).map((c) => [c.id, c.lapsedSince!.getTime()]),
    );
    // Ninety days on, under a stricter threshold, history would date them differently: the day stays.
    await saveShopSettings(SHOP, { lifecycle: { ...DEFAULT_LIFECYCLE_SETTINGS, intervalMultiple: 1.5 } });
    await recomputeShop(SHOP, new Date(NOW.getTime() + 90 * DAY));
    const stillLapsed = await db.customer.findMany({ where: { shop: SHOP, lifecycle: "lapsed", id: { in: [...first.keys()] } } });
    expect(stillLapsed.length).toBeGreaterThan(0);
    for (const c of stillLapsed) expect(c.lapsedSince!.getTime()).toBe(first.get(c.id));
  });

  it("a shop without repeat buyers is scored without the model and says why", async () => {
    await seedSimulatedShop(40, false);
    const { state } = await recomputeShop(SHOP, NOW);
    expect(state.model.status).toBe("insufficient");
    if (state.model.status === "insufficient") expect(state.model.reason).toMatch(/repeat/i);
    const customers = await db.customer.findMany({ where: { shop: SHOP } });
    expect(customers.every((c) => c.predictedClv === null && c.historicClv !== null)).toBe(true);
  });

  it("applies the command's data rules: a fully refunded order is no purchase, a 1e9 order is capped, a future one waits; the counts are stored", async () => {
    await seedSimulatedShop(300);
    const order = (id: string, customer: string, at: Date, totalPrice: number, totalRefunded = 0) =>
      orderRecord({ shopifyId: `gid://shopify/Order/${id}`, customerShopifyId: customer, processedAt: at, totalPrice, totalRefunded });
    // Twins: the same first order; one also has a later order that was refunded in full.
    const first = new Date(NOW.getTime() - 200 * DAY);
    const twins = ["gid://shopify/Customer/9001", "gid://shopify/Customer/9002"];
    const whale = "gid://shopify/Customer/9003";
    await upsertCustomers(
      SHOP,
      [...twins, whale].map((shopifyId, i) => customerRecord(shopifyId, `extra${i}@shop.test`)),
    );
    await upsertOrders(SHOP, [
      order("t1", twins[0], first, 60),
      order("t2", twins[1], first, 60),
      order("t3", twins[1], new Date(NOW.getTime() - 100 * DAY), 45, 45),
      order("w1", whale, first, 60),
      order("w2", whale, new Date(NOW.getTime() - 100 * DAY), 1e9),
      order("f1", twins[0], new Date(NOW.getTime() + 400 * DAY), 30),
    ]);
    await refreshCustomerAggregates(SHOP);
    const { state } = await recomputeShop(SHOP, NOW);
    expect(state.model.status).toBe("fitted");
    expect(state.dataRules).toMatchObject({ nonPurchaseDays: 1, futureDatedLines: 1, cappedDays: 1, cappedCustomers: [whale] });
    const stored = JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelState!) as StoredModelState;
    expect(stored.dataRules.spendCap).toBeLessThan(1e5);
    const scored = async (id: string) => db.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: id } });
    const [a, b] = [await scored(twins[0]), await scored(twins[1])];
    expect(b.pAlive).toBe(a.pAlive);
    expect(b.predictedClv).toBe(a.predictedClv);
    expect((await scored(whale)).predictedClv!).toBeLessThan(1e6);
    // A webhook's single-customer re-score keeps the shop's cap.
    await rescoreCustomers(SHOP, [whale], NOW);
    expect((await scored(whale)).predictedClv!).toBeLessThan(1e6);
  });

  it("re-scores one customer after a new order with the stored parameters, leaving the others alone", async () => {
    await seedSimulatedShop(300);
    await recomputeShop(SHOP, NOW);
    const target = await db.customer.findFirstOrThrow({ where: { shop: SHOP, lifecycle: "lapsed", orderCount: { gt: 1 } } });
    const others = await db.customer.findMany({ where: { shop: SHOP, NOT: { id: target.id } }, orderBy: { id: "asc" } });
    const later = new Date(NOW.getTime() + DAY);
    await upsertOrders(SHOP, [
      {
        shopifyId: "gid://shopify/Order/999999",
        customerShopifyId: target.shopifyId,
        name: null,
        processedAt: later,
        shopifyUpdatedAt: later,
        totalPrice: 80,
        totalRefunded: 0,
        currencyCode: "EUR",
        cancelledAt: null,
        test: false,
        discountCodes: [],
        totalDiscounts: 0,
      },
    ]);
    await refreshCustomerAggregates(SHOP, [target.shopifyId]);
    const fittedBefore = (await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelFittedAt;
    expect(await rescoreCustomers(SHOP, [target.shopifyId], later)).toBe(1);
    const after = await db.customer.findUniqueOrThrow({ where: { id: target.id } });
    expect(after.lifecycle).not.toBe("lapsed");
    expect(after.lapsedSince).toBeNull();
    expect(after.pAlive!).toBeGreaterThan(target.pAlive!);
    expect(after.scoredAt?.getTime()).toBe(later.getTime());
    // No refit, and nobody else touched.
    expect((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelFittedAt).toEqual(fittedBefore);
    expect(await db.customer.findMany({ where: { shop: SHOP, NOT: { id: target.id } }, orderBy: { id: "asc" } })).toEqual(others);
  });

  it("re-scores a customer with the model the choice kept (Pareto/NBD parameters stored with the model)", async () => {
    await seedSimulatedShop(300);
    await recomputeShop(SHOP, NOW);
    // As a run that kept Pareto/NBD stores it (decision 017): the kept model's parameters beside BG/NBD's.
    const shopRow = await db.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    const state = JSON.parse(shopRow.modelState!) as StoredModelState & { model: { purchase?: unknown } };
    const pareto = { model: "pareto-nbd" as const, r: 1.2, alpha: 140, s: 0.8, beta: 340 };
    state.model = { ...state.model, purchase: pareto } as StoredModelState["model"];
    await db.shop.update({ where: { shop: SHOP }, data: { modelState: JSON.stringify(state) } });
    const target = await db.customer.findFirstOrThrow({ where: { shop: SHOP, orderCount: { gt: 1 } } });
    expect(await rescoreCustomers(SHOP, [target.shopifyId], NOW)).toBe(1);
    const after = await db.customer.findUniqueOrThrow({ where: { id: target.id } });
    const [summary] = summarizeTransactions(
      (await db.order.findMany({ where: { shop: SHOP, customerShopifyId: target.shopifyId } })).map((o) => ({
        customerId: target.shopifyId,
        date: localDayConverter("Europe/Kyiv")(o.processedAt),
        amount: 1,
      })),
      { asOf: localDayConverter("Europe/Kyiv")(NOW), unit: "days" },
    );
    expect(after.pAlive).toBeCloseTo(paretoNbdProbabilityAlive(pareto, summary), 10);
  });
});
