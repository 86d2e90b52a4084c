/**
 * What the rewards core needs to know about a shop's customers and recent feedback, read from the
 * synced tables in a few set-based queries.
 */
import type { Prisma } from "@prisma/client";
import db from "../db.server";
import { oneTimeBuyerLapseDays, type LifecycleGroup } from "../retention/segments/lifecycle";
import { RFM_SEGMENT_LABELS, RFM_SEGMENTS } from "../retention/segments/rfm";
import { readScoringModel } from "./model-state.server";
import { valueOrderPages } from "./customer-scores.server";
import {
  addDays,
  localDateAt,
  localDayNumberConverter,
  NO_ORDERS,
  OrderHistoryBuilder,
  type OrderHistory,
  localDayConverter,
  type CostAssumptions,
  type CustomerSnapshot,
  type FeedbackEvent,
  type TierMetrics,
  type TierState,
} from "../retention/rewards";

const DAY_MS = 86_400_000;

const LIFECYCLE_LABELS: Record<LifecycleGroup, string> = { new: "New", regular: "Regular", loyal: "Loyal", lapsed: "Lapsed" };

/**
 * Segments a campaign can target: lifecycle groups and RFM segments. Prefixed, because both
 * families have a "new" and a "loyal".
 */
export function rewardSegmentOptions(): { id: string; label: string }[] {
  return [
    ...Object.entries(LIFECYCLE_LABELS).map(([id, label]) => ({ id: `lifecycle:${id}`, label: `Lifecycle: ${label}` })),
    ...RFM_SEGMENTS.map((id) => ({ id: `rfm:${id}`, label: `RFM: ${RFM_SEGMENT_LABELS[id]}` })),
  ];
}

function segmentIdsOf(lifecycle: string | null, rfmSegment: string | null): string[] {
  return [lifecycle ? `lifecycle:${lifecycle}` : null, rfmSegment ? `rfm:${rfmSegment}` : null].filter((s): s is string => s !== null);
}

/**
 * Customers as `decideDay` sees them (all of the shop's, or the one `only` names), with lifetime and
 * rolling-12-month tier metrics. Redacted customers are left out. `withOrderHistory`: each with their
 * order history too (`CustomerSnapshot.orderHistory`), which reads every order of the shop.
 */
const CUSTOMER_FIELDS = {
  shopifyId: true,
  lifecycle: true,
  lapsedSince: true,
  totalSpent: true,
  orderCount: true,
  predictedClv: true,
  birthday: true,
  birthdayChangedAt: true,
  marketingState: true,
  rfmSegment: true,
  firstOrderAt: true,
  lastOrderAt: true,
} as const;
type CustomerRow = Prisma.CustomerGetPayload<{ select: typeof CUSTOMER_FIELDS }>;
const CUSTOMER_PAGE = 10_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function loadRewardCustomers(
  shop: string,
  timeZone: string,
  now: Date,
  tierStates: Map<string, Record<string, TierState>> = new Map(),
  only?: string,
  withOrderHistory = false,
): Promise<CustomerSnapshot[]> {
  // Read 10,000 at a time with a turn of the event loop between pages: one query for 200,000 customers held
  // the thread that serves pages and webhooks for seconds (issue 23).
  const customers: CustomerRow[] = [];
  for (let after: string | null = null; ;) {
    const page: CustomerRow[] = await db.customer.findMany({
      where: {
        shop,
        redactedAt: null,
        ...(only !== undefined ? { shopifyId: only } : after !== null ? { shopifyId: { gt: after } } : {}),
      },
      select: CUSTOMER_FIELDS,
      orderBy: { shopifyId: "asc" },
      take: CUSTOMER_PAGE,
    });
    customers.push(...page);
    if (page.length < CUSTOMER_PAGE) break;
    after = page[page.length - 1].shopifyId;
    await nextTurn();
  }
  const lapseDays = await newCustomerLapseDays(shop);
  const rolling = await db.order.groupBy({
    by: ["customerShopifyId"],
    where: rollingOrdersWhere(shop, now, only),
    _sum: { netTotal: true },
    _count: { _all: true },
  });
  const last12m = new Map(rolling.map((r) => [r.customerShopifyId!, { spend: r._sum.netTotal ?? 0, count: r._count._all }]));
  const histories = withOrderHistory
    ? await loadOrderHistories(
        shop,
        timeZone,
        customers.map((c) => c.shopifyId),
        only,
      )
    : null;
  // One Intl call per UTC day instead of one per date (localDateAt): the same local dates.
  const localDate = localDayConverter(timeZone);
  return customers.map((c, i) => {
    const recent = last12m.get(c.shopifyId) ?? { spend: 0, count: 0 };
    return {
      id: c.shopifyId,
      lifecycleGroup: c.lifecycle,
      lapsedSince: c.lapsedSince ? localDate(c.lapsedSince) : null,
      tierMetrics: tierMetricsOf(c, recent),
      predictedClv: c.predictedClv,
      birthday: c.birthday,
      birthdayChangedOn: c.birthdayChangedAt ? localDate(c.birthdayChangedAt) : null,
      firstOrderOn: c.firstOrderAt ? localDate(c.firstOrderAt) : null,
      lastOrderOn: c.lastOrderAt ? localDate(c.lastOrderAt) : null,
      lapsesOn:
        c.lifecycle === "new" && c.lastOrderAt && lapseDays !== null ? addDays(localDate(c.lastOrderAt), Math.floor(lapseDays) + 1) : null,
      marketingConsent: c.marketingState === "SUBSCRIBED",
      segmentIds: segmentIdsOf(c.lifecycle, c.rfmSegment),
      averageOrderValue: c.orderCount > 0 ? c.totalSpent / c.orderCount : null,
      tierStates: tierStates.get(c.shopifyId) ?? {},
      ...(histories ? { orderHistory: histories[i] } : {}),
    };
  });
}

/**
 * The order history of each of `customerIds` (at the same index): the orders scoring reads (no tests,
 * no cancelled, no guests), a page at a time, oldest first, into two shared typed columns.
 */
async function loadOrderHistories(shop: string, timeZone: string, customerIds: string[], only?: string): Promise<OrderHistory[]> {
  const index = new Map(customerIds.map((id, i) => [id, i]));
  const dayOf = localDayNumberConverter(timeZone);
  const builder = new OrderHistoryBuilder();
  for await (const page of valueOrderPages(shop, only !== undefined ? [only] : undefined)) {
    for (const order of page) {
      const at = index.get(order.customerShopifyId);
      // A redacted customer's orders belong to no snapshot.
      if (at !== undefined) builder.add(at, dayOf(order.processedAt), order.netTotal);
    }
  }
  return builder.build(customerIds.length);
}

/** The orders tiers count over the last 12 months (not test, not cancelled), of one customer or all. */
function rollingOrdersWhere(shop: string, now: Date, only?: string) {
  return {
    shop,
    test: false,
    cancelledAt: null,
    customerShopifyId: only ?? { not: null },
    processedAt: { gte: new Date(now.getTime() - 365 * DAY_MS) },
  };
}

function tierMetricsOf(c: { totalSpent: number; orderCount: number }, recent: { spend: number; count: number }): TierMetrics {
  return {
    netSpend: { lifetime: c.totalSpent, rolling12m: Math.round(recent.spend * 100) / 100 },
    orderCount: { lifetime: c.orderCount, rolling12m: recent.count },
  };
}

/**
 * One customer's tier metrics as the daily run computes them, with what the customer account page
 * shows beside them; null for a customer Kinship does not know (or has redacted).
 */
export async function customerStanding(shop: string, customerId: string, now: Date, withRolling: boolean) {
  const c = await db.customer.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: customerId } },
    select: { totalSpent: true, orderCount: true, predictedClv: true, birthday: true, redactedAt: true },
  });
  if (!c || c.redactedAt) return null;
  let recent = { spend: 0, count: 0 };
  if (withRolling) {
    const sum = await db.order.aggregate({
      where: rollingOrdersWhere(shop, now, customerId),
      _sum: { netTotal: true },
      _count: { _all: true },
    });
    recent = { spend: sum._sum.netTotal ?? 0, count: sum._count._all };
  }
  return { tierMetrics: tierMetricsOf(c, recent), predictedClv: c.predictedClv, birthday: c.birthday };
}

/** Days after which the shop's last scoring would call a one-time buyer Lapsed; null before the first scoring. */
async function newCustomerLapseDays(shop: string): Promise<number | null> {
  const row = await db.shop.findUnique({ where: { shop }, select: { modelState: true } });
  const model = readScoringModel(row?.modelState);
  return model ? oneTimeBuyerLapseDays(model.cadence, model.lifecycle) : null;
}

/**
 * One customer as `decideDay` sees them, for a reward granted outside the daily run (a feedback
 * thank-you, a compensation). A customer Kinship has not synced yet has no history: no value, no consent.
 */
export async function loadRewardCustomer(
  shop: string,
  timeZone: string,
  now: Date,
  customerId: string,
  withOrderHistory = false,
): Promise<CustomerSnapshot> {
  const [found] = await loadRewardCustomers(shop, timeZone, now, new Map(), customerId, withOrderHistory);
  return (
    found ?? {
      id: customerId,
      lifecycleGroup: null,
      lapsedSince: null,
      tierMetrics: { netSpend: { lifetime: 0, rolling12m: 0 }, orderCount: { lifetime: 0, rolling12m: 0 } },
      predictedClv: null,
      birthday: null,
      marketingConsent: false,
      segmentIds: [],
      averageOrderValue: null,
      tierStates: {},
      ...(withOrderHistory ? { orderHistory: NO_ORDERS } : {}),
    }
  );
}

/**
 * Feedback responses that may earn a thank-you: from customers, received in the last week and not
 * before `since` (the first feedback rule's creation), so enabling a rule never rewards old responses.
 */
export async function loadFeedbackEvents(shop: string, timeZone: string, now: Date, since: Date): Promise<FeedbackEvent[]> {
  const from = new Date(Math.max(since.getTime(), now.getTime() - 7 * DAY_MS));
  const rows = await db.feedback.findMany({
    where: { shop, customerShopifyId: { not: null }, createdAt: { gte: from, lte: now } },
    select: { id: true, customerShopifyId: true, createdAt: true },
  });
  return rows.map((r) => ({ customerId: r.customerShopifyId!, responseId: r.id, receivedOn: localDateAt(r.createdAt, timeZone) }));
}

/** Order value and shipping assumptions for budget estimates (shop currency). */
export async function costAssumptions(shop: string, averageShippingCost: number | null): Promise<CostAssumptions> {
  const totals = await db.order.aggregate({ where: { shop, test: false, cancelledAt: null }, _avg: { netTotal: true } });
  const averageOrderValue = Math.round((totals._avg.netTotal ?? 0) * 100) / 100;
  // Without a measured shipping cost, assume a tenth of the average order.
  return { averageOrderValue, averageShippingCost: averageShippingCost ?? Math.round(averageOrderValue * 10) / 100 };
}
