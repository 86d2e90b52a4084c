import db from "../db.server";
import { batchSize, dialect, newId, sqlTimestamp, upsertRows } from "./sql.server";

/** One customer's purchase history as the scoring job needs it: purchase instant and net value. */
export interface ValueOrder {
  customerShopifyId: string;
  processedAt: Date;
  netTotal: number;
}

/**
 * Orders that count for customer value (no test, no cancelled, no guests), oldest first. Read
 * with raw SQL: three columns of up to a million rows, without building Prisma models.
 */
export async function loadValueOrders(shop: string, customerShopifyIds?: string[]): Promise<ValueOrder[]> {
  const p = (i: number) => (dialect === "sqlite" ? "?" : `$${i}`);
  const ids = customerShopifyIds ?? [];
  const filter = ids.length ? ` AND "customerShopifyId" IN (${ids.map((_, i) => p(i + 2)).join(", ")})` : "";
  const rows = await db.$queryRawUnsafe<Array<{ c: string; at: string | Date; v: number }>>(
    `SELECT "customerShopifyId" AS c, "processedAt" AS at, "netTotal" AS v FROM "Order"
     WHERE "shop" = ${p(1)} AND "customerShopifyId" IS NOT NULL AND "test" = FALSE AND "cancelledAt" IS NULL${filter}
     ORDER BY "processedAt"`,
    shop,
    ...ids,
  );
  return rows.map((row) => ({ customerShopifyId: row.c, processedAt: new Date(row.at), netTotal: Number(row.v) }));
}

export interface CustomerScoreRow {
  shopifyId: string;
  historicClv: number;
  predictedClv: number | null;
  expectedPurchases: number | null;
  pAlive: number | null;
  rfmRecency: number;
  rfmFrequency: number;
  rfmMonetary: number;
  rfmSegment: string;
  lifecycle: string;
  lifecycleReason: string;
  lapsedSince: Date | null;
}

const SCORE_COLUMNS = [
  "id", "shop", "shopifyId", "historicClv", "predictedClv", "expectedPurchases", "pAlive", "rfmRecency",
  "rfmFrequency", "rfmMonetary", "rfmSegment", "lifecycle", "lifecycleReason", "lapsedSince", "scoredAt",
  "createdAt", "updatedAt",
];

/** Writes scores onto existing customer rows (the insert branch never fires: scores follow sync). */
export async function saveCustomerScores(shop: string, scores: CustomerScoreRow[], scoredAt = new Date()) {
  const now = sqlTimestamp(scoredAt);
  const size = batchSize(SCORE_COLUMNS.length);
  const spec = {
    table: "Customer",
    columns: SCORE_COLUMNS,
    conflict: ["shop", "shopifyId"],
    update: SCORE_COLUMNS.filter((c) => !["id", "shop", "shopifyId", "createdAt"].includes(c)),
  };
  let written = 0;
  for (let i = 0; i < scores.length; i += size) {
    const rows = scores.slice(i, i + size).map((s) => [
      newId(), shop, s.shopifyId, s.historicClv, s.predictedClv, s.expectedPurchases, s.pAlive, s.rfmRecency,
      s.rfmFrequency, s.rfmMonetary, s.rfmSegment, s.lifecycle, s.lifecycleReason, sqlTimestamp(s.lapsedSince),
      now, now, now,
    ]);
    written += await db.$transaction(async (tx) => upsertRows(tx, spec, rows));
  }
  return written;
}

export async function saveShopModelState(shop: string, state: unknown, fittedAt = new Date()) {
  await db.shop.updateMany({ where: { shop }, data: { modelState: JSON.stringify(state), modelFittedAt: fittedAt } });
}
