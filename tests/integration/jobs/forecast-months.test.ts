import { beforeEach, describe, expect, it } from "vitest";
import type { SerializeFrom } from "@remix-run/node";
import db from "../../../app/db.server";
import { recomputeShop } from "../../../app/jobs/recompute.server";
import { listForecastMonths } from "../../../app/models/forecast-months.server";
import { readModelState } from "../../../app/models/model-state.server";
import { refreshCustomerAggregates, upsertCustomers } from "../../../app/models/customers.server";
import { upsertOrders } from "../../../app/models/orders.server";
import { mulberry32 } from "../../../app/retention/random";
import { localDayConverter } from "../../../app/retention/time";
import type { OrderRecord } from "../../../app/sync/records";
import { loader as dashboardLoader } from "../../../app/routes/app._index";
import { loader as customerLoader } from "../../../app/routes/app.customers.$id";
import { resetDatabase } from "../../support/fixtures";
import { simulatedShopRecords } from "../../support/sync-records";
import { appRequest, call, installShop } from "../../support/admin-routes";

const SHOP = "forecast-months.myshopify.com";
const ZONE = "Europe/Kyiv";
const NOW = new Date("2026-11-01T12:00:00Z");

/** 250 customers buying by a BG/NBD process over up to two years before NOW (days), plus what they bought after. */
async function seedShop() {
  // Simulated past NOW too (through December), so later runs find November's orders.
  const { orders, people } = simulatedShopRecords(mulberry32(11), 250, NOW, { daysAfterNow: 45 });
  await installShop(SHOP, { name: "Forecast Shop", currencyCode: "EUR", ianaTimezone: ZONE });
  await upsertCustomers(SHOP, people);
  return { orders, people };
}

async function storeOrdersUpTo(orders: OrderRecord[], until: Date) {
  await upsertOrders(
    SHOP,
    orders.filter((o) => o.processedAt.getTime() <= until.getTime()),
  );
  await refreshCustomerAggregates(SHOP);
}

/** Counted by hand from the orders: purchase days in `month` (shop zone) of customers who bought before it. */
function actualOf(orders: OrderRecord[], month: string) {
  const toDay = localDayConverter(ZONE);
  const byCustomer = new Map<string, Map<string, number>>();
  for (const o of orders) {
    const days = byCustomer.get(o.customerShopifyId!) ?? new Map<string, number>();
    const day = toDay(o.processedAt);
    days.set(day, (days.get(day) ?? 0) + o.totalPrice);
    byCustomer.set(o.customerShopifyId!, days);
  }
  let purchases = 0;
  let revenue = 0;
  for (const days of byCustomer.values()) {
    if (![...days.keys()].some((d) => d < `${month}-01`)) continue;
    for (const [day, value] of days) {
      if (day.startsWith(month)) {
        purchases += 1;
        revenue += value;
      }
    }
  }
  return { purchases, revenue };
}

describe("monthly accuracy report", () => {
  beforeEach(resetDatabase);

  it("backfills past months on the first run, stores this month's forecast, and closes it at the month's end", async () => {
    const { orders } = await seedShop();
    await storeOrdersUpTo(orders, NOW);
    const first = await recomputeShop(SHOP, NOW);
    expect(first.state.model.status).toBe("fitted");
    const window = first.state.backtest!;
    expect(window.status).toBe("fitted");

    const rows = await listForecastMonths(SHOP);
    const backfilled = rows.filter((r) => r.source === "backfill");
    // Every complete month after the calibration end and before November, computed from the calibration model.
    expect(backfilled.length).toBeGreaterThanOrEqual(2);
    expect(backfilled[0].month > window.calibrationEnd.slice(0, 7)).toBe(true);
    expect(backfilled[backfilled.length - 1].month).toBe("2026-10");
    for (const row of backfilled) {
      const actual = actualOf(
        orders.filter((o) => o.processedAt.getTime() <= NOW.getTime()),
        row.month,
      );
      expect(row.actualPurchases).toBe(actual.purchases);
      expect(row.actualRevenue).toBeCloseTo(actual.revenue, 6);
      expect(row.predictedPurchases).toBeGreaterThan(0);
      // A forecast of the right size: within a factor of two of what happened on a shop the model describes.
      expect(row.predictedPurchases / Math.max(actual.purchases, 1)).toBeGreaterThan(0.5);
      expect(row.predictedPurchases / Math.max(actual.purchases, 1)).toBeLessThan(2);
    }
    const november = rows.find((r) => r.month === "2026-11")!;
    expect(november).toMatchObject({ source: "forecast", model: "bgnbd", actualPurchases: null, closedAt: null });

    // The merchant keeps trading; the December 1st run closes November with what happened, forecast untouched.
    const december = new Date("2026-12-01T12:00:00Z");
    await storeOrdersUpTo(orders, december);
    await recomputeShop(SHOP, december);
    const after = await listForecastMonths(SHOP);
    const closed = after.find((r) => r.month === "2026-11")!;
    const actual = actualOf(
      orders.filter((o) => o.processedAt.getTime() <= december.getTime()),
      "2026-11",
    );
    expect(closed.actualPurchases).toBe(actual.purchases);
    expect(closed.actualRevenue).toBeCloseTo(actual.revenue, 6);
    expect(closed.predictedPurchases).toBe(november.predictedPurchases);
    expect(closed.predictedRevenue).toBe(november.predictedRevenue);
    expect(closed.closedAt).not.toBeNull();
    expect(after.find((r) => r.month === "2026-12")).toMatchObject({ source: "forecast", actualRevenue: null });
    // No second backfill: the months before stay as first written.
    expect(after.filter((r) => r.source === "backfill")).toEqual(backfilled);
  });

  it("makes no forecast for a month whose first run comes after its first week", async () => {
    const { orders } = await seedShop();
    const late = new Date("2026-11-20T12:00:00Z");
    await storeOrdersUpTo(orders, late);
    await recomputeShop(SHOP, late);
    const rows = await listForecastMonths(SHOP);
    expect(rows.some((r) => r.month === "2026-11")).toBe(false);
    expect(rows.every((r) => r.source === "backfill" && r.closedAt !== null)).toBe(true);
  });

  it("the dashboard charts the months and says how far off last month was; the ranges reach both pages", async () => {
    const { orders } = await seedShop();
    await storeOrdersUpTo(orders, NOW);
    await recomputeShop(SHOP, NOW);
    const { status, body } = await call<SerializeFrom<typeof dashboardLoader>>(dashboardLoader, await appRequest(SHOP, "/app?locale=en"));
    expect(status).toBe(200);
    const rows = await listForecastMonths(SHOP);
    const report = body.forecastMonths;
    expect(report.months).toHaveLength(rows.length);
    expect(report.months[report.months.length - 1]).toMatchObject({ label: "Nov 2026", actual: null });
    const october = rows.find((r) => r.month === "2026-10")!;
    expect(report.months[report.months.length - 2].actual).toBeCloseTo(october.actualRevenue!, 2);
    expect(report.lastMonth).toMatch(/^Oct 2026: forecast €[\d,.]+, actual €[\d,.]+ \(\d+% too (high|low)\)\.$/);
    expect(report.backfilled).toContain("Oct 2026");

    // The 12-month revenue range is stored with the model and shown around the point figure.
    const ranges = readModelState((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelState).ranges!;
    const predicted = readModelState((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).modelState).insights!
      .predictedRevenue12Months!.value;
    expect(ranges.level).toBe(0.8);
    expect(ranges.revenue12Months!.low).toBeLessThan(predicted);
    expect(ranges.revenue12Months!.high).toBeGreaterThan(predicted);
    expect(body.model.predictedRange).toMatch(/^80% range: €[\d,.]+ – €[\d,.]+$/);

    // A repeat buyer's page shows the ranges of their CLV and purchases, computed on read.
    const customer = await db.customer.findFirstOrThrow({ where: { shop: SHOP, orderCount: { gt: 2 }, predictedClv: { gt: 0 } } });
    const numericId = customer.shopifyId.split("/").pop()!;
    const page = await call<SerializeFrom<typeof customerLoader>>(
      customerLoader,
      await appRequest(SHOP, `/app/customers/${numericId}?locale=en`),
      { id: numericId },
    );
    expect(page.status).toBe(200);
    expect(page.body.value.ranges?.clv).toMatch(/^80% range: €[\d,.]+ – €[\d,.]+$/);
    expect(page.body.value.ranges?.purchases).toMatch(/^80% range: [\d.]+ – [\d.]+ purchases$/);

    // Uk, too: every word from the catalogs.
    const uk = await call<SerializeFrom<typeof dashboardLoader>>(dashboardLoader, await appRequest(SHOP, "/app?locale=uk-UA"));
    expect(uk.body.forecastMonths.lastMonth).toContain("прогноз");
  });
});
