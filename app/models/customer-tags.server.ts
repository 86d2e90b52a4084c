import db from "../db.server";
import { applyCustomerTagEvents } from "./customers.server";
import { dialect, placeholder } from "./sql/sql.server";
import { rawSqlTransaction } from "./sql/sql-transaction.server";
import { retryTransient } from "./sql/transient-errors.server";

/** How long recording a finished bulk shard keeps retrying a deadlock or lock timeout. */
const RECORD_RETRY_MS = 30_000;

export interface TaggableCustomer {
  id: string;
  shopifyId: string;
  /** Shopify's tag list as stored ("a, b, c"). */
  tags: string;
  lifecycle: string | null;
  tier: string | null;
  predictedClv: number | null;
  pAlive: number | null;
  rfmSegment: string | null;
  /** JSON of the value metafields as last written to Shopify (null: never). */
  valuesWritten: string | null;
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
      select: {
        id: true,
        shopifyId: true,
        tags: true,
        lifecycle: true,
        tier: true,
        predictedClv: true,
        pAlive: true,
        rfmSegment: true,
        valuesWritten: true,
      },
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

/** recordTagChanges for many customers, in one transaction. */
export async function recordTagChangesMany(
  shop: string,
  entries: ReadonlyArray<{ shopifyId: string; add: string[]; remove: string[] }>,
  at = new Date(),
) {
  if (!entries.length) return;
  const occurredAt = at.toISOString();
  await rawSqlTransaction(async (sql) => {
    for (const { shopifyId, add, remove } of entries) {
      await applyCustomerTagEvents(sql, shop, shopifyId, [
        { kind: "added", tags: add, occurredAt },
        { kind: "removed", tags: remove, occurredAt },
      ]);
    }
  });
}

/** The value metafields as last written, parsed (null when never written or unreadable). */
export function parseValuesWritten(text: string | null): Record<string, string | null> | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    // Only string values under own keys: a stored key never becomes an object path.
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string | null] => typeof e[1] === "string" || e[1] === null),
    );
  } catch {
    return null;
  }
}

/**
 * Records value metafields Kinship just wrote (`set`) or deleted (`removed`) in Shopify, merged into what was
 * written before, so the next write-back sends only what changed since.
 */
export async function recordValuesWritten(
  shop: string,
  entries: ReadonlyArray<{ shopifyId: string; set: Record<string, string>; removed: readonly string[] }>,
) {
  if (!entries.length) return;
  const merged = new Map<string, { set: Record<string, string>; removed: Set<string> }>();
  for (const entry of entries) {
    const into = merged.get(entry.shopifyId) ?? { set: {}, removed: new Set<string>() };
    for (const [key, value] of Object.entries(entry.set)) {
      into.set[key] = value;
      into.removed.delete(key);
    }
    for (const key of entry.removed) {
      delete into.set[key];
      into.removed.add(key);
    }
    merged.set(entry.shopifyId, into);
  }
  // Bulk shards of one write-back (metafields, tags) finish side by side and record the same customers: on
  // PostgreSQL the rows are locked while read (no shard's keys lost to another's read-modify-write) and taken in
  // one order (ids sorted), and a deadlock that still happens is retried.
  const ids = [...merged.keys()].sort();
  const lock = dialect === "postgresql" ? ` ORDER BY "shopifyId" FOR UPDATE` : "";
  await retryTransient(
    () =>
      rawSqlTransaction(async (sql) => {
        for (let i = 0; i < ids.length; i += 500) {
          const slice = ids.slice(i, i + 500);
          const rows = await sql.$queryRawUnsafe<Array<{ shopifyId: string; valuesWritten: string | null }>>(
            `SELECT "shopifyId", "valuesWritten" FROM "Customer" WHERE "shop" = ${placeholder(1)} AND "shopifyId" IN (${slice.map((_, k) => placeholder(k + 2)).join(", ")})${lock}`,
            shop,
            ...slice,
          );
          for (const row of rows) {
            const change = merged.get(row.shopifyId)!;
            const values = new Map(Object.entries(parseValuesWritten(row.valuesWritten) ?? {}));
            for (const [key, value] of Object.entries(change.set)) values.set(key, value);
            for (const key of change.removed) values.set(key, null);
            await sql.$executeRawUnsafe(
              `UPDATE "Customer" SET "valuesWritten" = ${placeholder(1)} WHERE "shop" = ${placeholder(2)} AND "shopifyId" = ${placeholder(3)}`,
              JSON.stringify(Object.fromEntries(values)),
              shop,
              row.shopifyId,
            );
          }
        }
      }),
    Date.now() + RECORD_RETRY_MS,
  );
}
