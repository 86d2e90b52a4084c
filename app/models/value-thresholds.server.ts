/**
 * Thresholds taken from the shop's own scores, for Kinship's segments in Shopify (decision 025): the
 * predicted CLV at a given share of the scored customers (nearest rank), read through the
 * (shop, predictedClv, id) index without loading the customers.
 *
 * Counting is a count plus an OFFSET over every scored customer (~160,000 rows on a 200,000-customer shop, seconds
 * on PostgreSQL during an import): the recompute counts once after it has written the scores and stores the value
 * with the model state; Settings' segments card and the segment sync read that (issue 23 item 3).
 */
import db from "../db.server";
import { readHighValueThreshold } from "./model-state.server";

/** Counts now: the value at `share` of the customers scored at this moment. */
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

/**
 * The value at `share` as the last full recompute counted it (its scores stand until the next one; an order's
 * re-score moves single customers in between, as it moves their segment membership, not the threshold). Before
 * the first recompute that stored it for this share, it is counted now, as `predictedClvPercentile`.
 */
export async function storedPredictedClvPercentile(shop: string, share: number): Promise<number | null> {
  const row = await db.shop.findUnique({ where: { shop }, select: { modelState: true } });
  const stored = readHighValueThreshold(row?.modelState, share);
  return stored ? stored.predictedClv : predictedClvPercentile(shop, share);
}
