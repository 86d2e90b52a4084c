/**
 * Measurement: which issued codes were redeemed (read back from synced orders' `discountCodes`), and
 * per rule how many codes went out, how many were used, the revenue of the redeeming orders, and the
 * incremental effect against the randomly held-out customers (the arithmetic is the core's
 * retention/rewards/experiment-arms.ts; this module only reads the rows).
 */
import db from "../db.server";
import {
  eligibleInLastDays,
  OPEN_ENDED_WINDOW_DAYS,
  summarizeRuleCounts,
  summarizeRuleResults,
  type ArmCounts,
  type LedgerRowForResults,
  type OrderForResults,
  type RuleCounts,
  type RuleResult,
  type RuleSummary,
} from "../retention/rewards/experiment-arms";
import { MIN_COMPLETE_PER_ARM } from "../retention/rewards/experiment-stats";
import { dialect, placeholder, sqlTimestamp } from "./sql/sql.server";

export type { ArmResult, RuleExperiment, RuleResult, RuleSummary } from "../retention/rewards/experiment-arms";

const DAY_MS = 86_400_000;

function codesOf(discountCodes: string): string[] {
  return discountCodes
    .split(",")
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

/**
 * Attributes unredeemed codes to the earliest non-test, non-cancelled order that used them (codes are
 * case-insensitive in Shopify). Returns how many codes were newly marked redeemed.
 */
export async function recordRedemptions(shop: string): Promise<number> {
  const open = await db.issuedDiscount.findMany({
    where: { shop, kind: "issue", code: { not: null }, shopifyDiscountId: { not: null }, redeemedAt: null },
    select: { id: true, code: true, startsAt: true },
  });
  if (open.length === 0) {
    await fillRedeemedDiscounts(shop);
    return 0;
  }
  const byCode = new Map(open.map((r) => [r.code!.toUpperCase(), r]));
  const earliestStart = Math.min(...open.map((r) => (r.startsAt ?? new Date(0)).getTime()));
  const orders = await db.order.findMany({
    where: { shop, test: false, cancelledAt: null, discountCodes: { not: "" }, processedAt: { gte: new Date(earliestStart - DAY_MS) } },
    select: { shopifyId: true, processedAt: true, netTotal: true, discountCodes: true, totalDiscounts: true },
    orderBy: [{ processedAt: "asc" }, { shopifyId: "asc" }],
  });
  let marked = 0;
  for (const order of orders) {
    for (const code of codesOf(order.discountCodes)) {
      const row = byCode.get(code);
      if (!row) continue;
      byCode.delete(code);
      await db.issuedDiscount.updateMany({
        where: { shop, id: row.id, redeemedAt: null },
        data: {
          redeemedAt: order.processedAt,
          redeemedOrderId: order.shopifyId,
          redeemedRevenue: Math.round(order.netTotal * 100) / 100,
          // The whole order's discount: if another discount stacked on the code, the cost reads high, never low.
          redeemedDiscount: discountOf(order.totalDiscounts),
        },
      });
      marked++;
    }
  }
  await fillRedeemedDiscounts(shop);
  return marked;
}

/** A redeeming order's discount; 0 is read as "not known yet" (an order synced before orders carried their discount). */
function discountOf(totalDiscounts: number): number | null {
  return totalDiscounts > 0 ? Math.round(totalDiscounts * 100) / 100 : null;
}

/**
 * Codes redeemed before their order's discount was known take it once the order has one (after a re-import or an
 * order update), so a rule's cost covers its older redemptions too. Only rows still missing it are read.
 */
async function fillRedeemedDiscounts(shop: string): Promise<void> {
  const missing = await db.issuedDiscount.findMany({
    where: { shop, redeemedOrderId: { not: null }, redeemedDiscount: null },
    select: { id: true, redeemedOrderId: true },
  });
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const orders = await db.order.findMany({
      where: { shop, shopifyId: { in: chunk.map((r) => r.redeemedOrderId!) }, totalDiscounts: { gt: 0 } },
      select: { shopifyId: true, totalDiscounts: true },
    });
    const discountByOrder = new Map(orders.map((o) => [o.shopifyId, discountOf(o.totalDiscounts)]));
    for (const row of chunk) {
      const redeemedDiscount = discountByOrder.get(row.redeemedOrderId!);
      if (redeemedDiscount)
        await db.issuedDiscount.updateMany({ where: { shop, id: row.id, redeemedDiscount: null }, data: { redeemedDiscount } });
    }
  }
}

async function ledgerRows(shop: string, ruleIds: readonly string[]): Promise<LedgerRowForResults[]> {
  const ledger = await db.issuedDiscount.findMany({
    where: { shop, ruleId: { in: [...ruleIds] } },
    select: {
      ruleId: true,
      customerShopifyId: true,
      kind: true,
      status: true,
      shopifyDiscountId: true,
      createdAt: true,
      startsAt: true,
      endsAt: true,
      redeemedAt: true,
      redeemedRevenue: true,
      redeemedDiscount: true,
      arm: true,
    },
  });
  return ledger.map((r) => ({
    ruleId: r.ruleId,
    customerId: r.customerShopifyId,
    kind: r.kind,
    issued: r.kind === "remind" ? r.status === "delivered" : r.shopifyDiscountId !== null,
    decidedAt: r.createdAt,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    redeemedAt: r.redeemedAt,
    redeemedRevenue: r.redeemedRevenue,
    redeemedDiscount: r.redeemedDiscount,
    arm: r.arm,
  }));
}

export async function ruleResults(shop: string, ruleIds: readonly string[], now = new Date()): Promise<RuleResult[]> {
  if (ruleIds.length === 0) return [];
  const rows = await ledgerRows(shop, ruleIds);
  const customers = [...new Set(rows.filter((r) => r.kind !== "remind").map((r) => r.customerId))];
  const since = rows.reduce((min, r) => Math.min(min, (r.startsAt ?? r.decidedAt).getTime(), r.decidedAt.getTime()), Infinity);
  const ordersByCustomer = new Map<string, OrderForResults[]>();
  for (let i = 0; i < customers.length; i += 500) {
    const orders = await db.order.findMany({
      where: {
        shop,
        test: false,
        cancelledAt: null,
        customerShopifyId: { in: customers.slice(i, i + 500) },
        processedAt: { gte: new Date(since) },
      },
      select: { customerShopifyId: true, processedAt: true, netTotal: true },
    });
    for (const o of orders) {
      const list = ordersByCustomer.get(o.customerShopifyId!) ?? [];
      list.push({ at: o.processedAt.getTime(), netTotal: o.netTotal });
      ordersByCustomer.set(o.customerShopifyId!, list);
    }
  }
  return summarizeRuleResults(ruleIds, rows, ordersByCustomer, now);
}

/**
 * What the rules list shows of each rule (`RuleSummary`: the fields of `ruleResults` it reads, with the same
 * values), from two aggregate queries instead of every ledger row and its customers' orders: the ledger's
 * counts per rule, and per rule and arm the customers assigned (each customer's first decision, as
 * `ruleResults` takes it), those whose window is over and those of them with an order in their window
 * (one index probe per customer on ("shop", "customerShopifyId", "processedAt")).
 */
export async function ruleSummaries(shop: string, ruleIds: readonly string[], now = new Date()): Promise<RuleSummary[]> {
  if (ruleIds.length === 0) return [];
  const ids = [...ruleIds];
  const idList = (from: number) => ids.map((_, i) => placeholder(from + i)).join(", ");
  const issued = `"kind" = 'issue' AND "shopifyDiscountId" IS NOT NULL`;
  const redeemed = `${issued} AND "redeemedAt" IS NOT NULL`;
  const ledger = await db.$queryRawUnsafe<
    Array<{ ruleId: string; issued: unknown; redeemed: unknown; revenue: unknown; discount: unknown; reminders: unknown }>
  >(
    `SELECT "ruleId",
       SUM(CASE WHEN ${issued} THEN 1 ELSE 0 END) AS issued,
       SUM(CASE WHEN ${redeemed} THEN 1 ELSE 0 END) AS redeemed,
       SUM(CASE WHEN ${redeemed} THEN COALESCE("redeemedRevenue", 0) ELSE 0 END) AS revenue,
       SUM(CASE WHEN ${redeemed} THEN COALESCE("redeemedDiscount", 0) ELSE 0 END) AS discount,
       SUM(CASE WHEN "kind" = 'remind' AND "status" = 'delivered' THEN 1 ELSE 0 END) AS reminders
     FROM "IssuedDiscount" WHERE "shop" = ${placeholder(1)} AND "ruleId" IN (${idList(2)})
     GROUP BY "ruleId"`,
    shop,
    ...ids,
  );
  // A measurement window without an end (store credit) is OPEN_ENDED_WINDOW_DAYS from its start.
  const openEnd =
    dialect === "sqlite"
      ? `strftime('%Y-%m-%dT%H:%M:%f+00:00', "s", '+${OPEN_ENDED_WINDOW_DAYS} days')`
      : `"s" + INTERVAL '${OPEN_ENDED_WINDOW_DAYS} days'`;
  // SQLite's "?" cannot be repeated: the shop and the time are passed again where used twice.
  const arms = await db.$queryRawUnsafe<
    Array<{ ruleId: string; kind: string; customers: unknown; complete: unknown; purchasers: unknown }>
  >(
    `WITH "firsts" AS (
       SELECT "ruleId", "customerShopifyId" AS "c", "kind", COALESCE("startsAt", "createdAt") AS "s", "endsAt",
         ROW_NUMBER() OVER (PARTITION BY "ruleId", "customerShopifyId" ORDER BY "createdAt", "id") AS "n"
       FROM "IssuedDiscount"
       WHERE "shop" = ${placeholder(1)} AND "ruleId" IN (${idList(2)}) AND "kind" IN ('issue', 'holdout')
     ), "assigned" AS (
       SELECT "ruleId", "c", "kind", "s", COALESCE("endsAt", ${openEnd}) AS "e" FROM "firsts" WHERE "n" = 1
     )
     SELECT "ruleId", "kind", COUNT(*) AS customers,
       SUM(CASE WHEN "e" <= ${placeholder(ids.length + 2)} THEN 1 ELSE 0 END) AS complete,
       SUM(CASE WHEN "e" <= ${placeholder(ids.length + 3)} AND EXISTS (
         SELECT 1 FROM "Order" "o"
         WHERE "o"."shop" = ${placeholder(ids.length + 4)} AND "o"."customerShopifyId" = "assigned"."c"
           AND "o"."processedAt" >= "assigned"."s" AND "o"."processedAt" < "assigned"."e"
           AND "o"."test" = FALSE AND "o"."cancelledAt" IS NULL
       ) THEN 1 ELSE 0 END) AS purchasers
     FROM "assigned" GROUP BY "ruleId", "kind"`,
    shop,
    ...ids,
    sqlTimestamp(now),
    sqlTimestamp(now),
    shop,
  );
  const none = (): ArmCounts => ({ customers: 0, complete: 0, purchasers: 0 });
  const counts = new Map<string, RuleCounts>(
    ids.map((ruleId) => [
      ruleId,
      { ruleId, issued: 0, redeemed: 0, revenueSum: 0, discountSum: 0, reminders: 0, treated: none(), heldOut: none() },
    ]),
  );
  for (const row of ledger) {
    const c = counts.get(row.ruleId);
    if (!c) continue;
    c.issued = Number(row.issued ?? 0);
    c.redeemed = Number(row.redeemed ?? 0);
    c.revenueSum = Number(row.revenue ?? 0);
    c.discountSum = Number(row.discount ?? 0);
    c.reminders = Number(row.reminders ?? 0);
  }
  for (const row of arms) {
    const c = counts.get(row.ruleId);
    if (!c) continue;
    const armCounts = { customers: Number(row.customers), complete: Number(row.complete ?? 0), purchasers: Number(row.purchasers ?? 0) };
    if (row.kind === "issue") c.treated = armCounts;
    else c.heldOut = armCounts;
  }
  return ids.map((id) => summarizeRuleCounts(counts.get(id)!));
}

/** What the holdout planner needs for a rule: the shop's purchase rate to plan from and the rule's eligible customers a month. */
export interface HoldoutPlanningInputs {
  baseRate: number | null;
  /** Where the base rate comes from: the rule's own measured customers, or the shop's recent buyers. */
  baseRateSource: "rule" | "shop" | null;
  eligiblePerMonth: number;
}

const PLANNING_DAYS = 30;

/**
 * Inputs of the holdout planner for a stored rule: customers it newly assigned in the last 30 days,
 * and the purchase rate of its measured customers (both arms; any effect is small beside the rate)
 * once there are enough, otherwise the share of the shop's buying customers who ordered in the last
 * 30 days.
 */
export async function holdoutPlanningInputs(
  shop: string,
  ruleId: string,
  result: RuleResult | null,
  now = new Date(),
): Promise<HoldoutPlanningInputs> {
  const rows = await ledgerRows(shop, [ruleId]);
  const eligiblePerMonth = eligibleInLastDays(rows, now, PLANNING_DAYS);
  const complete = result ? result.treated.complete + result.heldOut.complete : 0;
  if (result && complete >= 2 * MIN_COMPLETE_PER_ARM) {
    const purchasers = result.treated.purchasers + result.heldOut.purchasers;
    return { baseRate: purchasers / complete, baseRateSource: "rule", eligiblePerMonth };
  }
  const since = new Date(now.getTime() - PLANNING_DAYS * DAY_MS);
  const [buyers, recent] = await Promise.all([
    db.customer.count({ where: { shop, redactedAt: null, orderCount: { gt: 0 } } }),
    db.order.findMany({
      where: { shop, test: false, cancelledAt: null, customerShopifyId: { not: null }, processedAt: { gte: since, lte: now } },
      select: { customerShopifyId: true },
      distinct: ["customerShopifyId"],
    }),
  ]);
  return { baseRate: buyers ? Math.min(1, recent.length / buyers) : null, baseRateSource: buyers ? "shop" : null, eligiblePerMonth };
}
