/** The shop's own order values, from which new rules take their default thresholds and amounts. */
import db from "../db.server";
import { oneTimeBuyerLapseDays } from "../retention/segments/lifecycle";
import type { ShopScale } from "../retention/rewards";
import { readScoringModel } from "./model-state.server";

export async function loadShopScale(shop: string): Promise<ShopScale> {
  const [customers, orders, row] = await Promise.all([
    db.customer.findMany({ where: { shop, redactedAt: null, orderCount: { gt: 0 } }, select: { totalSpent: true } }),
    db.order.aggregate({ where: { shop, test: false, cancelledAt: null }, _avg: { netTotal: true } }),
    db.shop.findUnique({ where: { shop }, select: { modelState: true } }),
  ]);
  const model = readScoringModel(row?.modelState);
  return {
    customerSpend: customers.map((c) => c.totalSpent),
    averageOrderValue: orders._avg.netTotal ?? null,
    lapseDays: model ? oneTimeBuyerLapseDays(model.cadence, model.lifecycle) : null,
  };
}
