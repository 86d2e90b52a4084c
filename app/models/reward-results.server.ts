/**
 * Measurement: which issued codes were redeemed (read back from synced orders' `discountCodes`), and
 * per rule how many codes went out, how many were used, the revenue of the redeeming orders, and the
 * incremental effect against the randomly held-out customers (the arithmetic is the core's
 * retention/rewards/experiment-arms.ts; this module only reads the rows).
 */
import db from "../db.server";
import {
  eligibleInLastDays,
  summarizeRuleResults,
  type LedgerRowForResults,
  type OrderForResults,
  type RuleResult,
} from "../retention/rewards/experiment-arms";
import { MIN_COMPLETE_PER_ARM } from "../retention/rewards/experiment-stats";

export type { ArmResult, RuleExperiment, RuleResult } from "../retention/rewards/experiment-arms";

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
  if (open.length === 0) return 0;
  const byCode = new Map(open.map((r) => [r.code!.toUpperCase(), r]));
  const earliestStart = Math.min(...open.map((r) => (r.startsAt ?? new Date(0)).getTime()));
  const orders = await db.order.findMany({
    where: { shop, test: false, cancelledAt: null, discountCodes: { not: "" }, processedAt: { gte: new Date(earliestStart - DAY_MS) } },
    select: { shopifyId: true, processedAt: true, netTotal: true, discountCodes: true },
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
        data: { redeemedAt: order.processedAt, redeemedOrderId: order.shopifyId, redeemedRevenue: Math.round(order.netTotal * 100) / 100 },
      });
      marked++;
    }
  }
  return marked;
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
