import db from "../db.server";
import { parseTagList } from "../retention/segments/tags";
import type { CustomerRecord } from "../sync/records";
import { applyTagEvent, type TagState } from "../sync/webhook-records";
import { rawSqlSession } from "./sql/sql-transaction.server";
import { batchSize, dialect, newId, placeholder, sqlTimestamp, upsertRows, type RawSql, type UpsertSpec } from "./sql/sql.server";

// Bind order, with each column's PostgreSQL type (see UpsertSpec.pgTypes).
const CUSTOMER_COLUMN_TYPES = {
  id: "text",
  shop: "text",
  shopifyId: "text",
  email: "text",
  firstName: "text",
  lastName: "text",
  marketingState: "text",
  birthday: "text",
  birthdayChangedAt: "timestamp(3)",
  tags: "text",
  shopifyRfmGroup: "text",
  shopifyUpdatedAt: "timestamp(3)",
  createdAt: "timestamp(3)",
  updatedAt: "timestamp(3)",
};
const CUSTOMER_COLUMNS = Object.keys(CUSTOMER_COLUMN_TYPES);

export function customerRow(shop: string, c: CustomerRecord, now: string | Date | null): unknown[] {
  return [
    newId(),
    shop,
    c.shopifyId,
    c.email,
    c.firstName,
    c.lastName,
    c.marketingState,
    c.birthday,
    sqlTimestamp(c.birthday ? (c.birthdayChangedAt ?? c.shopifyUpdatedAt) : null),
    c.tags.join(", "),
    c.shopifyRfmGroup,
    sqlTimestamp(c.shopifyUpdatedAt),
    now,
    now,
  ];
}

/** Every column an incoming snapshot may change (not the key, not the creation time). */
const CUSTOMER_UPDATED = CUSTOMER_COLUMNS.filter((c) => !["id", "shop", "shopifyId", "createdAt"].includes(c));

export const customerSpec: UpsertSpec = {
  table: "Customer",
  columns: CUSTOMER_COLUMNS,
  pgTypes: Object.values(CUSTOMER_COLUMN_TYPES),
  conflict: ["shop", "shopifyId"],
  update: CUSTOMER_UPDATED,
  updateExpressions: {
    // A snapshot without a birthday (Shopify never had it, or the source does not carry it) never
    // erases one Kinship knows; a new or different birthday restarts its anti-gaming clock.
    birthday: `COALESCE(excluded."birthday", "Customer"."birthday")`,
    birthdayChangedAt: `CASE WHEN excluded."birthday" IS NOT NULL AND ("Customer"."birthday" IS NULL OR excluded."birthday" <> "Customer"."birthday")
      THEN excluded."birthdayChangedAt" ELSE "Customer"."birthdayChangedAt" END`,
  },
  updateWhere: customerUpdateWhere(CUSTOMER_UPDATED),
};

/** A stored customer is updated by a snapshot no older than its own that changes one of the `updated` columns. */
function customerUpdateWhere(updated: readonly string[]): string {
  return (
    `("Customer"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= "Customer"."shopifyUpdatedAt") ` +
    `AND (${snapshotDiffers(updated)})`
  );
}

/**
 * SQL true when an incoming snapshot would change one of the `updated` columns of the stored row. A snapshot
 * equal to the row (an "Import again" of the same shop) leaves the row alone: rewritten, every one of 200,000
 * customers became a dead row version on PostgreSQL, and the dashboard's counts read through them (issue 23).
 * `updatedAt` alone is no change; the birthday changes only when a new one comes (COALESCE above), and its
 * clock only with it.
 */
function snapshotDiffers(updated: readonly string[]): string {
  const differs = updated
    .filter((c) => c !== "updatedAt" && c !== "birthdayChangedAt")
    .map((c) =>
      c === "birthday"
        ? `(excluded."birthday" IS NOT NULL AND excluded."birthday" IS DISTINCT FROM "Customer"."birthday")`
        : `excluded."${c}" IS DISTINCT FROM "Customer"."${c}"`,
    );
  return differs.length ? differs.join(" OR ") : "FALSE";
}

function customerSpecKeeping(keep: readonly string[]): UpsertSpec {
  const update = customerSpec.update!.filter((c) => !keep.includes(c));
  return { ...customerSpec, update, updateWhere: customerUpdateWhere(update) };
}

/**
 * Upserts customer snapshots; an older snapshot never overwrites a newer one. `keep` names columns
 * the source does not carry, so an existing value survives.
 */
export async function upsertCustomers(
  shop: string,
  customers: CustomerRecord[],
  { tx, keep = [] }: { tx?: RawSql; keep?: readonly string[] } = {},
) {
  const spec = keep.length ? customerSpecKeeping(keep) : customerSpec;
  const now = sqlTimestamp(new Date());
  const size = batchSize(CUSTOMER_COLUMNS.length);
  let written = 0;
  for (let i = 0; i < customers.length; i += size) {
    const rows = customers.slice(i, i + size).map((c) => customerRow(shop, c, now));
    written += await upsertRows(tx ?? db, spec, rows);
  }
  return written;
}

// One correlated scan per customer for all four values (a row-value assignment: SQLite ≥ 3.15, PostgreSQL ≥ 10).
const AGGREGATES = `("orderCount", "totalSpent", "firstOrderAt", "lastOrderAt") = (
    SELECT COUNT(*), COALESCE(SUM(o."netTotal"), 0), MIN(o."processedAt"), MAX(o."processedAt") FROM "Order" o
    WHERE o."shop" = "Customer"."shop" AND o."customerShopifyId" = "Customer"."shopifyId" AND o."test" = FALSE AND o."cancelledAt" IS NULL)`;

// A shop's value orders grouped by customer: the four aggregates of each customer who has any.
function valueOrdersByCustomer(from: string) {
  return `SELECT "customerShopifyId" AS "c", COUNT(*) AS "n", SUM("netTotal") AS "s", MIN("processedAt") AS "f", MAX("processedAt") AS "l"
    FROM ${from} WHERE "shop" = ${placeholder(1)} AND "customerShopifyId" IS NOT NULL AND "test" = FALSE AND "cancelledAt" IS NULL
    GROUP BY "customerShopifyId"`;
}
const SET_AGGREGATES = `"orderCount" = a."n", "totalSpent" = a."s", "firstOrderAt" = a."f", "lastOrderAt" = a."l"`;
// Only customers whose figures change are written: after an "Import again" of the same orders that is none, where
// every customer used to be rewritten (a dead row version each on PostgreSQL, WAL on SQLite; issue 23).
const AGGREGATES_DIFFER = `("Customer"."orderCount" IS DISTINCT FROM a."n" OR "Customer"."totalSpent" IS DISTINCT FROM a."s"
  OR "Customer"."firstOrderAt" IS DISTINCT FROM a."f" OR "Customer"."lastOrderAt" IS DISTINCT FROM a."l")`;
const ZERO_AGGREGATES = `"orderCount" = 0, "totalSpent" = 0, "firstOrderAt" = NULL, "lastOrderAt" = NULL`;

/**
 * SQLite: the whole shop's aggregates (after a backfill), as statements to run in order on one connection:
 * one grouped scan of the orders instead of four probes per customer, then zeros for customers left
 * without value orders.
 */
function shopAggregateStatements(shop: string): Array<{ sql: string; params: unknown[] }> {
  // SQLite groups through the (shop, customer) index and so reads the order table in customer order,
  // a random page per order: 2.9 GB of page reads on the large shop. Read in time order instead
  // (which is how the table was written), group in a temporary table, and join that: 0.77 GB, and
  // the refresh took 4.5–5 s instead of 6.2 s.
  return [
    { sql: `DROP TABLE IF EXISTS temp."kinship_aggregates"`, params: [] },
    {
      sql: `CREATE TEMP TABLE "kinship_aggregates" AS ${valueOrdersByCustomer(`"Order" INDEXED BY "Order_shop_processedAt_idx"`)}`,
      params: [shop],
    },
    {
      sql: `UPDATE "Customer" SET ${SET_AGGREGATES} FROM temp."kinship_aggregates" AS a WHERE "Customer"."shop" = ? AND "Customer"."shopifyId" = a."c" AND ${AGGREGATES_DIFFER}`,
      params: [shop],
    },
    {
      sql: `UPDATE "Customer" SET ${ZERO_AGGREGATES} WHERE "shop" = ? AND "orderCount" <> 0 AND "shopifyId" NOT IN (SELECT "c" FROM temp."kinship_aggregates")`,
      params: [shop],
    },
    { sql: `DROP TABLE temp."kinship_aggregates"`, params: [] },
  ];
}

/**
 * PostgreSQL's whole-shop refresh: the value orders grouped once into a temporary table (no customer row
 * locked meanwhile), then written AGGREGATE_CHUNK customers a statement, each committing on its own (run
 * through rawSqlSession, one connection). One UPDATE over the whole shop kept every customer row locked until
 * it ended, and a webhook's write to one customer waited for it (70 s on the large shop under load, issue 23).
 */
function postgresAggregateRefresh(shop: string) {
  return {
    snapshot: [
      { sql: `DROP TABLE IF EXISTS pg_temp."kinship_aggregates"`, params: [] },
      {
        sql: `CREATE TEMP TABLE "kinship_aggregates" ("r" bigserial PRIMARY KEY, "c" text NOT NULL, "n" bigint NOT NULL,
          "s" double precision NOT NULL, "f" timestamp(3), "l" timestamp(3))`,
        params: [],
      },
    ],
    /** Returns the number of customers with value orders (the snapshot's rows). */
    fill: {
      sql: `INSERT INTO "kinship_aggregates" ("c", "n", "s", "f", "l") SELECT "c", "n", "s", "f", "l" FROM (${valueOrdersByCustomer(`"Order"`)}) AS g`,
      params: [shop],
    },
    /** Customers at snapshot rows (from, to]. */
    chunk: (from: number, to: number) => ({
      sql: `UPDATE "Customer" SET ${SET_AGGREGATES} FROM "kinship_aggregates" AS a
       WHERE "Customer"."shop" = ${placeholder(1)} AND "Customer"."shopifyId" = a."c" AND a."r" > ${placeholder(2)} AND a."r" <= ${placeholder(3)}
         AND ${AGGREGATES_DIFFER}`,
      params: [shop, from, to],
    }),
    finish: {
      sql: `UPDATE "Customer" SET ${ZERO_AGGREGATES}
       WHERE "shop" = ${placeholder(1)} AND "orderCount" <> 0 AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."shop" = "Customer"."shop"
         AND o."customerShopifyId" = "Customer"."shopifyId" AND o."test" = FALSE AND o."cancelledAt" IS NULL)`,
      params: [shop],
    },
    cleanup: { sql: `DROP TABLE IF EXISTS pg_temp."kinship_aggregates"`, params: [] },
  };
}

/** Customers per statement of the SQLite import's aggregate refresh (about 0.15 s of writing each on the large shop). */
export const AGGREGATE_CHUNK = 5_000;

/**
 * The whole shop's aggregates in pieces, for the SQLite import writer (decision 006): the same grouped
 * time-order read into a temporary table as `shopAggregateStatements`, but taken without the write
 * lock, and the customers updated `AGGREGATE_CHUNK` at a time so no transaction holds the lock for
 * long (on the large shop the single statement held it 4.5–5 s: every webhook and save waited).
 * Between the snapshot and a chunk a webhook may change a customer's orders and refresh the customer;
 * a chunk then writes the older figures, so the last step recounts exactly, from the orders as they
 * are, every customer with an order written since `since` (the snapshot's start).
 */
export function sqliteAggregateRefresh(shop: string, since: Date) {
  const step = (sql: string, params: unknown[]) => ({ sql, rows: [params] });
  return {
    /** Reads only: run outside a write transaction. */
    snapshot: [
      step(`DROP TABLE IF EXISTS temp."kinship_aggregates"`, []),
      step(`CREATE TEMP TABLE "kinship_aggregates" AS ${valueOrdersByCustomer(`"Order" INDEXED BY "Order_shop_processedAt_idx"`)}`, [shop]),
    ],
    /** Customers at snapshot rows (from, to]. */
    chunk: (from: number, to: number) =>
      step(
        `UPDATE "Customer" SET ${SET_AGGREGATES} FROM temp."kinship_aggregates" AS a
         WHERE "Customer"."shop" = ? AND "Customer"."shopifyId" = a."c" AND a."rowid" > ? AND a."rowid" <= ? AND ${AGGREGATES_DIFFER}`,
        [shop, from, to],
      ),
    finish: [
      step(
        `UPDATE "Customer" SET ${ZERO_AGGREGATES} WHERE "shop" = ? AND "orderCount" <> 0 AND "shopifyId" NOT IN (SELECT "c" FROM temp."kinship_aggregates")`,
        [shop],
      ),
      step(
        `UPDATE "Customer" SET ${AGGREGATES} WHERE "shop" = ? AND "shopifyId" IN (
           SELECT "customerShopifyId" FROM "Order" WHERE "shop" = ? AND "updatedAt" >= ? AND "customerShopifyId" IS NOT NULL)`,
        [shop, shop, sqlTimestamp(since)],
      ),
    ],
    cleanup: [step(`DROP TABLE IF EXISTS temp."kinship_aggregates"`, [])],
  };
}

/**
 * Order count, net spend and first/last order from the stored orders: for the given customers only
 * (after a webhook: incremental, the rest of the shop untouched), or for the whole shop after a backfill.
 */
export async function refreshCustomerAggregates(shop: string, customerShopifyIds?: string[], tx?: RawSql) {
  const client = tx ?? db;
  if (customerShopifyIds && customerShopifyIds.length === 0) return 0;
  if (!customerShopifyIds) {
    // After a bulk load PostgreSQL's statistics still describe near-empty tables: with them it planned
    // the anti-join below as a nested loop over 176,000 customers × 1,000,000 orders (still running after
    // 7 minutes). ANALYZE samples the tables in well under a second.
    if (dialect === "sqlite") {
      let updated = 0;
      for (const { sql, params } of shopAggregateStatements(shop)) updated += await client.$executeRawUnsafe(sql, ...params);
      return updated;
    }
    const run = async (sql: RawSql) => {
      const refresh = postgresAggregateRefresh(shop);
      await sql.$executeRawUnsafe(`ANALYZE "Order", "Customer"`);
      for (const step of refresh.snapshot) await sql.$executeRawUnsafe(step.sql, ...step.params);
      try {
        const rows = await sql.$executeRawUnsafe(refresh.fill.sql, ...refresh.fill.params);
        await sql.$executeRawUnsafe(`ANALYZE "kinship_aggregates"`);
        let updated = 0;
        for (let from = 0; from < rows; from += AGGREGATE_CHUNK) {
          const step = refresh.chunk(from, from + AGGREGATE_CHUNK);
          updated += await sql.$executeRawUnsafe(step.sql, ...step.params);
        }
        return updated + (await sql.$executeRawUnsafe(refresh.finish.sql, ...refresh.finish.params));
      } finally {
        await sql.$executeRawUnsafe(refresh.cleanup.sql);
      }
    };
    // Inside a caller's transaction its locks are the caller's; otherwise each statement commits on its own.
    return tx ? run(tx) : rawSqlSession(run);
  }
  let updated = 0;
  for (let i = 0; i < customerShopifyIds.length; i += 500) {
    const ids = customerShopifyIds.slice(i, i + 500);
    const slots = ids.map((_, k) => placeholder(k + 2)).join(", ");
    updated += await client.$executeRawUnsafe(
      `UPDATE "Customer" SET ${AGGREGATES} WHERE "shop" = ${placeholder(1)} AND "shopifyId" IN (${slots})`,
      shop,
      ...ids,
    );
  }
  return updated;
}

export async function findCustomer(shop: string, shopifyId: string) {
  return db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId } } });
}

/**
 * Kinship's copy of birthdays written by the one birthday writer (app/jobs/birthdays.server.ts); a
 * changed value restarts its anti-gaming clock. Returns the customers that exist locally.
 */
export async function saveLocalBirthdays(shop: string, entries: { shopifyId: string; birthday: string }[], now: Date): Promise<number> {
  let saved = 0;
  for (let i = 0; i < entries.length; i += 500) {
    const batch = entries.slice(i, i + 500);
    const found = await db.customer.findMany({
      where: { shop, shopifyId: { in: batch.map((e) => e.shopifyId) } },
      select: { shopifyId: true, birthday: true },
    });
    const current = new Map(found.map((c) => [c.shopifyId, c.birthday]));
    const changed = batch.filter((e) => current.has(e.shopifyId) && current.get(e.shopifyId) !== e.birthday);
    await db.$transaction(
      changed.map((e) =>
        db.customer.updateMany({ where: { shop, shopifyId: e.shopifyId }, data: { birthday: e.birthday, birthdayChangedAt: now } }),
      ),
    );
    saved += batch.filter((e) => current.has(e.shopifyId)).length;
  }
  return saved;
}

/** The customer took their birthday back: cleared locally (when Kinship has the customer), its change dated. */
export async function clearLocalBirthday(shop: string, shopifyId: string, now: Date): Promise<boolean> {
  const { count } = await db.customer.updateMany({
    where: { shop, shopifyId, birthday: { not: null } },
    data: { birthday: null, birthdayChangedAt: now },
  });
  return count > 0;
}

export async function countCustomers(shop: string) {
  return db.customer.count({ where: { shop } });
}

// ---------- webhook writes: each topic writes only the columns its payload carries ----------

const OWNED_COLUMN_TYPES = {
  email: "text",
  firstName: "text",
  lastName: "text",
  shopifyUpdatedAt: "timestamp(3)",
  marketingState: "text",
  marketingUpdatedAt: "timestamp(3)",
} as const;
/** Customer columns a webhook topic can own; birthday, tags, the RFM group and every score are never among them. */
export type WebhookCustomerColumn = keyof typeof OWNED_COLUMN_TYPES;

export interface OwnedCustomerWrite {
  shopifyId: string;
  values: Partial<Record<WebhookCustomerColumn, string | Date | null>>;
}

/**
 * Upserts the `owned` columns of customers and nothing else; `version` is the owned timestamp that
 * orders the topic's deliveries (an older one never overwrites a newer one). A customer first seen
 * here gets a row with just these columns; the others keep their defaults until their own topic comes.
 */
export async function upsertOwnedCustomerColumns(
  sql: RawSql,
  shop: string,
  rows: OwnedCustomerWrite[],
  owned: readonly WebhookCustomerColumn[],
  version: WebhookCustomerColumn,
) {
  if (!owned.includes(version)) throw new Error(`version column ${version} is not among the owned columns`);
  const columns = ["id", "shop", "shopifyId", ...owned, "createdAt", "updatedAt"];
  const spec: UpsertSpec = {
    table: "Customer",
    columns,
    pgTypes: ["text", "text", "text", ...owned.map((c) => OWNED_COLUMN_TYPES[c]), "timestamp(3)", "timestamp(3)"],
    conflict: ["shop", "shopifyId"],
    update: [...owned, "updatedAt"],
    updateWhere: `"Customer"."${version}" IS NULL OR excluded."${version}" IS NULL OR excluded."${version}" >= "Customer"."${version}"`,
  };
  const now = sqlTimestamp(new Date());
  const values = rows.map((row) => [
    newId(),
    shop,
    row.shopifyId,
    ...owned.map((c) => {
      const v = row.values[c] ?? null;
      return v instanceof Date ? sqlTimestamp(v) : v;
    }),
    now,
    now,
  ]);
  return upsertRows(sql, spec, values);
}

/** Makes sure a customer row exists (for topics that read and rewrite one of its columns). */
async function ensureCustomerRow(sql: RawSql, shop: string, shopifyId: string) {
  const now = sqlTimestamp(new Date());
  await sql.$executeRawUnsafe(
    `INSERT INTO "Customer" ("id", "shop", "shopifyId", "createdAt", "updatedAt") VALUES (${[1, 2, 3, 4, 5].map(placeholder).join(", ")})
     ON CONFLICT ("shop", "shopifyId") DO NOTHING`,
    newId(),
    shop,
    shopifyId,
    now,
    now,
  );
}

/**
 * Reads a customer's tags and their per-tag versions, lets `change` compute the next state and
 * stores it; the row is locked on PostgreSQL (SQLite's writer already holds the database).
 */
/** A tags-added or tags-removed event, from Shopify's webhooks or from Kinship's own write-back. */
export interface CustomerTagEvent {
  kind: "added" | "removed";
  tags: string[];
  occurredAt: string;
}

/**
 * Applies tag events to the stored tag list: each tag keeps the time of the last event applied to it,
 * so a delivery that arrives late never undoes a newer change (see applyTagEvent).
 */
export async function applyCustomerTagEvents(sql: RawSql, shop: string, shopifyId: string, events: CustomerTagEvent[]) {
  await ensureCustomerRow(sql, shop, shopifyId);
  const lock = dialect === "postgresql" ? " FOR UPDATE" : "";
  const [row] = await sql.$queryRawUnsafe<Array<{ tags: string; tagVersions: string }>>(
    `SELECT "tags", "tagVersions" FROM "Customer" WHERE "shop" = ${placeholder(1)} AND "shopifyId" = ${placeholder(2)}${lock}`,
    shop,
    shopifyId,
  );
  let state: TagState = { tags: parseTagList(row.tags), versions: parseTagVersions(row.tagVersions) };
  for (const event of events) state = applyTagEvent(state, event, event.kind);
  await sql.$executeRawUnsafe(
    `UPDATE "Customer" SET "tags" = ${placeholder(1)}, "tagVersions" = ${placeholder(2)}, "updatedAt" = ${placeholder(3)}
     WHERE "shop" = ${placeholder(4)} AND "shopifyId" = ${placeholder(5)}`,
    // Object.fromEntries defines own properties: a tag named "__proto__" stays a plain key.
    state.tags.join(", "),
    JSON.stringify(Object.fromEntries(state.versions)),
    sqlTimestamp(new Date()),
    shop,
    shopifyId,
  );
}

function parseTagVersions(text: string): Map<string, string> {
  try {
    const parsed: unknown = JSON.parse(text || "{}");
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return new Map();
    return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return new Map();
  }
}

/** customers/delete: the customer's row (with its scores) and tier states go; its orders, if any, become anonymous. */
export async function deleteCustomer(sql: RawSql, shop: string, shopifyId: string) {
  const [p1, p2] = [placeholder(1), placeholder(2)];
  await sql.$executeRawUnsafe(
    `UPDATE "Order" SET "customerShopifyId" = NULL WHERE "shop" = ${p1} AND "customerShopifyId" = ${p2}`,
    shop,
    shopifyId,
  );
  await sql.$executeRawUnsafe(`DELETE FROM "CustomerTier" WHERE "shop" = ${p1} AND "customerShopifyId" = ${p2}`, shop, shopifyId);
  return sql.$executeRawUnsafe(`DELETE FROM "Customer" WHERE "shop" = ${p1} AND "shopifyId" = ${p2}`, shop, shopifyId);
}

/**
 * customers/merge: the deleted customer's orders, feedback and issued codes move to the kept one, its
 * row and tier states go, and the kept customer's aggregates are recomputed from the moved orders.
 */
export async function mergeCustomers(sql: RawSql, shop: string, keptId: string, deletedId: string) {
  const [p1, p2, p3] = [placeholder(1), placeholder(2), placeholder(3)];
  await ensureCustomerRow(sql, shop, keptId);
  for (const [table, column] of [
    ["Order", "customerShopifyId"],
    ["Feedback", "customerShopifyId"],
    ["IssuedDiscount", "customerShopifyId"],
  ]) {
    await sql.$executeRawUnsafe(
      `UPDATE "${table}" SET "${column}" = ${p1} WHERE "shop" = ${p2} AND "${column}" = ${p3}`,
      keptId,
      shop,
      deletedId,
    );
  }
  await sql.$executeRawUnsafe(`DELETE FROM "CustomerTier" WHERE "shop" = ${p1} AND "customerShopifyId" = ${p2}`, shop, deletedId);
  await sql.$executeRawUnsafe(`DELETE FROM "Customer" WHERE "shop" = ${p1} AND "shopifyId" = ${p2}`, shop, deletedId);
  await refreshCustomerAggregates(shop, [keptId], sql);
}
