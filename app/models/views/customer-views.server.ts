/**
 * One customer's page: the stored scores with the inputs behind them, orders, codes, feedback and tier
 * history. Reads only this customer's rows (indexed by shop + customer).
 */
import db from "../../db.server";
import { readModelState, type ModelStateView } from "../model-state.server";
import { z } from "zod";
import type { LifecycleReason } from "../../retention/segments/lifecycle";
import { readShopSettings } from "../shop-settings.server";
import { SHOP_ORDER_RULES } from "../../retention/clv/cleaning";
import { summarizeTransactions, type CustomerSummary } from "../../retention/clv/summary";
import { customerHistoricClv, type HistoricClv } from "../../retention/clv/historic";
import { shopDay } from "../../formatting";
import { tierStateOf } from "../tier-states.server";
import { TIER_KINDS, type TierChange } from "../../retention/rewards";

export const ORDERS_SHOWN = 50;
// Enough orders for any real customer's summary; a pathological account stays bounded.
const ORDERS_FOR_INPUTS = 5_000;

export function customerGid(numericId: string): string {
  return `gid://shopify/Customer/${numericId}`;
}

export function numericShopifyId(gid: string): string | null {
  return /\/(\d+)$/.exec(gid)?.[1] ?? null;
}

export interface CustomerView {
  customer: NonNullable<Awaited<ReturnType<typeof findCustomerRow>>>;
  numericId: string;
  orders: Awaited<ReturnType<typeof recentOrders>>;
  orderTotal: number;
  /** The model's inputs for this customer (days, shop time zone), null without orders. */
  summary: CustomerSummary | null;
  /** Historic CLV recomputed from the summary with the shop's lifespan: the arithmetic behind the stored value. */
  historic: HistoricClv | null;
  asOf: string;
  model: ModelStateView;
  reason: { reason: LifecycleReason | null; text: string | null };
  discounts: Awaited<ReturnType<typeof issuedCodes>>;
  feedback: Awaited<ReturnType<typeof feedbackOf>>;
  tierHistory: TierChange[];
}

function findCustomerRow(shop: string, shopifyId: string) {
  return db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId } } });
}

function recentOrders(shop: string, customerShopifyId: string) {
  return db.order.findMany({
    where: { shop, customerShopifyId },
    orderBy: [{ processedAt: "desc" }, { shopifyId: "desc" }],
    take: ORDERS_SHOWN,
    select: {
      shopifyId: true,
      name: true,
      processedAt: true,
      totalPrice: true,
      totalRefunded: true,
      netTotal: true,
      cancelledAt: true,
      test: true,
      discountCodes: true,
    },
  });
}

async function issuedCodes(shop: string, customerShopifyId: string) {
  const rows = await db.issuedDiscount.findMany({
    where: { shop, customerShopifyId, kind: "issue" },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      ruleId: true,
      code: true,
      status: true,
      amount: true,
      startsAt: true,
      endsAt: true,
      redeemedAt: true,
      redeemedRevenue: true,
      createdAt: true,
    },
  });
  const rules = await db.discountRule.findMany({
    where: { shop, id: { in: [...new Set(rows.map((r) => r.ruleId))] } },
    select: { id: true, name: true, kind: true },
  });
  const byId = new Map(rules.map((r) => [r.id, r]));
  return rows.map((r) => ({ ...r, ruleName: byId.get(r.ruleId)?.name ?? null, ruleKind: byId.get(r.ruleId)?.kind ?? null }));
}

function feedbackOf(shop: string, customerShopifyId: string) {
  return db.feedback.findMany({
    where: { shop, customerShopifyId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, orderShopifyId: true, score: true, reasons: true, comment: true, status: true, createdAt: true, resolvedAt: true },
  });
}

async function tierHistoryOf(shop: string, customerShopifyId: string): Promise<TierChange[]> {
  const program = await db.discountRule.findFirst({
    where: { shop, kind: { in: TIER_KINDS } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  if (!program) return [];
  try {
    const state = await tierStateOf(shop, program.id, customerShopifyId);
    return [...state.history].reverse();
  } catch {
    // The tier store is another feature's; a page must not fail because of it.
    return [];
  }
}

export async function customerView(shop: string, numericId: string, now = new Date()): Promise<CustomerView | null> {
  if (!/^\d{1,20}$/.test(numericId)) return null;
  const shopifyId = customerGid(numericId);
  const customer = await findCustomerRow(shop, shopifyId);
  if (!customer) return null;
  const [shopRow, orders, orderTotal, valueOrders, discounts, feedback, tierHistory] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true, modelState: true, settings: true } }),
    recentOrders(shop, shopifyId),
    db.order.count({ where: { shop, customerShopifyId: shopifyId } }),
    db.order.findMany({
      where: { shop, customerShopifyId: shopifyId, test: false, cancelledAt: null },
      select: { processedAt: true, netTotal: true },
      orderBy: { processedAt: "asc" },
      take: ORDERS_FOR_INPUTS,
    }),
    issuedCodes(shop, shopifyId),
    feedbackOf(shop, shopifyId),
    tierHistoryOf(shop, shopifyId),
  ]);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const model = readModelState(shopRow?.modelState);
  // The same summary the scoring job builds: purchase days in the shop's zone, as of the model's day.
  const asOf = model.asOf ?? shopDay(now, timeZone);
  const [summary] = summarizeTransactions(
    valueOrders.map((o) => ({ customerId: shopifyId, date: shopDay(o.processedAt, timeZone), amount: o.netTotal })),
    { asOf, unit: "days", ...SHOP_ORDER_RULES, spendCap: model.dataRules?.spendCap ?? undefined },
  );
  const lifespanYears = model.historic?.lifespanYears ?? readShopSettings(shopRow?.settings).lifespanYears ?? 1;
  return {
    customer,
    numericId,
    orders,
    orderTotal,
    summary: summary ?? null,
    historic: summary ? customerHistoricClv(summary, lifespanYears, 1) : null,
    asOf,
    model,
    reason: readLifecycleReason(customer.lifecycleReason),
    discounts,
    feedback,
    tierHistory,
  };
}

const finite = z.number().finite();

/** Customer.lifecycleReason: `{ text, reason }` JSON from the recompute job, or a plain sentence. */
const reasonSchema: z.ZodType<LifecycleReason> = z.object({
  rule: z.enum(["p-alive-low", "overdue", "single-purchase", "cadence", "returned"]),
  orders: finite,
  daysSinceLastOrder: finite,
  usualIntervalDays: finite,
  intervalSource: z.enum(["customer", "shop", "default"]),
  shopTypicalIntervalDays: finite.nullable(),
  pAlive: finite.nullable(),
  pAliveThreshold: finite,
  intervalMultiple: finite,
});

export function readLifecycleReason(text: string | null | undefined): { reason: LifecycleReason | null; text: string | null } {
  if (!text) return { reason: null, text: null };
  try {
    const parsed = JSON.parse(text) as { text?: unknown; reason?: unknown };
    return {
      reason: reasonOf(parsed.reason),
      text: typeof parsed.text === "string" ? parsed.text : null,
    };
  } catch {
    return { reason: null, text };
  }
}

function reasonOf(value: unknown): LifecycleReason | null {
  const parsed = reasonSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
