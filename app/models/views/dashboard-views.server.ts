/**
 * Everything the dashboard shows, from aggregate queries: nothing here loads the shop's customers.
 * Each customer aggregate reads one index range (see the hints) — a few milliseconds at 200,000 customers
 * with the indexes listed in customer-index.server.ts, at rest. Under an import on PostgreSQL the seven
 * counts of a load took ~0.9 s (p50), so a load reads them as stored (`DashboardFigures`, one row per shop):
 * `computeDashboardFigures` runs the queries below and stores their result; the import and the recompute call
 * it when they end, webhooks through a coalesced background refresh (jobs/dashboard-figures.server.ts).
 */
import db from "../../db.server";
import { latestSyncRun, syncProgress } from "../sync-runs.server";
import { COVERING_LIST_INDEX, customerIndexes, customerScanHint, Sql } from "./customer-index.server";
import { LIFECYCLE_GROUPS } from "../../retention/segments/lifecycle";
import { dialect } from "../sql/sql.server";
import { readModelState, type ModelStateView } from "../model-state.server";
import { knownTierNames } from "../rules.server";
import { DETRACTOR_MAX, PROMOTER_MIN } from "../../retention/feedback/nps";
import { isUniqueViolation } from "../sql/transient-errors.server";
import { countWithoutMarketingConsent } from "../consent-records.server";
import { rfmCellCounts, rfmGridOf, type RfmCellCount, type RfmGridView } from "./segment-views.server";

export interface SyncView {
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** 0..1, or null while Shopify has not said how many rows are coming. */
  progress: number | null;
  active: boolean;
  processedCount: number;
  expectedCount: number | null;
  ordersCount: number;
  customersCount: number;
  error: string | null;
  nextRetryAt: Date | null;
}

export async function syncView(shop: string): Promise<SyncView | null> {
  const run = await latestSyncRun(shop);
  if (!run) return null;
  return {
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    progress: syncProgress(run),
    active: run.status === "running" || run.status === "importing",
    processedCount: run.processedCount,
    expectedCount: run.expectedCount,
    ordersCount: run.ordersCount,
    customersCount: run.customersCount,
    error: run.error,
    nextRetryAt: run.nextRetryAt,
  };
}

async function scalar(sql: string, params: unknown[]): Promise<number> {
  const rows = await db.$queryRawUnsafe<Record<string, number | bigint | null>[]>(sql, ...params);
  const value = rows[0] ? Object.values(rows[0])[0] : 0;
  return Number(value ?? 0);
}

export interface LiveInsights {
  customers: number;
  /** Customers with at least one order. */
  buyers: number;
  /** Customers with two or more orders. */
  returning: number;
  repeatPurchaseRate: number | null;
  revenue: number;
  /** Share of customer revenue from the top 20% of buyers by spend (ceil(20% of buyers)). */
  top20RevenueShare: number | null;
}

/** SQLite: which of the given indexes exist (PostgreSQL plans from statistics and needs no choice). */
async function haveIndexes(names: string[]): Promise<boolean> {
  if (dialect !== "sqlite") return true;
  const existing = await customerIndexes();
  return names.every((n) => existing.has(n));
}

/**
 * Repeat rate and revenue concentration straight from the customer rows (exact, always current).
 * With the (shop, orderCount) and (shop, totalSpent) indexes each figure is an index-only range; with the
 * covering list index the counts are one index-only pass; without either, one pass over the rows.
 */
export async function liveInsights(shop: string): Promise<LiveInsights> {
  let customers: number;
  let buyers: number;
  let returning: number;
  let revenue: number;
  const existing = dialect === "sqlite" ? await customerIndexes() : new Set<string>();
  if (
    dialect === "sqlite" &&
    !existing.has(COVERING_LIST_INDEX) &&
    (await haveIndexes(["Customer_shop_orderCount_id_idx", "Customer_shop_totalSpent_id_idx"]))
  ) {
    const orderHint = await customerScanHint(["Customer_shop_orderCount_id_idx"]);
    const spendHint = await customerScanHint(["Customer_shop_totalSpent_id_idx"]);
    const countOrders = (min: number) => {
      const sql = new Sql();
      return scalar(
        `SELECT COUNT(*) AS "n" FROM "Customer"${orderHint} WHERE "shop" = ${sql.bind(shop)} AND "orderCount" >= ${sql.bind(min)}`,
        sql.params,
      );
    };
    [customers, buyers, returning] = [await countOrders(0), await countOrders(1), await countOrders(2)];
    const sql = new Sql();
    revenue = await scalar(
      `SELECT COALESCE(SUM("totalSpent"), 0) AS "v" FROM "Customer"${spendHint} WHERE "shop" = ${sql.bind(shop)}`,
      sql.params,
    );
  } else {
    const sql = new Sql();
    const hint = await customerScanHint([COVERING_LIST_INDEX]);
    const [row] = await db.$queryRawUnsafe<Record<string, number | bigint | null>[]>(
      `SELECT COUNT(*) AS "customers", SUM(CASE WHEN "orderCount" >= 1 THEN 1 ELSE 0 END) AS "buyers", ` +
        `SUM(CASE WHEN "orderCount" >= 2 THEN 1 ELSE 0 END) AS "returning", COALESCE(SUM("totalSpent"), 0) AS "revenue" ` +
        `FROM "Customer"${hint} WHERE "shop" = ${sql.bind(shop)}`,
      ...sql.params,
    );
    [customers, buyers, returning, revenue] = ["customers", "buyers", "returning", "revenue"].map((k) => Number(row?.[k] ?? 0));
  }
  const top = Math.ceil(0.2 * buyers);
  let topRevenue = 0;
  if (top > 0) {
    const sql = new Sql();
    const spendHint = await customerScanHint(["Customer_shop_totalSpent_id_idx", COVERING_LIST_INDEX]);
    topRevenue = await scalar(
      `SELECT COALESCE(SUM("totalSpent"), 0) AS "v" FROM (SELECT "totalSpent" FROM "Customer"${spendHint} WHERE "shop" = ${sql.bind(shop)} ` +
        `ORDER BY "totalSpent" DESC LIMIT ${top}) AS "top"`,
      sql.params,
    );
  }
  return {
    customers,
    buyers,
    returning,
    repeatPurchaseRate: buyers > 0 ? returning / buyers : null,
    revenue,
    top20RevenueShare: revenue > 0 ? topRevenue / revenue : null,
  };
}

export interface GroupCount {
  key: string | null;
  count: number;
}

async function lifecycleGroups(shop: string): Promise<GroupCount[]> {
  const groups = await db.customer.groupBy({ by: ["lifecycle"], where: { shop }, _count: { _all: true } });
  return groups.map((g) => ({ key: g.lifecycle, count: g._count._all }));
}

function lifecycleOrder(groups: GroupCount[]): GroupCount[] {
  const byKey = new Map(groups.map((g) => [g.key, g.count]));
  // Always the four groups in their natural order, then customers not scored yet.
  return [...LIFECYCLE_GROUPS.map((key) => ({ key, count: byKey.get(key) ?? 0 })), { key: null, count: byKey.get(null) ?? 0 }];
}

export async function lifecycleCounts(shop: string): Promise<GroupCount[]> {
  return lifecycleOrder(await lifecycleGroups(shop));
}

async function tierGroups(shop: string): Promise<GroupCount[]> {
  const groups = await db.customer.groupBy({ by: ["tier"], where: { shop }, _count: { _all: true } });
  return groups.map((g) => ({ key: g.tier, count: g._count._all }));
}

/** Tiers in their programme's order (read at each load: a rule's tiers can be renamed or reordered any time). */
function tierOrder(programme: string[], groups: GroupCount[]): GroupCount[] {
  // Tiers in their programme's order (Bronze, Silver, Gold, not the alphabet's Bronze, Gold, Silver), tiers no
  // longer in it by name, customers without a tier last (the databases disagree on where NULL sorts).
  const rank = (key: string | null) =>
    key === null ? Infinity : programme.indexOf(key) === -1 ? programme.length : programme.indexOf(key);
  return [...groups].sort((a, b) => rank(a.key) - rank(b.key) || (a.key ?? "").localeCompare(b.key ?? ""));
}

export async function tierCounts(shop: string): Promise<GroupCount[]> {
  const [groups, programme] = await Promise.all([tierGroups(shop), knownTierNames(shop)]);
  return tierOrder(programme, groups);
}

export interface MonthlyTrend {
  /** "YYYY-MM" (UTC), oldest first, the last 12 months including this one. */
  months: string[];
  firstOrders: number[];
  lapsed: number[];
}

function lastMonths(now: Date, n: number): string[] {
  const months: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

/**
 * New customers (first order) and customers entering Lapsed (lapsedSince, kept by the recompute job)
 * per month: the two movements of the lifecycle that stored data can date.
 */
export async function monthlyTrend(shop: string, now = new Date()): Promise<MonthlyTrend> {
  const months = lastMonths(now, 12);
  const since = new Date(`${months[0]}-01T00:00:00Z`);
  const sinceParam = dialect === "postgresql" ? since : since.toISOString().replace("Z", "+00:00");
  // Timestamps are stored in UTC (PostgreSQL: timestamp without time zone; SQLite: ISO text).
  const month = (column: string) => (dialect === "postgresql" ? `to_char("${column}", 'YYYY-MM')` : `substr("${column}", 1, 7)`);
  const series = (counts: Map<string, number>) => months.map((m) => counts.get(m) ?? 0);
  const add = (counts: Map<string, number>, key: string | null, n: number) => {
    if (key) counts.set(key, (counts.get(key) ?? 0) + n);
  };

  if (await haveIndexes(["Customer_shop_firstOrderAt_idx", "Customer_shop_lapsedSince_idx"])) {
    // Two index ranges: only the last year's rows are read.
    const perMonth = async (column: "firstOrderAt" | "lapsedSince") => {
      const sql = new Sql();
      const hint = await customerScanHint([`Customer_shop_${column}_idx`]);
      const rows = await db.$queryRawUnsafe<{ m: string; n: number | bigint }[]>(
        `SELECT ${month(column)} AS "m", COUNT(*) AS "n" FROM "Customer"${hint} WHERE "shop" = ${sql.bind(shop)} AND "${column}" >= ${sql.bind(sinceParam)} GROUP BY 1`,
        ...sql.params,
      );
      const counts = new Map<string, number>();
      for (const r of rows) add(counts, r.m, Number(r.n));
      return series(counts);
    };
    return { months, firstOrders: await perMonth("firstOrderAt"), lapsed: await perMonth("lapsedSince") };
  }
  // Without those indexes: one pass over the shop's rows for both series.
  const sql = new Sql();
  const first = sql.bind(sinceParam);
  const lapsedSince = sql.bind(sinceParam);
  const rows = await db.$queryRawUnsafe<{ f: string | null; l: string | null; n: number | bigint }[]>(
    `SELECT CASE WHEN "firstOrderAt" >= ${first} THEN ${month("firstOrderAt")} END AS "f", ` +
      `CASE WHEN "lapsedSince" >= ${lapsedSince} THEN ${month("lapsedSince")} END AS "l", COUNT(*) AS "n" ` +
      `FROM "Customer"${await customerScanHint()} WHERE "shop" = ${sql.bind(shop)} GROUP BY 1, 2`,
    ...sql.params,
  );
  const firstOrders = new Map<string, number>();
  const lapsed = new Map<string, number>();
  for (const r of rows) {
    add(firstOrders, r.f, Number(r.n));
    add(lapsed, r.l, Number(r.n));
  }
  return { months, firstOrders: series(firstOrders), lapsed: series(lapsed) };
}

export interface RewardsSummary {
  /** Codes that exist in Shopify (created, delivered, or later swept). */
  issued: number;
  redeemed: number;
  redeemedRevenue: number;
  /** Decided but not created yet, or refused by Shopify. */
  pending: number;
  failed: number;
  heldOut: number;
}

export async function rewardsSummary(shop: string): Promise<RewardsSummary> {
  const [groups, redeemed] = await Promise.all([
    db.issuedDiscount.groupBy({ by: ["kind", "status"], where: { shop }, _count: { _all: true } }),
    db.issuedDiscount.aggregate({
      where: { shop, kind: "issue", redeemedAt: { not: null } },
      _count: { _all: true },
      _sum: { redeemedRevenue: true },
    }),
  ]);
  const count = (kind: string, statuses: string[]) =>
    groups.filter((g) => g.kind === kind && statuses.includes(g.status)).reduce((sum, g) => sum + g._count._all, 0);
  return {
    issued: count("issue", ["created", "delivered", "deactivated", "redeemed"]),
    redeemed: redeemed._count._all,
    redeemedRevenue: redeemed._sum.redeemedRevenue ?? 0,
    pending: count("issue", ["recorded"]),
    failed: count("issue", ["failed"]),
    heldOut: groups.filter((g) => g.kind === "holdout").reduce((sum, g) => sum + g._count._all, 0),
  };
}

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100..100, null without answers. */
  nps: number | null;
  /** Low scores nobody has resolved yet. */
  openFollowUps: number;
}

export async function npsSummary(shop: string): Promise<NpsSummary> {
  const [groups, openFollowUps] = await Promise.all([
    db.feedback.groupBy({ by: ["score"], where: { shop }, _count: { _all: true } }),
    db.feedback.count({ where: { shop, status: "open", score: { lte: DETRACTOR_MAX } } }),
  ]);
  let promoters = 0;
  let detractors = 0;
  let responses = 0;
  for (const g of groups) {
    responses += g._count._all;
    if (g.score >= PROMOTER_MIN) promoters += g._count._all;
    else if (g.score <= DETRACTOR_MAX) detractors += g._count._all;
  }
  return {
    responses,
    promoters,
    passives: responses - promoters - detractors,
    detractors,
    nps: responses ? ((promoters - detractors) / responses) * 100 : null,
    openFollowUps,
  };
}

/** The customer-derived figures as stored (lifecycle and tier groups unordered: ordered on each load). */
export interface StoredDashboardFigures {
  live: LiveInsights;
  lifecycle: GroupCount[];
  tiers: GroupCount[];
  trend: MonthlyTrend;
  /** Customers left out by a consent policy (no marketing consent): the health card's and the rules page's count. */
  consentExcluded?: number;
  /** The Segments page's RFM grid cells (`rfmCellCounts`); figures stored before it have none: counted on load. */
  rfm?: RfmCellCount[];
}

export interface DashboardFiguresRow {
  figures: StoredDashboardFigures;
  computedAt: Date;
}

/**
 * Counts the figures from the customer rows (the queries above, one after another: a background refresh then
 * holds one pooled connection at a time, not five) and stores them, unless figures computed later are stored
 * already (two refreshes finishing out of order keep the newer). Nothing is stored for a shop Kinship does not
 * hold (after shop/redact a refresh that was under way must not bring figures back).
 */
export async function computeDashboardFigures(shop: string, now = new Date()): Promise<DashboardFiguresRow> {
  const computedAt = now;
  const live = await liveInsights(shop);
  const lifecycle = await lifecycleGroups(shop);
  const tiers = await tierGroups(shop);
  const trend = await monthlyTrend(shop, now);
  const consentExcluded = await countWithoutMarketingConsent(shop);
  const rfm = await rfmCellCounts(shop);
  const figures: StoredDashboardFigures = { live, lifecycle, tiers, trend, consentExcluded, rfm };
  const text = JSON.stringify(figures);
  const { count } = await db.dashboardFigures.updateMany({
    where: { shop, computedAt: { lt: computedAt } },
    data: { figures: text, computedAt },
  });
  if (count === 0 && (await db.shop.count({ where: { shop } })) > 0) {
    try {
      await db.dashboardFigures.create({ data: { shop, figures: text, computedAt } });
    } catch (error) {
      // Stored meanwhile (or already, computed later than these): what is stored stays.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { figures, computedAt };
}

function readStoredFigures(text: string): StoredDashboardFigures | null {
  try {
    const value = JSON.parse(text) as Partial<StoredDashboardFigures>;
    const ok =
      value.live && Array.isArray(value.lifecycle) && Array.isArray(value.tiers) && value.trend && Array.isArray(value.trend.months);
    return ok ? (value as StoredDashboardFigures) : null;
  } catch {
    return null;
  }
}

export async function storedDashboardFigures(shop: string): Promise<DashboardFiguresRow | null> {
  const row = await db.dashboardFigures.findUnique({ where: { shop } });
  const figures = row ? readStoredFigures(row.figures) : null;
  return row && figures ? { figures, computedAt: row.computedAt } : null;
}

// One computation per shop at a time for loads that find nothing stored (a first visit opened in several tabs).
const computing = new Map<string, Promise<DashboardFiguresRow>>();

/** The stored figures, or (none stored yet: a shop before its first import, or data just deleted) counted now and stored. */
export async function dashboardFigures(shop: string, now = new Date()): Promise<DashboardFiguresRow> {
  const stored = await storedDashboardFigures(shop);
  if (stored) return stored;
  let running = computing.get(shop);
  if (!running) {
    running = computeDashboardFigures(shop, now).finally(() => computing.delete(shop));
    computing.set(shop, running);
  }
  return running;
}

/** Customers without marketing consent, as stored with the figures (counted when figures stored before it have none). */
export async function storedConsentExcluded(shop: string): Promise<number> {
  const { figures } = await dashboardFigures(shop);
  return figures.consentExcluded ?? countWithoutMarketingConsent(shop);
}

export interface SegmentFigures {
  grid: RfmGridView;
  /** The four lifecycle groups in order, then customers not scored yet. */
  lifecycle: GroupCount[];
  /** When the grid and the groups were counted. */
  figuresAsOf: Date;
}

/**
 * The Segments page's customer figures as stored with the dashboard's (the RFM grid changes only at a recompute or
 * a re-score, the groups at those and at webhooks: all refresh the stored figures). Figures stored before the grid
 * was kept have none: the grid is counted then, until the next refresh stores it.
 */
export async function segmentFigures(shop: string, now = new Date()): Promise<SegmentFigures> {
  const { figures, computedAt } = await dashboardFigures(shop, now);
  return {
    grid: rfmGridOf(Array.isArray(figures.rfm) ? figures.rfm : await rfmCellCounts(shop)),
    lifecycle: lifecycleOrder(figures.lifecycle),
    figuresAsOf: computedAt,
  };
}

/** The shop's tier names as the stored figures counted them (the customer list's tier filter), in name order. */
export function storedTierNames(row: DashboardFiguresRow): string[] {
  return row.figures.tiers
    .map((g) => g.key)
    .filter((key): key is string => key !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The stored months moved to the 12 months ending with `now`'s (a month the figures did not reach counts 0 until the next refresh). */
function trendAsOf(trend: MonthlyTrend, now: Date): MonthlyTrend {
  const months = lastMonths(now, 12);
  if (months.join() === trend.months.join()) return trend;
  const at = (series: number[]) => months.map((m) => series[trend.months.indexOf(m)] ?? 0);
  return { months, firstOrders: at(trend.firstOrders), lapsed: at(trend.lapsed) };
}

export interface DashboardView {
  sync: SyncView | null;
  live: LiveInsights;
  model: ModelStateView;
  modelFittedAt: Date | null;
  lifecycle: GroupCount[];
  tiers: GroupCount[];
  trend: MonthlyTrend;
  rewards: RewardsSummary;
  nps: NpsSummary;
  /** When the customer figures (live, lifecycle, tiers, trend) were counted. */
  figuresAsOf: Date;
}

export async function dashboardView(shop: string, now = new Date()): Promise<DashboardView> {
  const [shopRow, sync, stored, programme, rewards, nps] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { modelState: true, modelFittedAt: true } }),
    syncView(shop),
    dashboardFigures(shop, now),
    knownTierNames(shop),
    rewardsSummary(shop),
    npsSummary(shop),
  ]);
  const { figures } = stored;
  return {
    sync,
    live: figures.live,
    model: readModelState(shopRow?.modelState),
    modelFittedAt: shopRow?.modelFittedAt ?? null,
    lifecycle: lifecycleOrder(figures.lifecycle),
    tiers: tierOrder(programme, figures.tiers),
    trend: trendAsOf(figures.trend, now),
    rewards,
    nps,
    figuresAsOf: stored.computedAt,
  };
}
