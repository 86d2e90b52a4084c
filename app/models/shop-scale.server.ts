/** The shop's own order values, from which new rules take their default thresholds and amounts. */
import db from "../db.server";
import type { ShopScale } from "../retention/rewards";

export async function loadShopScale(shop: string): Promise<ShopScale> {
  const [customers, orders] = await Promise.all([
    db.customer.findMany({ where: { shop, redactedAt: null, orderCount: { gt: 0 } }, select: { totalSpent: true } }),
    db.order.aggregate({ where: { shop, test: false, cancelledAt: null }, _avg: { netTotal: true } }),
  ]);
  return { customerSpend: customers.map((c) => c.totalSpent), averageOrderValue: orders._avg.netTotal ?? null };
}
