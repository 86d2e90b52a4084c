import { afterEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { settled } from "../../../app/jobs/background.server";
import { recomputeShop } from "../../../app/jobs/recompute.server";
import { ANALYSIS_BATCH } from "../../../app/jobs/shop-analysis.server";
import { refreshCustomerAggregates, upsertCustomers } from "../../../app/models/customers.server";
import { upsertOrders } from "../../../app/models/orders.server";
import { mulberry32 } from "../../../app/retention/random";
import { loader as dashboardLoader } from "../../../app/routes/app._index";
import { loader as customersLoader } from "../../../app/routes/app.customers._index";
import { action as webhookAction } from "../../../app/routes/webhooks";
import { appRequest, call, installShop } from "../../support/admin-routes";
import { resetDatabase } from "../../support/fixtures";
import { simulatedShopRecords } from "../../support/sync-records";
import { webhookRequest } from "../../support/webhook-request";

// Issue 23: the recompute's fit and scoring are seconds of CPU on a large shop, and pages and webhooks
// waited behind them. They run on a worker thread now. Here the worker is held after its first batch of
// scored customers (a test seam: it waits on shared memory), with the rest of the shop still to score: a
// dashboard, the customers page and an order webhook are answered meanwhile. Ordering, not timing: the
// recompute cannot finish before the test lets the worker go on.
const SHOP = "responsive-recompute.myshopify.com";
const NOW = new Date("2026-11-01T12:00:00Z");
const CUSTOMERS = ANALYSIS_BATCH + 1_500;

afterEach(settled);

describe("the admin while a shop is being scored", () => {
  it("answers pages and an order webhook while the scoring worker is half way", async () => {
    await resetDatabase();
    await installShop(SHOP, { ianaTimezone: "Europe/Kyiv" });
    const { orders, people } = simulatedShopRecords(mulberry32(23), CUSTOMERS, NOW);
    await upsertCustomers(SHOP, people);
    await upsertOrders(SHOP, orders);
    await refreshCustomerAggregates(SHOP);

    const hold = new Int32Array(new SharedArrayBuffer(4));
    const progress: Array<{ ranOn: string; scored: number }> = [];
    let firstBatch!: () => void;
    const firstBatchArrived = new Promise<void>((resolve) => (firstBatch = resolve));
    let recomputeFinished = false;
    const recomputing = recomputeShop(SHOP, NOW, {
      holdAfterFirstBatch: hold,
      onProgress: (p) => {
        progress.push(p);
        firstBatch();
      },
    }).then((outcome) => {
      recomputeFinished = true;
      return outcome;
    });
    recomputing.catch(() => undefined);
    await firstBatchArrived;

    const buyer = people[0];
    const order = {
      id: 990_001,
      name: "#990001",
      created_at: "2026-11-01T11:00:00Z",
      updated_at: "2026-11-01T11:00:00Z",
      total_price: "42.00",
      currency: "EUR",
      customer: { id: Number(buyer.shopifyId.split("/").pop()), updated_at: "2026-11-01T11:00:00Z" },
    };
    const [dashboard, customers, webhook] = await Promise.all([
      call(dashboardLoader, await appRequest(SHOP, "/app")),
      call(customersLoader, await appRequest(SHOP, "/app/customers")),
      webhookAction({ request: webhookRequest(SHOP, "orders/create", order, { webhookId: "during-scoring" }), params: {}, context: {} }),
    ]);
    expect({ dashboard: dashboard.status, customers: customers.status, webhook: webhook.status }).toEqual({
      dashboard: 200,
      customers: 200,
      webhook: 200,
    });
    // All three were answered while the worker still held the rest of the shop.
    expect(recomputeFinished).toBe(false);
    expect(progress).toEqual([{ ranOn: "worker", scored: ANALYSIS_BATCH }]);
    expect(await db.order.count({ where: { shop: SHOP, shopifyId: "gid://shopify/Order/990001" } })).toBe(1);

    Atomics.store(hold, 0, 1);
    Atomics.notify(hold, 0);
    const { scored } = await recomputing;
    expect(scored).toBe(CUSTOMERS);
    expect(progress.map((p) => p.scored)).toEqual([ANALYSIS_BATCH, CUSTOMERS]);
    expect(await db.customer.count({ where: { shop: SHOP, scoredAt: { not: null } } })).toBe(CUSTOMERS);
    // The monthly report's first-run figures came back with the worker's analysis (its purchase days over the
    // whole shop are computed there, not on the thread serving pages): the past months and November's forecast.
    const months = await db.forecastMonth.findMany({ where: { shop: SHOP }, orderBy: { month: "asc" } });
    expect(months.filter((m) => m.source === "backfill").length).toBeGreaterThan(0);
    expect(months.filter((m) => m.source === "backfill").every((m) => m.actualPurchases !== null && m.closedAt !== null)).toBe(true);
    expect(months.at(-1)).toMatchObject({ month: "2026-11", source: "forecast", actualPurchases: null, closedAt: null });
  });
});
