/**
 * Thresholds taken from the shop's own scores, for Kinship's segments in Shopify (decision 025): the
 * predicted CLV at a given share of the scored customers (nearest rank), read through the
 * (shop, predictedClv, id) index without loading the customers.
 */
import db from "../db.server";

export async function predictedClvPercentile(shop: string, share: number): Promise<number | null> {
  const where = { shop, predictedClv: { not: null } };
  const scored = await db.customer.count({ where });
  if (!scored) return null;
  const rank = Math.min(scored - 1, Math.max(0, Math.ceil(share * scored) - 1));
  const row = await db.customer.findFirst({
    where,
    orderBy: [{ predictedClv: "asc" }, { id: "asc" }],
    skip: rank,
    select: { predictedClv: true },
  });
  return row?.predictedClv ?? null;
}
