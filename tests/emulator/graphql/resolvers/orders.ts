import { gid } from "../../ids";
import { decimalString } from "../../money";
import {
  orderRefundedCents,
  type LineItemRecord,
  type OrderRecord,
  type OrderSummary,
  type ProductRecord,
  type RefundRecord,
} from "../../store/records";
import { isoUtc, nullableIsoUtc } from "../../time";
import type { RequestContext } from "../context";
import { paginate, paginateList, sortKeys, type SortValue } from "../connection";
import { defineResolvers, typed, type Args } from "../registry";
import { compileSearch, type SearchSpec } from "../search-query";
import { bag, connectionArgs, count, metafieldFor, metafieldsConnection, money, orderVisible } from "./common";

const refunded = orderRefundedCents;

function financialStatus(order: OrderRecord): string {
  const amount = refunded(order);
  if (amount >= order.totalCents && order.totalCents > 0) return "REFUNDED";
  if (amount > 0) return "PARTIALLY_REFUNDED";
  if (order.cancelledAt !== null) return "VOIDED";
  return "PAID";
}

function orderSearchSpec(ctx: RequestContext): SearchSpec<OrderSummary> {
  const data = ctx.shop.data;
  const record = (s: OrderSummary) => data.order(s.index);
  return {
    fields: {
      id: { kind: "number", get: (s) => data.ids.order(s.index) },
      created_at: { kind: "date", get: (s) => s.createdAt },
      updated_at: { kind: "date", get: (s) => s.updatedAt },
      processed_at: { kind: "date", get: (s) => s.processedAt },
      test: { kind: "boolean", get: (s) => s.test },
      customer_id: { kind: "number", get: (s) => (s.customerIndex >= 0 ? data.ids.customer(s.customerIndex) : null) },
      status: {
        kind: "custom",
        test: (s, _op, value) => {
          switch (value.toLowerCase()) {
            case "any":
              return true;
            case "cancelled":
              return s.cancelled;
            case "open":
            case "not_closed":
              return record(s).closedAt === null;
            case "closed":
              return record(s).closedAt !== null;
            default:
              return false;
          }
        },
      },
      financial_status: { kind: "custom", test: (s, _op, value) => financialStatus(record(s)).toLowerCase() === value.toLowerCase() },
      fulfillment_status: {
        kind: "custom",
        test: (s, _op, value) => {
          const fulfilled = record(s).fulfilled;
          return ["shipped", "fulfilled"].includes(value.toLowerCase()) ? fulfilled : !fulfilled;
        },
      },
      email: { kind: "string", get: (s) => record(s).email },
      name: { kind: "string", get: (s) => [record(s).name, record(s).name.replace("#", "")] },
      tag: { kind: "string", get: (s) => record(s).tags },
      source_name: { kind: "string", get: (s) => record(s).sourceName },
      discount_code: { kind: "string", get: (s) => record(s).discountCodes.map((d) => d.code) },
    },
    text: (s) => {
      const order = record(s);
      return [order.name, order.email];
    },
  };
}

function orderSortValue(ctx: RequestContext, sortKey: string): (index: number) => SortValue {
  const data = ctx.shop.data;
  switch (sortKey) {
    case "PROCESSED_AT":
      return (index) => data.orderTime(index, "processedAt");
    case "CREATED_AT":
      return (index) => data.orderTime(index, "createdAt");
    case "UPDATED_AT":
      return (index) => data.orderTime(index, "updatedAt");
    case "ORDER_NUMBER":
      return (index) => index;
    case "TOTAL_PRICE":
      return (index) => data.orderSummary(index).totalCents;
    case "CURRENT_TOTAL_PRICE":
      return (index) => {
        const s = data.orderSummary(index);
        return s.totalCents - s.refundedCents;
      };
    default:
      return () => null;
  }
}

/** Visible orders (60-day rule) matching `query`, sorted by `sortKey`; `candidates` limits to one customer's orders. */
export function orderKeys(ctx: RequestContext, args: Args, candidates?: number[]): { keys: number[]; value: (index: number) => SortValue } {
  const data = ctx.shop.data;
  const search = compileSearch(args.query as string | null | undefined, orderSearchSpec(ctx), ctx.shop.timeZone);
  const keys: number[] = [];
  const consider = (index: number) => {
    if (!ctx.canReadAllOrders && data.orderTime(index, "createdAt") < ctx.now - 60 * 86_400_000) return;
    if (args.query && !search.test(data.orderSummary(index))) return;
    keys.push(index);
  };
  if (candidates) candidates.forEach(consider);
  else for (let index = 0; index < data.orderCount; index += 1) consider(index);
  const value = orderSortValue(ctx, String(args.sortKey ?? "ID"));
  return { keys: sortKeys(keys, value, (index) => data.ids.order(index)), value };
}

export function ordersConnection(ctx: RequestContext, args: Args, candidates?: number[]) {
  const { keys, value } = orderKeys(ctx, args, candidates);
  const data = ctx.shop.data;
  return paginate(
    ctx,
    keys,
    { id: (index) => data.ids.order(index), sortValue: value, load: (index) => data.order(index) },
    connectionArgs(args),
  );
}

export function ordersCount(ctx: RequestContext, args: Args) {
  return count(orderKeys(ctx, { query: args.query }).keys.length, args.limit as number | null | undefined);
}

/** An order by numeric id, honouring the 60-day rule. */
export function findOrder(ctx: RequestContext, id: number): OrderRecord | null {
  const index = ctx.shop.data.findOrder(id);
  if (index < 0) return null;
  return orderVisible(ctx, ctx.shop.data.orderSummary(index)) ? ctx.shop.data.order(index) : null;
}

defineResolvers<OrderRecord>("Order", {
  id: (o) => gid("Order", o.id),
  legacyResourceId: (o) => String(o.id),
  createdAt: (o) => isoUtc(o.createdAt),
  processedAt: (o) => isoUtc(o.processedAt),
  updatedAt: (o) => isoUtc(o.updatedAt),
  cancelledAt: (o) => nullableIsoUtc(o.cancelledAt),
  closedAt: (o) => nullableIsoUtc(o.closedAt),
  closed: (o) => o.closedAt !== null,
  confirmed: () => true,
  confirmationNumber: (o) => `K${String(o.id).slice(-8)}`,
  currencyCode: (_o, _a, ctx) => ctx.shop.currency,
  presentmentCurrencyCode: (_o, _a, ctx) => ctx.shop.currency,
  customer: (o, _a, ctx) => (o.customerIndex >= 0 ? ctx.shop.data.customer(o.customerIndex) : null),
  customerAcceptsMarketing: (o, _a, ctx) => o.customerIndex >= 0 && ctx.shop.data.customer(o.customerIndex).marketingState === "SUBSCRIBED",
  customerLocale: (o, _a, ctx) => (o.customerIndex >= 0 ? ctx.shop.data.customer(o.customerIndex).locale : null),
  phone: () => null,
  discountCode: (o) => o.discountCodes[0]?.code ?? null,
  discountCodes: (o) => o.discountCodes.map((d) => d.code),
  displayFinancialStatus: (o) => financialStatus(o),
  displayFulfillmentStatus: (o) => (o.fulfilled ? "FULFILLED" : "UNFULFILLED"),
  returnStatus: () => "NO_RETURN",
  fullyPaid: () => true,
  unpaid: () => false,
  capturable: () => false,
  refundable: (o) => o.cancelledAt === null && refunded(o) < o.totalCents,
  edited: () => false,
  taxesIncluded: () => false,
  taxExempt: () => false,
  dutiesIncluded: () => false,
  estimatedTaxes: () => false,
  requiresShipping: () => true,
  canMarkAsPaid: () => false,
  canNotifyCustomer: (o) => o.email !== null,
  fulfillable: (o) => !o.fulfilled && o.cancelledAt === null,
  merchantEditable: (o) => o.cancelledAt === null,
  merchantEditableErrors: () => [],
  hasTimelineComment: () => false,
  productNetwork: () => false,
  restockable: () => false,
  paymentGatewayNames: (o) => [o.test ? "bogus" : "shopify_payments"],
  customAttributes: () => [],
  additionalFees: () => [],
  alerts: () => [],
  disputes: () => [],
  taxLines: () => [],
  currentTaxLines: () => [],
  subtotalLineItemsQuantity: (o) => o.lineItems.reduce((sum, item) => sum + item.quantity, 0),
  currentSubtotalLineItemsQuantity: (o) => o.lineItems.reduce((sum, item) => sum + item.quantity, 0),
  totalWeight: () => "0",
  currentTotalWeight: () => "0",
  statusPageUrl: (o, _a, ctx) => `https://${ctx.shop.domain}/orders/${o.id}/authenticate`,
  totalPriceSet: (o, _a, ctx) => bag(ctx, o.totalCents),
  originalTotalPriceSet: (o, _a, ctx) => bag(ctx, o.totalCents),
  currentTotalPriceSet: (o, _a, ctx) => bag(ctx, Math.max(0, o.totalCents - refunded(o))),
  subtotalPriceSet: (o, _a, ctx) => bag(ctx, o.subtotalCents),
  currentSubtotalPriceSet: (o, _a, ctx) => bag(ctx, Math.max(0, o.subtotalCents - refunded(o))),
  totalDiscountsSet: (o, _a, ctx) => bag(ctx, o.totalDiscountsCents),
  currentTotalDiscountsSet: (o, _a, ctx) => bag(ctx, o.totalDiscountsCents),
  cartDiscountAmountSet: (o, _a, ctx) => bag(ctx, o.totalDiscountsCents),
  currentCartDiscountAmountSet: (o, _a, ctx) => bag(ctx, o.totalDiscountsCents),
  totalTaxSet: (o, _a, ctx) => bag(ctx, o.totalTaxCents),
  currentTotalTaxSet: (o, _a, ctx) => bag(ctx, o.totalTaxCents),
  totalShippingPriceSet: (o, _a, ctx) => bag(ctx, o.shippingCents),
  currentShippingPriceSet: (o, _a, ctx) => bag(ctx, o.shippingCents),
  totalRefundedSet: (o, _a, ctx) => bag(ctx, refunded(o)),
  totalRefundedShippingSet: (_o, _a, ctx) => bag(ctx, 0),
  refundDiscrepancySet: (_o, _a, ctx) => bag(ctx, 0),
  totalReceivedSet: (o, _a, ctx) => bag(ctx, o.totalCents),
  netPaymentSet: (o, _a, ctx) => bag(ctx, o.totalCents - refunded(o)),
  totalOutstandingSet: (_o, _a, ctx) => bag(ctx, 0),
  totalCapturableSet: (_o, _a, ctx) => bag(ctx, 0),
  totalTipReceivedSet: (_o, _a, ctx) => bag(ctx, 0),
  totalCashRoundingAdjustment: (_o, _a, ctx) => ({ paymentSet: bag(ctx, 0), refundSet: bag(ctx, 0) }),
  totalPrice: (o) => decimalString(o.totalCents),
  subtotalPrice: (o) => decimalString(o.subtotalCents),
  totalDiscounts: (o) => decimalString(o.totalDiscountsCents),
  totalRefunded: (o) => decimalString(refunded(o)),
  totalReceived: (o) => decimalString(o.totalCents),
  netPayment: (o) => decimalString(o.totalCents - refunded(o)),
  totalTax: (o) => decimalString(o.totalTaxCents),
  totalShippingPrice: (o) => decimalString(o.shippingCents),
  totalCapturable: () => "0.0",
  totalTipReceived: (_o, _a, ctx) => money(ctx, 0),
  refunds: (o, args) => (typeof args.first === "number" ? o.refunds.slice(0, args.first) : o.refunds).map((r) => ({ refund: r, order: o })),
  lineItems: (o, args, ctx) => paginateList<LineItemRecord>(ctx, o.lineItems, (item) => item.id, connectionArgs(args)),
  metafield: (o, args, ctx) => metafieldFor(ctx, gid("Order", o.id), args),
  metafields: (o, args, ctx) => metafieldsConnection(ctx, gid("Order", o.id), args),
  fulfillmentsCount: (o) => count(o.fulfilled ? 1 : 0),
  fulfillments: () => [],
  transactionsCount: (o) => count(1 + o.refunds.length),
});

type RefundSource = { refund: RefundRecord; order: OrderRecord };

defineResolvers<RefundSource>("Refund", {
  id: (s) => gid("Refund", s.refund.id),
  legacyResourceId: (s) => String(s.refund.id),
  createdAt: (s) => isoUtc(s.refund.createdAt),
  processedAt: (s) => isoUtc(s.refund.createdAt),
  updatedAt: (s) => isoUtc(s.refund.createdAt),
  note: (s) => s.refund.note,
  order: (s) => s.order,
  totalRefundedSet: (s, _a, ctx) => bag(ctx, s.refund.amountCents),
  totalRefunded: (s, _a, ctx) => money(ctx, s.refund.amountCents),
  duties: () => [],
});

defineResolvers<LineItemRecord>("LineItem", {
  id: (item) => gid("LineItem", item.id),
  name: (item) => item.title,
  currentQuantity: (item) => item.quantity,
  refundableQuantity: (item) => item.quantity,
  unfulfilledQuantity: () => 0,
  nonFulfillableQuantity: () => 0,
  fulfillableQuantity: () => 0,
  originalUnitPriceSet: (item, _a, ctx) => bag(ctx, item.unitPriceCents),
  discountedUnitPriceSet: (item, _a, ctx) => bag(ctx, item.unitPriceCents),
  discountedUnitPriceAfterAllDiscountsSet: (item, _a, ctx) => bag(ctx, item.unitPriceCents),
  originalTotalSet: (item, _a, ctx) => bag(ctx, item.unitPriceCents * item.quantity),
  discountedTotalSet: (item, _a, ctx) => bag(ctx, item.unitPriceCents * item.quantity),
  totalDiscountSet: (_item, _a, ctx) => bag(ctx, 0),
  unfulfilledDiscountedTotalSet: (_item, _a, ctx) => bag(ctx, 0),
  unfulfilledOriginalTotalSet: (_item, _a, ctx) => bag(ctx, 0),
  originalUnitPrice: (item) => decimalString(item.unitPriceCents),
  product: (item, _a, ctx) => ctx.shop.data.products[item.productIndex] ?? null,
  isGiftCard: () => false,
  requiresShipping: () => true,
  taxable: () => true,
  merchantEditable: () => true,
  restockable: () => false,
  canRestock: () => false,
  customAttributes: () => [],
  discountAllocations: () => [],
  duties: () => [],
  taxLines: () => [],
});

defineResolvers<ProductRecord>("Product", {
  id: (p) => gid("Product", p.id),
  legacyResourceId: (p) => String(p.id),
  createdAt: (p) => isoUtc(p.createdAt),
  updatedAt: (p) => isoUtc(p.createdAt),
  publishedAt: (p) => isoUtc(p.createdAt),
  status: () => "ACTIVE",
  tags: () => [],
  description: () => "",
  descriptionHtml: () => "",
  totalInventory: () => 100,
  tracksInventory: () => false,
  isGiftCard: () => false,
  hasOnlyDefaultVariant: () => true,
  hasOutOfStockVariants: () => false,
  requiresSellingPlan: () => false,
  onlineStoreUrl: () => null,
  metafield: (p, args, ctx) => metafieldFor(ctx, gid("Product", p.id), args),
  metafields: (p, args, ctx) => metafieldsConnection(ctx, gid("Product", p.id), args),
});

export function productsConnection(ctx: RequestContext, args: Args) {
  return paginateList<ProductRecord>(ctx, ctx.shop.data.products, (p) => p.id, connectionArgs(args));
}

export const orderNode = (order: OrderRecord) => typed("Order", order);
