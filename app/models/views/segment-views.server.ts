/**
 * The Segments page: the RFM recency × frequency grid with counts and revenue, the named segments it
 * implies, lifecycle group sizes, and whether Shopify has the groups as tags. One pass per aggregate, no
 * customer rows loaded. The grid's cells and the group sizes are read as stored with the dashboard's figures
 * (`segmentFigures` in dashboard-views.server.ts, decision 028); the write-back status is counted on each load.
 */
import db from "../../db.server";
import { getShopSettings } from "../shop-settings.server";
import { customerScanHint, Sql } from "./customer-index.server";
import { rfmSegment, RFM_SEGMENTS, type RfmSegment, type Score } from "../../retention/segments/rfm";
import { KINSHIP_TAG_PREFIX } from "../../retention/segments/tags";

export interface RfmCell {
  r: Score;
  f: Score;
  segment: RfmSegment;
  customers: number;
  revenue: number;
}

export interface RfmGridView {
  /** cells[r - 1][f - 1] */
  cells: RfmCell[][];
  segments: { segment: RfmSegment; customers: number; revenue: number }[];
  scored: number;
  maxCustomers: number;
}

const SCORES: Score[] = [1, 2, 3, 4, 5];

/** One (recency, frequency) cell as counted: its customers and their total spend (cells without customers left out). */
export interface RfmCellCount {
  r: number;
  f: number;
  customers: number;
  revenue: number;
}

/**
 * The grid's cells counted from the customer rows: one group-by over the shop's scored customers. The dashboard's
 * stored figures keep its result (decision 028), so a Segments load does not run it.
 */
export async function rfmCellCounts(shop: string): Promise<RfmCellCount[]> {
  const sql = new Sql();
  // A covering (shop, rfmRecency, rfmFrequency, totalSpent) index would make this index-only.
  const hint = await customerScanHint(["Customer_shop_rfmRecency_rfmFrequency_totalSpent_idx"]);
  const rows = await db.$queryRawUnsafe<{ r: number | bigint; f: number | bigint; n: number | bigint; v: number | null }[]>(
    `SELECT "rfmRecency" AS "r", "rfmFrequency" AS "f", COUNT(*) AS "n", SUM("totalSpent") AS "v" FROM "Customer"${hint} ` +
      `WHERE "shop" = ${sql.bind(shop)} AND "rfmRecency" IS NOT NULL AND "rfmFrequency" IS NOT NULL GROUP BY "rfmRecency", "rfmFrequency"`,
    ...sql.params,
  );
  return rows.map((row) => ({ r: Number(row.r), f: Number(row.f), customers: Number(row.n), revenue: Number(row.v ?? 0) }));
}

/** The grid, its named segments and totals from counted cells. */
export function rfmGridOf(counts: RfmCellCount[]): RfmGridView {
  const cells = SCORES.map((r) => SCORES.map((f): RfmCell => ({ r, f, segment: rfmSegment(r, f), customers: 0, revenue: 0 })));
  for (const { r, f, customers, revenue } of counts) {
    if (r < 1 || r > 5 || f < 1 || f > 5) continue;
    cells[r - 1][f - 1].customers = customers;
    cells[r - 1][f - 1].revenue = revenue;
  }
  const bySegment = new Map(RFM_SEGMENTS.map((segment) => [segment, { segment, customers: 0, revenue: 0 }]));
  let scored = 0;
  let maxCustomers = 0;
  for (const cell of cells.flat()) {
    const entry = bySegment.get(cell.segment)!;
    entry.customers += cell.customers;
    entry.revenue += cell.revenue;
    scored += cell.customers;
    maxCustomers = Math.max(maxCustomers, cell.customers);
  }
  return { cells, segments: [...bySegment.values()], scored, maxCustomers };
}

/** The grid counted from the customer rows now. */
export async function rfmGrid(shop: string): Promise<RfmGridView> {
  return rfmGridOf(await rfmCellCounts(shop));
}

export interface WriteBackView {
  customers: number;
  /** Customers with a lifecycle group. */
  scored: number;
  /** Customers carrying any kinship: tag. */
  tagged: number;
  /** Scored customers whose kinship: tag names their current group. */
  upToDate: number;
  /** Keys of Kinship's segments in Shopify, when created (settings.segments). */
  shopifySegments: string[];
}

export async function writeBackStatus(shop: string): Promise<WriteBackView> {
  const sql = new Sql();
  const hint = await customerScanHint();
  const prefix = `%${KINSHIP_TAG_PREFIX}%`;
  // One pass: tags are stored as "a, b, c"; the current group's tag is "kinship:<lifecycle>".
  const [row] = await db.$queryRawUnsafe<Record<string, number | bigint | null>[]>(
    `SELECT COUNT(*) AS "customers", ` +
      `SUM(CASE WHEN "lifecycle" IS NOT NULL THEN 1 ELSE 0 END) AS "scored", ` +
      `SUM(CASE WHEN "tags" LIKE ${sql.bind(prefix)} THEN 1 ELSE 0 END) AS "tagged", ` +
      `SUM(CASE WHEN "lifecycle" IS NOT NULL AND ("tags" = ${sql.bind(KINSHIP_TAG_PREFIX)} || "lifecycle" OR "tags" LIKE ${sql.bind(`%${KINSHIP_TAG_PREFIX}`)} || "lifecycle" || ${sql.bind(",%")} ` +
      `OR "tags" LIKE ${sql.bind(`%${KINSHIP_TAG_PREFIX}`)} || "lifecycle") THEN 1 ELSE 0 END) AS "upToDate" ` +
      `FROM "Customer"${hint} WHERE "shop" = ${sql.bind(shop)}`,
    ...sql.params,
  );
  const shopifySegments = Object.keys((await getShopSettings(shop)).segments);
  const n = (key: string) => Number(row?.[key] ?? 0);
  return { customers: n("customers"), scored: n("scored"), tagged: n("tagged"), upToDate: n("upToDate"), shopifySegments };
}
