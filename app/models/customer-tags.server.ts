import db from "../db.server";
import { applyCustomerTagEvents } from "./customers.server";
import { rawSqlTransaction } from "./sql/sql-transaction.server";

export interface TaggableCustomer {
  id: string;
  shopifyId: string;
  /** Shopify's tag list as stored ("a, b, c"). */
  tags: string;
  lifecycle: string | null;
  tier: string | null;
}

/** The shop's unredacted customers (or only these Shopify ids), a page at a time in id order. */
export async function* taggableCustomerPages(
  shop: string,
  { pageSize = 1_000, only }: { pageSize?: number; only?: string[] } = {},
): AsyncGenerator<TaggableCustomer[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await db.customer.findMany({
      where: { shop, redactedAt: null, ...(only ? { shopifyId: { in: only } } : {}) },
      select: { id: true, shopifyId: true, tags: true, lifecycle: true, tier: true },
      orderBy: { id: "asc" },
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!page.length) return;
    cursor = page[page.length - 1].id;
    yield page;
  }
}

/**
 * Records tags Kinship just added and removed in Shopify, as tag events of this moment, so a merchant's
 * change that Shopify reports later by webhook still wins.
 */
export async function recordTagChanges(shop: string, shopifyId: string, changes: { add: string[]; remove: string[] }, at = new Date()) {
  const occurredAt = at.toISOString();
  await rawSqlTransaction((sql) =>
    applyCustomerTagEvents(sql, shop, shopifyId, [
      { kind: "added", tags: changes.add, occurredAt },
      { kind: "removed", tags: changes.remove, occurredAt },
    ]),
  );
}
