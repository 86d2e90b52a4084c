/**
 * The customer index: one page of a shop's customers, sorted, filtered and searched in the database.
 *
 * Keyset (cursor) pagination, not OFFSET: a page is "the next `limit` rows after (value, id)" in the sort
 * order, so page 4,000 costs what page 1 costs and rows don't shift when customers change between clicks.
 * The sort is always (column, id) so ties are broken the same way every time.
 *
 * NULLs (customers not scored yet, or without orders) sort last in both directions on both databases.
 * SQLite and PostgreSQL disagree on where NULLs go, so the order is built from two segments queried
 * separately: rows with a value (by column, id), then rows without (by id). Each segment is one range
 * scan on an index (shop, column, id); a page that crosses from one to the other runs two short queries.
 *
 * With filters the page comes from one pass over the matches instead (see "Plans" below).
 *
 * Indexes this relies on: (shop, lastOrderAt, id), (shop, orderCount, id), (shop, totalSpent, id),
 * (shop, predictedClv, id), (shop, pAlive, id) for the sorts; (shop, lifecycle, id), (shop, rfmSegment, id),
 * (shop, tier, id) for filters; and, for filtered pages at 200,000 customers, the covering
 * COVERING_LIST_INDEX. Missing ones only make pages slower, never wrong.
 */
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import db from "../../db.server";
import { dialect, sqlTimestamp } from "../sql/sql.server";
import { RFM_SEGMENTS } from "../../retention/segments/rfm";

import { CUSTOMER_SORTS, type CustomerSort } from "./customer-index-options";
import { LIFECYCLE_GROUPS } from "../../retention/segments/lifecycle";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
const MAX_SEARCH_TERMS = 4;

export interface CustomerListParams {
  sort?: CustomerSort;
  direction?: "asc" | "desc";
  /** Cursor of the last row of the previous page (go forward). */
  after?: string | null;
  /** Cursor of the first row of the current page (go back). */
  before?: string | null;
  limit?: number;
  lifecycle?: readonly string[];
  rfmSegment?: readonly string[];
  tier?: readonly string[];
  /** P(alive) bounds, 0..1 inclusive. */
  pAliveMin?: number | null;
  pAliveMax?: number | null;
  /** Predicted CLV bounds in the shop's currency, inclusive. */
  clvMin?: number | null;
  clvMax?: number | null;
  hasBirthday?: boolean | null;
  /** Name or email, words matched independently (all must match). */
  query?: string | null;
  /** Also count the matching rows (one more query). */
  withTotal?: boolean;
}

export interface CustomerListRow {
  id: string;
  shopifyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  lifecycle: string | null;
  rfmSegment: string | null;
  tier: string | null;
  orderCount: number;
  totalSpent: number;
  lastOrderAt: Date | null;
  predictedClv: number | null;
  pAlive: number | null;
  birthday: string | null;
}

export interface CustomerListPage {
  customers: (CustomerListRow & { cursor: string })[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  total: number | null;
  sort: CustomerSort;
  direction: "asc" | "desc";
}

const ROW_SELECT = {
  id: true,
  shopifyId: true,
  firstName: true,
  lastName: true,
  email: true,
  lifecycle: true,
  rfmSegment: true,
  tier: true,
  orderCount: true,
  totalSpent: true,
  lastOrderAt: true,
  predictedClv: true,
  pAlive: true,
  birthday: true,
} satisfies Prisma.CustomerSelect;

type SortValue = number | Date | null;

// ---------------------------------------------------------------------------------------------------------
// Cursors: opaque base64url of [sort, direction, value, id]. A cursor made for another sort is ignored
// (the list starts over) rather than producing a wrong page.

const cursorSchema = z.tuple([
  z.enum(CUSTOMER_SORTS),
  z.enum(["asc", "desc"]),
  z.union([z.number(), z.string(), z.null()]),
  z.string().min(1).max(64),
]);

export function encodeCursor(sort: CustomerSort, direction: "asc" | "desc", value: SortValue, id: string): string {
  const raw = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([sort, direction, raw, id])).toString("base64url");
}

interface DecodedCursor {
  value: SortValue;
  id: string;
}

export function decodeCursor(cursor: string | null | undefined, sort: CustomerSort, direction: "asc" | "desc"): DecodedCursor | null {
  if (!cursor || cursor.length > 400) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) return null;
  const [cursorSort, cursorDirection, raw, id] = result.data;
  if (cursorSort !== sort || cursorDirection !== direction) return null;
  if (raw === null) return { value: null, id };
  if (sort === "lastOrderAt") {
    if (typeof raw !== "string") return null;
    const date = new Date(raw);
    return Number.isNaN(date.getTime()) ? null : { value: date, id };
  }
  return typeof raw === "number" && Number.isFinite(raw) ? { value: raw, id } : null;
}

// ---------------------------------------------------------------------------------------------------------
// SQL. Raw, because the plan matters at 200,000 rows and Prisma cannot express SQLite's planner hints:
// SQLite (without ANALYZE statistics) picks among the many (shop, …) indexes almost at random, and a scan
// through the wrong one costs a random table lookup per row (~250 ms at 200,000 rows instead of ~5 ms).
// PostgreSQL plans from statistics and gets the same SQL without hints.

type Direction = "asc" | "desc";
const flip = (d: Direction): Direction => (d === "asc" ? "desc" : "asc");
const NULLABLE_SORTS: ReadonlySet<CustomerSort> = new Set(["lastOrderAt", "predictedClv", "pAlive"]);
const SELECT_COLUMNS = Object.keys(ROW_SELECT)
  .map((c) => `"${c}"`)
  .join(", ");

/** Bound parameters in the current dialect (`?` or `$n`). */
export class Sql {
  readonly params: unknown[] = [];
  bind(value: unknown): string {
    this.params.push(value);
    return dialect === "postgresql" ? `$${this.params.length}` : "?";
  }
  list(values: readonly unknown[]): string {
    return values.map((v) => this.bind(v)).join(", ");
  }
}

function searchTerms(query: string | null | undefined): string[] {
  if (!query) return [];
  return query
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, MAX_SEARCH_TERMS)
    .map((term) => term.slice(0, 100));
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQLite's LIKE folds ASCII case only: for other scripts try the term as typed, lower and Capitalised. */
function caseVariants(term: string): string[] {
  if (dialect === "postgresql" || /^\p{ASCII}*$/u.test(term)) return [term];
  const lower = term.toLocaleLowerCase();
  return [...new Set([term, lower, lower.charAt(0).toLocaleUpperCase() + lower.slice(1)])];
}

function searchTermSql(sql: Sql, term: string): string {
  const like = dialect === "postgresql" ? "ILIKE" : "LIKE";
  const alternatives: string[] = [];
  for (const variant of caseVariants(term)) {
    for (const column of ["email", "firstName", "lastName"]) {
      alternatives.push(`"${column}" ${like} ${sql.bind(likePattern(variant))} ESCAPE '\\'`);
    }
  }
  // A pasted Shopify customer id (numeric or gid) finds that customer.
  const numeric = /^\d{1,20}$/.test(term) ? term : /^gid:\/\/shopify\/Customer\/(\d{1,20})$/.exec(term)?.[1];
  if (numeric) alternatives.push(`"shopifyId" = ${sql.bind(`gid://shopify/Customer/${numeric}`)}`);
  return `(${alternatives.join(" OR ")})`;
}

interface Filters {
  lifecycle: string[];
  rfmSegment: string[];
  tier: string[];
  pAlive: [number | null, number | null];
  clv: [number | null, number | null];
  hasBirthday: boolean | null;
  terms: string[];
}

const finite = (v: number | null | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function normalizeFilters(params: CustomerListParams): Filters {
  return {
    lifecycle: (params.lifecycle ?? []).filter((g) => (LIFECYCLE_GROUPS as readonly string[]).includes(g)),
    rfmSegment: (params.rfmSegment ?? []).filter((s) => (RFM_SEGMENTS as readonly string[]).includes(s)),
    tier: (params.tier ?? []).filter((t) => t.length > 0 && t.length <= 100).slice(0, 50),
    pAlive: [finite(params.pAliveMin), finite(params.pAliveMax)],
    clv: [finite(params.clvMin), finite(params.clvMax)],
    hasBirthday: params.hasBirthday ?? null,
    terms: searchTerms(params.query),
  };
}

const hasFilters = (f: Filters): boolean =>
  f.lifecycle.length + f.rfmSegment.length + f.tier.length + f.terms.length > 0 ||
  f.pAlive.some((v) => v !== null) ||
  f.clv.some((v) => v !== null) ||
  f.hasBirthday !== null;

/** Whether the list is narrowed by a filter (an unfiltered list's total is the shop's customer count). */
export function hasCustomerFilters(params: CustomerListParams): boolean {
  return hasFilters(normalizeFilters(params));
}

function rangeSql(sql: Sql, column: string, [min, max]: [number | null, number | null]): string[] {
  const terms: string[] = [];
  if (min !== null) terms.push(`"${column}" >= ${sql.bind(min)}`);
  if (max !== null) terms.push(`"${column}" <= ${sql.bind(max)}`);
  return terms;
}

/** WHERE terms for the shop and the filters (no cursor). */
function filterSql(sql: Sql, shop: string, f: Filters): string[] {
  const terms = [`"shop" = ${sql.bind(shop)}`];
  if (f.lifecycle.length) terms.push(`"lifecycle" IN (${sql.list(f.lifecycle)})`);
  if (f.rfmSegment.length) terms.push(`"rfmSegment" IN (${sql.list(f.rfmSegment)})`);
  if (f.tier.length) terms.push(`"tier" IN (${sql.list(f.tier)})`);
  terms.push(...rangeSql(sql, "pAlive", f.pAlive), ...rangeSql(sql, "predictedClv", f.clv));
  if (f.hasBirthday === true) terms.push(`"birthday" IS NOT NULL`);
  if (f.hasBirthday === false) terms.push(`"birthday" IS NULL`);
  for (const term of f.terms) terms.push(searchTermSql(sql, term));
  return terms;
}

function sortValueParam(column: CustomerSort, value: SortValue): unknown {
  return value instanceof Date ? sqlTimestamp(value) : value;
}

/** Keyset condition: rows strictly after the cursor, within the cursor's segment (values or NULLs). */
function afterCursorSql(
  sql: Sql,
  column: CustomerSort,
  dir: Direction,
  cursor: DecodedCursor | null,
  segment: "values" | "nulls",
): string[] {
  const lt = dir === "desc" ? "<" : ">";
  if (segment === "nulls") {
    const terms = [`"${column}" IS NULL`];
    if (cursor && cursor.value === null) terms.push(`"id" ${lt} ${sql.bind(cursor.id)}`);
    return terms;
  }
  const terms = NULLABLE_SORTS.has(column) ? [`"${column}" IS NOT NULL`] : [];
  if (cursor && cursor.value !== null) {
    const value = sortValueParam(column, cursor.value);
    // `column <= v` bounds the index range; the OR only breaks the ties at v by id.
    terms.push(`"${column}" ${lt}= ${sql.bind(value)}`, `("${column}" ${lt} ${sql.bind(value)} OR "id" ${lt} ${sql.bind(cursor.id)})`);
  }
  return terms;
}

// --- Plans ------------------------------------------------------------------------------------------------------
//
// "sorted" (no filters): walk the sort index (shop, column, id) from the cursor and stop after limit + 1
// rows — a millisecond at any depth.
// "filtered": compute the matching rows' (id, sort value) in one pass, with COUNT(*) OVER () for the total,
// sort that narrow list and join the page's rows back. Its cost is one pass over the candidates, whatever
// the order of the matches. Walking the sort index with filters would be faster when matches are dense and
// early, but costs a random table lookup per skipped row, and filters correlate with sorts (Lapsed sorted by
// last order puts every match at the far end): at 200,000 customers that is ~250 ms versus ~40–100 ms.
// The pass reads the candidates through the filter's own index when that leaves at most a tenth of the shop
// (random lookups cost ~10× a sequential read), otherwise through the shop's unique key in storage order.

let sqliteIndexes: Promise<Set<string>> | null = null;

/** Names of the Customer indexes that exist (a hint naming a missing index is an SQLite error). */
export function customerIndexes(): Promise<Set<string>> {
  sqliteIndexes ??= db
    .$queryRawUnsafe<{ name: string }[]>(`SELECT "name" FROM sqlite_master WHERE "type" = 'index' AND "tbl_name" = 'Customer'`)
    .then((rows) => new Set(rows.map((r) => r.name)))
    .catch(() => new Set<string>());
  return sqliteIndexes;
}

/** Forget which indexes exist (after a migration in the same process, e.g. in tests). */
export function forgetCustomerIndexes() {
  sqliteIndexes = null;
}

const SEQUENTIAL_INDEX = "Customer_shop_shopifyId_key";
/**
 * A covering index over the shop, every filterable column, every sort column and id (see the report):
 * with it the filtered pass never touches the table; without it the pass reads rows.
 */
export const COVERING_LIST_INDEX = "Customer_list_covering_idx";
const RANDOM_ACCESS_SHARE = 0.1;

interface IndexedCondition {
  index: string;
  where: (sql: Sql) => string[];
}

/** The first filter an existing index can answer on its own (its count is then an index-only scan). */
async function indexedCondition(f: Filters): Promise<IndexedCondition | null> {
  const existing = await customerIndexes();
  const pick = (names: string[], where: (sql: Sql) => string[]): IndexedCondition | null => {
    const index = names.find((n) => existing.has(n));
    return index ? { index, where } : null;
  };
  const candidates: (() => IndexedCondition | null)[] = [
    () => (f.lifecycle.length ? pick(["Customer_shop_lifecycle_id_idx"], (s) => [`"lifecycle" IN (${s.list(f.lifecycle)})`]) : null),
    () => (f.rfmSegment.length ? pick(["Customer_shop_rfmSegment_id_idx"], (s) => [`"rfmSegment" IN (${s.list(f.rfmSegment)})`]) : null),
    () => (f.tier.length ? pick(["Customer_shop_tier_id_idx"], (s) => [`"tier" IN (${s.list(f.tier)})`]) : null),
    () =>
      f.pAlive.some((v) => v !== null)
        ? pick(["Customer_shop_pAlive_id_idx", "Customer_shop_pAlive_idx"], (s) => rangeSql(s, "pAlive", f.pAlive))
        : null,
    () =>
      f.clv.some((v) => v !== null)
        ? pick(["Customer_shop_predictedClv_id_idx", "Customer_shop_predictedClv_idx"], (s) => rangeSql(s, "predictedClv", f.clv))
        : null,
    () =>
      f.hasBirthday !== null
        ? pick(["Customer_shop_birthday_idx", "Customer_shop_birthday_id_idx"], () => [
            f.hasBirthday ? `"birthday" IS NOT NULL` : `"birthday" IS NULL`,
          ])
        : null,
  ];
  for (const candidate of candidates) {
    const found = candidate();
    if (found) return found;
  }
  return null;
}

async function countWhere(shop: string, where: (sql: Sql) => string[], hint = ""): Promise<number> {
  const sql = new Sql();
  const terms = [`"shop" = ${sql.bind(shop)}`, ...where(sql)].join(" AND ");
  const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
    `SELECT COUNT(*) AS "n" FROM "Customer"${hint} WHERE ${terms}`,
    ...sql.params,
  );
  return Number(rows[0]?.n ?? 0);
}

/** SQLite only: which index the filtered pass should read its candidates through. */
async function filteredPassHint(shop: string, f: Filters): Promise<string> {
  if (dialect !== "sqlite") return "";
  const existing = await customerIndexes();
  if (existing.has(COVERING_LIST_INDEX)) return ` INDEXED BY "${COVERING_LIST_INDEX}"`;
  const condition = await indexedCondition(f);
  if (condition) {
    const [candidates, all] = await Promise.all([
      countWhere(shop, condition.where, ` INDEXED BY "${condition.index}"`),
      countWhere(shop, () => []),
    ]);
    if (candidates <= all * RANDOM_ACCESS_SHARE) return ` INDEXED BY "${condition.index}"`;
  }
  return existing.has(SEQUENTIAL_INDEX) ? ` INDEXED BY "${SEQUENTIAL_INDEX}"` : "";
}

/**
 * For other read models' whole-shop aggregates: an SQLite hint naming the first existing index of
 * `preferred` (ideally one that covers the query), else the shop's unique key, which reads the shop's rows
 * in storage order. Empty on PostgreSQL.
 */
export async function customerScanHint(preferred: readonly string[] = []): Promise<string> {
  if (dialect !== "sqlite") return "";
  const existing = await customerIndexes();
  const name = [...preferred, SEQUENTIAL_INDEX].find((n) => existing.has(n));
  return name ? ` INDEXED BY "${name}"` : "";
}

async function sortIndexHint(column: CustomerSort): Promise<string> {
  if (dialect !== "sqlite") return "";
  const existing = await customerIndexes();
  const name = [`Customer_shop_${column}_id_idx`, `Customer_shop_${column}_idx`].find((n) => existing.has(n));
  return name ? ` INDEXED BY "${name}"` : "";
}

// --- Queries --------------------------------------------------------------------------------------------------

interface RawRow extends Omit<CustomerListRow, "lastOrderAt" | "orderCount" | "totalSpent"> {
  lastOrderAt: Date | string | null;
  orderCount: number | bigint;
  totalSpent: number;
  total?: number | bigint;
}

function toRow(raw: RawRow): CustomerListRow {
  return {
    id: raw.id,
    shopifyId: raw.shopifyId,
    firstName: raw.firstName,
    lastName: raw.lastName,
    email: raw.email,
    lifecycle: raw.lifecycle,
    rfmSegment: raw.rfmSegment,
    tier: raw.tier,
    birthday: raw.birthday,
    orderCount: Number(raw.orderCount),
    totalSpent: Number(raw.totalSpent),
    predictedClv: raw.predictedClv === null ? null : Number(raw.predictedClv),
    pAlive: raw.pAlive === null ? null : Number(raw.pAlive),
    lastOrderAt: raw.lastOrderAt === null ? null : new Date(raw.lastOrderAt),
  };
}

/** One segment (values or NULLs) of the sorted plan, walking the sort index. */
async function sortedSegment(
  shop: string,
  column: CustomerSort,
  dir: Direction,
  cursor: DecodedCursor | null,
  segment: "values" | "nulls",
  take: number,
): Promise<CustomerListRow[]> {
  if (take <= 0) return [];
  const sql = new Sql();
  const where = [`"shop" = ${sql.bind(shop)}`, ...afterCursorSql(sql, column, dir, cursor, segment)].join(" AND ");
  const d = dir.toUpperCase();
  const orderBy = segment === "values" ? `"${column}" ${d}, "id" ${d}` : `"id" ${d}`;
  const hint = await sortIndexHint(column);
  const rows = await db.$queryRawUnsafe<RawRow[]>(
    `SELECT ${SELECT_COLUMNS} FROM "Customer"${hint} WHERE ${where} ORDER BY ${orderBy} LIMIT ${Math.floor(take)}`,
    ...sql.params,
  );
  return rows.map(toRow);
}

/**
 * The sorted plan: values, then NULLs. Going backward is the same walk over the reversed order: NULLs
 * first (ids reversed), then values reversed.
 */
async function sortedPage(
  shop: string,
  column: CustomerSort,
  dir: Direction,
  cursor: DecodedCursor | null,
  take: number,
  backward: boolean,
) {
  const nullable = NULLABLE_SORTS.has(column);
  const rows: CustomerListRow[] = [];
  if (!backward) {
    if (!cursor || cursor.value !== null) rows.push(...(await sortedSegment(shop, column, dir, cursor, "values", take)));
    if (nullable && rows.length < take) rows.push(...(await sortedSegment(shop, column, dir, cursor, "nulls", take - rows.length)));
    return rows;
  }
  const reversed = flip(dir);
  if (nullable && cursor && cursor.value === null) rows.push(...(await sortedSegment(shop, column, reversed, cursor, "nulls", take)));
  if (rows.length < take) {
    const valueCursor = cursor && cursor.value !== null ? cursor : null;
    rows.push(...(await sortedSegment(shop, column, reversed, valueCursor, "values", take - rows.length)));
  }
  return rows;
}

/**
 * Rows after the cursor in the order (value IS NULL, value dir, id dir) — NULLs last — over the narrow
 * candidate list `w` ("sortValue", "id").
 */
function narrowAfterCursorSql(sql: Sql, column: CustomerSort, dir: Direction, cursor: DecodedCursor | null): string | null {
  if (!cursor) return null;
  const lt = dir === "desc" ? "<" : ">";
  const id = () => sql.bind(cursor.id);
  if (cursor.value === null) return `(w."sortValue" IS NULL AND w."id" ${lt} ${id()})`;
  const value = sortValueParam(column, cursor.value);
  return `((w."sortValue" IS NOT NULL AND (w."sortValue" ${lt} ${sql.bind(value)} OR (w."sortValue" = ${sql.bind(value)} AND w."id" ${lt} ${id()}))) OR w."sortValue" IS NULL)`;
}

/** Same, for the reversed order (NULLs first, values and ids reversed): the rows before the cursor. */
function narrowBeforeCursorSql(sql: Sql, column: CustomerSort, dir: Direction, cursor: DecodedCursor): string {
  const gt = dir === "desc" ? ">" : "<";
  const id = () => sql.bind(cursor.id);
  if (cursor.value === null) return `((w."sortValue" IS NULL AND w."id" ${gt} ${id()}) OR w."sortValue" IS NOT NULL)`;
  const value = sortValueParam(column, cursor.value);
  return `(w."sortValue" IS NOT NULL AND (w."sortValue" ${gt} ${sql.bind(value)} OR (w."sortValue" = ${sql.bind(value)} AND w."id" ${gt} ${id()})))`;
}

async function filteredPage(
  shop: string,
  f: Filters,
  column: CustomerSort,
  dir: Direction,
  cursor: DecodedCursor | null,
  take: number,
  backward: boolean,
): Promise<{ rows: CustomerListRow[]; total: number | null }> {
  const sql = new Sql();
  const hint = await filteredPassHint(shop, f);
  const where = filterSql(sql, shop, f).join(" AND ");
  const position = backward && cursor ? narrowBeforeCursorSql(sql, column, dir, cursor) : narrowAfterCursorSql(sql, column, dir, cursor);
  const order = backward ? flip(dir) : dir;
  const nullsLast = backward ? "DESC" : "ASC";
  const d = order.toUpperCase();
  const orderBy = (alias: string) =>
    NULLABLE_SORTS.has(column)
      ? `(${alias}."sortValue" IS NULL) ${nullsLast}, ${alias}."sortValue" ${d}, ${alias}."id" ${d}`
      : `${alias}."sortValue" ${d}, ${alias}."id" ${d}`;
  const columns = Object.keys(ROW_SELECT)
    .map((c) => `c."${c}"`)
    .join(", ");
  const rows = await db.$queryRawUnsafe<RawRow[]>(
    `SELECT ${columns}, p."total" AS "total" FROM (` +
      `SELECT w."id", w."sortValue", w."total" FROM (` +
      `SELECT "id", "${column}" AS "sortValue", COUNT(*) OVER () AS "total" FROM "Customer"${hint} WHERE ${where}` +
      `) w${position ? ` WHERE ${position}` : ""} ORDER BY ${orderBy("w")} LIMIT ${Math.floor(take)}` +
      `) p JOIN "Customer" c ON c."id" = p."id" ORDER BY ${orderBy("p")}`,
    ...sql.params,
  );
  // The window counts every match; with no row after the cursor there is nothing to read it from.
  const total = rows.length ? Number(rows[0].total) : cursor ? null : 0;
  return { rows: rows.map(toRow), total };
}

export function rowCursor(row: CustomerListRow, sort: CustomerSort, direction: Direction): string {
  return encodeCursor(sort, direction, row[sort], row.id);
}

/** One page of the shop's customers. Every query filters by shop; at most limit + 1 rows are read back. */
export async function listCustomers(shop: string, params: CustomerListParams = {}): Promise<CustomerListPage> {
  const sort = params.sort && (CUSTOMER_SORTS as readonly string[]).includes(params.sort) ? params.sort : "lastOrderAt";
  const direction: Direction = params.direction === "asc" ? "asc" : "desc";
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(params.limit ?? DEFAULT_PAGE_SIZE)));
  const filters = normalizeFilters(params);
  const before = decodeCursor(params.before, sort, direction);
  const after = before ? null : decodeCursor(params.after, sort, direction);
  const backward = before !== null;
  const cursor = backward ? before : after;

  let fetched: CustomerListRow[];
  let total: number | null = null;
  if (hasFilters(filters)) {
    const page = await filteredPage(shop, filters, sort, direction, cursor, limit + 1, backward);
    fetched = page.rows;
    total = page.total;
    if (total === null && params.withTotal) {
      // A cursor past the last match (rows deleted since): count separately, through the same access path.
      const sql = new Sql();
      const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT COUNT(*) AS "n" FROM "Customer"${await filteredPassHint(shop, filters)} WHERE ${filterSql(sql, shop, filters).join(" AND ")}`,
        ...sql.params,
      );
      total = Number(rows[0]?.n ?? 0);
    }
  } else {
    fetched = await sortedPage(shop, sort, direction, cursor, limit + 1, backward);
    if (params.withTotal) total = await countWhere(shop, () => []);
  }

  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (backward) rows.reverse();
  const customers = rows.map((row) => ({ ...row, cursor: rowCursor(row, sort, direction) }));
  return {
    customers,
    pageInfo: {
      hasNextPage: backward ? true : more,
      hasPreviousPage: backward ? more : after !== null,
      startCursor: customers[0]?.cursor ?? null,
      endCursor: customers[customers.length - 1]?.cursor ?? null,
    },
    total: params.withTotal ? total : null,
    sort,
    direction,
  };
}

// ---------------------------------------------------------------------------------------------------------
// URL ⇄ params. The index page's URL is typed by the merchant as much as by the UI: anything malformed is
// dropped (and reported) instead of reaching the query.

const optionalNumber = (min: number, max: number) =>
  z.preprocess(
    (v) => {
      if (v === null || v === undefined) return undefined;
      const text = String(v).trim().replace(",", ".");
      if (text === "") return undefined;
      return Number(text);
    },
    z.number({ invalid_type_error: "number" }).finite().min(min).max(max).optional(),
  );

const listSchema = z.object({
  sort: z.enum(CUSTOMER_SORTS).optional(),
  direction: z.enum(["asc", "desc"]).optional(),
  after: z.string().max(400).optional(),
  before: z.string().max(400).optional(),
  query: z.string().max(200).optional(),
  lifecycle: z.array(z.enum(LIFECYCLE_GROUPS)).max(LIFECYCLE_GROUPS.length).optional(),
  rfmSegment: z.array(z.enum(RFM_SEGMENTS)).max(RFM_SEGMENTS.length).optional(),
  tier: z.array(z.string().min(1).max(100)).max(50).optional(),
  // The UI shows P(alive) in percent.
  pAliveMin: optionalNumber(0, 100),
  pAliveMax: optionalNumber(0, 100),
  clvMin: optionalNumber(0, 1e12),
  clvMax: optionalNumber(0, 1e12),
  hasBirthday: z.enum(["yes", "no"]).optional(),
});

export type CustomerListField = keyof z.infer<typeof listSchema>;

export interface ParsedCustomerList {
  params: CustomerListParams;
  /** Fields that were present but invalid, so the page can say which filter it ignored. */
  invalid: CustomerListField[];
  /** The accepted values as the UI shows them (percent for P(alive)). */
  values: {
    sort: CustomerSort;
    direction: Direction;
    query: string;
    lifecycle: string[];
    rfmSegment: string[];
    tier: string[];
    pAliveMin: number | null;
    pAliveMax: number | null;
    clvMin: number | null;
    clvMax: number | null;
    hasBirthday: "yes" | "no" | null;
  };
}

function splitList(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function parseCustomerListSearch(search: URLSearchParams): ParsedCustomerList {
  const raw: Record<string, unknown> = {
    sort: search.get("sort") ?? undefined,
    direction: search.get("direction") ?? undefined,
    after: search.get("after") ?? undefined,
    before: search.get("before") ?? undefined,
    query: search.get("query") ?? undefined,
    lifecycle: search.has("lifecycle") ? splitList(search.getAll("lifecycle")) : undefined,
    rfmSegment: search.has("rfmSegment") ? splitList(search.getAll("rfmSegment")) : undefined,
    tier: search.has("tier")
      ? search
          .getAll("tier")
          .map((t) => t.trim())
          .filter(Boolean)
      : undefined,
    pAliveMin: search.get("pAliveMin") ?? undefined,
    pAliveMax: search.get("pAliveMax") ?? undefined,
    clvMin: search.get("clvMin") ?? undefined,
    clvMax: search.get("clvMax") ?? undefined,
    hasBirthday: search.get("hasBirthday") || undefined,
  };
  // Validate field by field so one bad value drops only itself.
  const accepted: Record<string, unknown> = {};
  const invalid: CustomerListField[] = [];
  for (const [key, shape] of Object.entries(listSchema.shape) as [CustomerListField, z.ZodTypeAny][]) {
    if (raw[key] === undefined) continue;
    const result = shape.safeParse(raw[key]);
    if (result.success) accepted[key] = result.data;
    else invalid.push(key);
  }
  const v = accepted as z.infer<typeof listSchema>;
  // A range given upside down is swapped rather than returning nothing.
  let [pMin, pMax] = [v.pAliveMin ?? null, v.pAliveMax ?? null];
  if (pMin !== null && pMax !== null && pMin > pMax) [pMin, pMax] = [pMax, pMin];
  let [cMin, cMax] = [v.clvMin ?? null, v.clvMax ?? null];
  if (cMin !== null && cMax !== null && cMin > cMax) [cMin, cMax] = [cMax, cMin];
  const sort = v.sort ?? "lastOrderAt";
  const direction = v.direction ?? "desc";
  const query = (v.query ?? "").trim();
  return {
    params: {
      sort,
      direction,
      after: v.after ?? null,
      before: v.before ?? null,
      query: query || null,
      lifecycle: v.lifecycle ?? [],
      rfmSegment: v.rfmSegment ?? [],
      tier: v.tier ?? [],
      pAliveMin: pMin === null ? null : pMin / 100,
      pAliveMax: pMax === null ? null : pMax / 100,
      clvMin: cMin,
      clvMax: cMax,
      hasBirthday: v.hasBirthday === undefined ? null : v.hasBirthday === "yes",
    },
    invalid,
    values: {
      sort,
      direction,
      query,
      lifecycle: v.lifecycle ?? [],
      rfmSegment: v.rfmSegment ?? [],
      tier: v.tier ?? [],
      pAliveMin: pMin,
      pAliveMax: pMax,
      clvMin: cMin,
      clvMax: cMax,
      hasBirthday: v.hasBirthday ?? null,
    },
  };
}
