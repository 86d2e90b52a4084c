/**
 * Audience rewards share one Shopify discount per rule, period and validity (docs/decisions/021): this
 * table remembers it, and the ledger rows sent to it in one bulk batch carry that batch's id.
 */
import db from "../db.server";
import type { IssuedRow } from "./issued-discounts.server";

export type SharedDiscountRow = Awaited<ReturnType<typeof db.sharedDiscount.findUniqueOrThrow>>;

/** The group's discount as stored, recording it (with `seedCode`) first if nobody has. */
export async function claimSharedDiscount(shop: string, ruleId: string, groupKey: string, seedCode: string): Promise<SharedDiscountRow> {
  const existing = await db.sharedDiscount.findUnique({ where: { shop_groupKey: { shop, groupKey } } });
  if (existing) return existing;
  try {
    return await db.sharedDiscount.create({ data: { shop, ruleId, groupKey, seedCode } });
  } catch {
    // Another caller recorded it first: theirs is the group's discount.
    return db.sharedDiscount.findUniqueOrThrow({ where: { shop_groupKey: { shop, groupKey } } });
  }
}

export async function saveSharedDiscountId(id: string, shopifyDiscountId: string): Promise<void> {
  await db.sharedDiscount.update({ where: { id }, data: { shopifyDiscountId } });
}

/**
 * Claims still-`recorded` rows for one bulk batch (as `claimForCreation` does for one row): the rows
 * now carry `batch` and `attemptedAt`. Returns the rows claimed; a row cancelled meanwhile is not.
 */
export async function claimBatch(shop: string, ids: readonly string[], batch: string, now: Date): Promise<IssuedRow[]> {
  await db.issuedDiscount.updateMany({
    where: { shop, id: { in: [...ids] }, status: "recorded" },
    data: { attemptedAt: now, bulkBatch: batch },
  });
  return db.issuedDiscount.findMany({ where: { shop, bulkBatch: batch, status: "recorded" }, orderBy: { id: "asc" } });
}

/** Marks every row of `ids` created on the shared discount, in one statement. */
export async function markBatchCreated(shop: string, ids: readonly string[], shopifyDiscountId: string): Promise<void> {
  if (!ids.length) return;
  await db.issuedDiscount.updateMany({
    where: { shop, id: { in: [...ids] }, status: "recorded" },
    data: { status: "created", shopifyDiscountId, error: null },
  });
}

/** Codes of the group already known to be in the shared discount (created earlier, before this batch). */
export async function knownCodesOf(shop: string, shopifyDiscountId: string): Promise<Set<string>> {
  const rows = await db.issuedDiscount.findMany({
    where: { shop, shopifyDiscountId, code: { not: null } },
    select: { code: true },
  });
  return new Set(rows.map((r) => r.code!));
}
