/**
 * Measurement: which issued codes were redeemed (read back from synced orders' `discountCodes`), and
 * per rule how many codes went out, how many were used, the revenue of the redeeming orders, and the
 * incremental effect against the randomly held-out customers.
 */
import db from "../db.server";

/** Repeat purchase: any order within this many days of the decision. */
export const REPEAT_WINDOW_DAYS = 90;
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

export interface ArmResult {
  customers: number;
  /** Share who ordered while the code was valid (held out: while it would have been). */
  windowPurchaseRate: number | null;
  /** Share who ordered within REPEAT_WINDOW_DAYS of the decision. */
  repeatRate: number | null;
}

export interface RuleResult {
  ruleId: string;
  issued: number;
  redeemed: number;
  redemptionRate: number | null;
  revenue: number;
  reminders: number;
  treated: ArmResult;
  heldOut: ArmResult;
  /** Treated minus held-out, in rate points (0.05 = five percentage points); null without both arms. */
  uplift: { windowPurchaseRate: number | null; repeatRate: number | null };
}

export interface LedgerRowForResults {
  ruleId: string;
  customerId: string;
  kind: string;
  /** Created in Shopify (issues) — failed or never-created codes are not "issued". */
  issued: boolean;
  decidedAt: Date;
  startsAt: Date | null;
  endsAt: Date | null;
  redeemedAt: Date | null;
  redeemedRevenue: number | null;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

function arm(rows: LedgerRowForResults[], ordersByCustomer: Map<string, number[]>, now: Date): ArmResult {
  let inWindow = 0;
  let windowBase = 0;
  let repeat = 0;
  for (const r of rows) {
    const orders = ordersByCustomer.get(r.customerId) ?? [];
    const start = (r.startsAt ?? r.decidedAt).getTime();
    if (start <= now.getTime()) {
      windowBase++;
      const end = Math.min((r.endsAt ?? now).getTime(), now.getTime());
      if (orders.some((t) => t >= start && t < end)) inWindow++;
    }
    const from = r.decidedAt.getTime();
    if (orders.some((t) => t >= from && t < from + REPEAT_WINDOW_DAYS * DAY_MS)) repeat++;
  }
  return { customers: rows.length, windowPurchaseRate: round4(rate(inWindow, windowBase)), repeatRate: round4(rate(repeat, rows.length)) };
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round4(a - b));

/** Pure: per-rule results from ledger rows and order instants (ms) per customer. */
export function summarizeRuleResults(
  ruleIds: readonly string[],
  rows: readonly LedgerRowForResults[],
  ordersByCustomer: Map<string, number[]>,
  now: Date,
): RuleResult[] {
  return ruleIds.map((ruleId) => {
    const mine = rows.filter((r) => r.ruleId === ruleId);
    const issued = mine.filter((r) => r.kind === "issue" && r.issued);
    const held = mine.filter((r) => r.kind === "holdout");
    const redeemed = issued.filter((r) => r.redeemedAt !== null);
    const treated = arm(issued, ordersByCustomer, now);
    const heldOut = arm(held, ordersByCustomer, now);
    return {
      ruleId,
      issued: issued.length,
      redeemed: redeemed.length,
      redemptionRate: round4(rate(redeemed.length, issued.length)),
      revenue: Math.round(redeemed.reduce((s, r) => s + (r.redeemedRevenue ?? 0), 0) * 100) / 100,
      reminders: mine.filter((r) => r.kind === "remind" && r.issued).length,
      treated,
      heldOut,
      uplift: {
        windowPurchaseRate: held.length ? diff(treated.windowPurchaseRate, heldOut.windowPurchaseRate) : null,
        repeatRate: held.length ? diff(treated.repeatRate, heldOut.repeatRate) : null,
      },
    };
  });
}

export async function ruleResults(shop: string, ruleIds: readonly string[], now = new Date()): Promise<RuleResult[]> {
  if (ruleIds.length === 0) return [];
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
    },
  });
  const rows: LedgerRowForResults[] = ledger.map((r) => ({
    ruleId: r.ruleId,
    customerId: r.customerShopifyId,
    kind: r.kind,
    issued: r.kind === "remind" ? r.status === "delivered" : r.shopifyDiscountId !== null,
    decidedAt: r.createdAt,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    redeemedAt: r.redeemedAt,
    redeemedRevenue: r.redeemedRevenue,
  }));
  const customers = [...new Set(rows.filter((r) => r.kind !== "remind").map((r) => r.customerId))];
  const since = rows.reduce((min, r) => Math.min(min, (r.startsAt ?? r.decidedAt).getTime(), r.decidedAt.getTime()), Infinity);
  const ordersByCustomer = new Map<string, number[]>();
  for (let i = 0; i < customers.length; i += 500) {
    const orders = await db.order.findMany({
      where: {
        shop,
        test: false,
        cancelledAt: null,
        customerShopifyId: { in: customers.slice(i, i + 500) },
        processedAt: { gte: new Date(since) },
      },
      select: { customerShopifyId: true, processedAt: true },
    });
    for (const o of orders) {
      const list = ordersByCustomer.get(o.customerShopifyId!) ?? [];
      list.push(o.processedAt.getTime());
      ordersByCustomer.set(o.customerShopifyId!, list);
    }
  }
  return summarizeRuleResults(ruleIds, rows, ordersByCustomer, now);
}
