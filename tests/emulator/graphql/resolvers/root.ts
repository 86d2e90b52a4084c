import { parseGid } from "../../ids";
import type { RequestContext } from "../context";
import { paginateList } from "../connection";
import { requireScope } from "../errors";
import { defineResolvers, typed, type Args } from "../registry";
import { bulkOperation, bulkOperationCancel, bulkOperationRunQuery, bulkOperations, currentBulkOperation } from "./bulk";
import { connectionArgs, expectGid } from "./common";
import { customersConnection, customersCount, findCustomer } from "./customers";
import {
  codeDiscountNode,
  codeDiscountNodeByCode,
  discountCodeActivate,
  discountCodeBasicCreate,
  discountCodeBasicUpdate,
  discountCodeDeactivate,
  discountCodeFreeShippingCreate,
  discountCodeDelete,
  discountNode,
  discountRedeemCodeBulkAdd,
} from "./discounts";
import { metafieldDefinitions, metafieldsDelete, metafieldsSet, standardMetafieldDefinitionEnable } from "./metafields";
import {
  changeTags,
  customerEmailMarketingConsentUpdate,
  flowTriggerReceive,
  segmentCreate,
  segmentDelete,
  segmentsConnection,
  segmentUpdate,
  webhookSubscriptionCreate,
  webhookSubscriptionDelete,
  webhookSubscriptionsConnection,
} from "./misc";
import { findOrder, ordersConnection, ordersCount, productsConnection } from "./orders";
import { customerSegmentMembers } from "./segment-members";
import { storeCreditAccount, storeCreditAccountCredit } from "./store-credit";
import { currentAppInstallation } from "./shop";

/** Any stored object by global id, typed for the Node interface (null when unknown or not visible). */
export function loadNode(ctx: RequestContext, id: unknown): object | null {
  const parsed = parseGid(id);
  if (!parsed) return null;
  const { shop } = ctx;
  switch (parsed.type) {
    case "Order": {
      requireScope(ctx, "read_orders", "node");
      const order = findOrder(ctx, parsed.id);
      return order ? typed("Order", order) : null;
    }
    case "Customer": {
      requireScope(ctx, "read_customers", "node");
      const customer = findCustomer(ctx, parsed.id);
      return customer ? typed("Customer", customer) : null;
    }
    case "Product": {
      const product = shop.data.findProduct(parsed.id);
      return product ? typed("Product", product) : null;
    }
    case "BulkOperation": {
      const op = shop.bulk.byId.get(parsed.id);
      return op ? typed("BulkOperation", op) : null;
    }
    case "DiscountCodeNode": {
      const discount = shop.discounts.byId.get(parsed.id);
      return discount ? typed("DiscountCodeNode", discountNode(discount)) : null;
    }
    case "Segment": {
      const segment = shop.segments.get(parsed.id);
      return segment ? typed("Segment", segment) : null;
    }
    case "Metafield": {
      const metafield = shop.metafields.findById(parsed.id);
      return metafield ? typed("Metafield", metafield) : null;
    }
    case "WebhookSubscription": {
      const subscription = shop.webhookSubscriptions.get(parsed.id);
      return subscription ? typed("WebhookSubscription", subscription) : null;
    }
    case "Shop":
      return parsed.id === shop.shopId ? typed("Shop", shop) : null;
    default:
      return null;
  }
}

const root =
  <T>(fn: (ctx: RequestContext, args: Args) => T) =>
  (_source: unknown, args: Args, ctx: RequestContext) =>
    fn(ctx, args);

defineResolvers<unknown>("QueryRoot", {
  shop: root((ctx) => ctx.shop),
  shopLocales: root((ctx, args) => {
    requireScope(ctx, "read_locales", "shopLocales");
    return ctx.shop.locales
      .filter((l) => args.published !== true || l.published)
      .map((l) => ({ ...l, name: new Intl.DisplayNames(["en"], { type: "language" }).of(l.locale) ?? l.locale, marketWebPresences: [] }));
  }),
  currentAppInstallation: root((ctx) => currentAppInstallation(ctx)),
  orders: root((ctx, args) => {
    requireScope(ctx, "read_orders", "orders");
    return ordersConnection(ctx, args);
  }),
  order: root((ctx, args) => {
    requireScope(ctx, "read_orders", "order");
    return findOrder(ctx, expectGid(args.id, "Order"));
  }),
  ordersCount: root((ctx, args) => {
    requireScope(ctx, "read_orders", "ordersCount");
    return ordersCount(ctx, args);
  }),
  customers: root((ctx, args) => customersConnection(ctx, args)),
  customer: root((ctx, args) => {
    requireScope(ctx, "read_customers", "customer");
    return findCustomer(ctx, expectGid(args.id, "Customer"));
  }),
  customersCount: root((ctx, args) => customersCount(ctx, args)),
  products: root((ctx, args) => productsConnection(ctx, args)),
  product: root((ctx, args) => ctx.shop.data.findProduct(expectGid(args.id, "Product"))),
  node: root((ctx, args) => loadNode(ctx, args.id)),
  nodes: root((ctx, args) => ((args.ids as unknown[]) ?? []).map((id) => loadNode(ctx, id))),
  bulkOperation: root(bulkOperation),
  bulkOperations: root(bulkOperations),
  currentBulkOperation: root(currentBulkOperation),
  codeDiscountNode: root(codeDiscountNode),
  codeDiscountNodeByCode: root(codeDiscountNodeByCode),
  storeCreditAccount: root(storeCreditAccount),
  discountRedeemCodeBulkCreation: root(
    (ctx, args) => ctx.shop.discounts.bulkCreations.get(expectGid(args.id, "DiscountRedeemCodeBulkCreation")) ?? null,
  ),
  segment: root((ctx, args) => ctx.shop.segments.get(expectGid(args.id, "Segment")) ?? null),
  segments: root(segmentsConnection),
  customerSegmentMembers: root(customerSegmentMembers),
  webhookSubscription: root((ctx, args) => ctx.shop.webhookSubscriptions.get(expectGid(args.id, "WebhookSubscription")) ?? null),
  webhookSubscriptions: root(webhookSubscriptionsConnection),
  metafieldDefinitions: root((ctx, args) => paginateList(ctx, metafieldDefinitions(ctx, args), (d) => d.id, connectionArgs(args))),
});

defineResolvers<unknown>("Mutation", {
  bulkOperationRunQuery: root(bulkOperationRunQuery),
  bulkOperationCancel: root(bulkOperationCancel),
  tagsAdd: root((ctx, args) => changeTags(ctx, args, "add")),
  tagsRemove: root((ctx, args) => changeTags(ctx, args, "remove")),
  metafieldsSet: root(metafieldsSet),
  metafieldsDelete: root(metafieldsDelete),
  standardMetafieldDefinitionEnable: root(standardMetafieldDefinitionEnable),
  discountCodeBasicCreate: root(discountCodeBasicCreate),
  storeCreditAccountCredit: root(storeCreditAccountCredit),
  discountCodeBasicUpdate: root(discountCodeBasicUpdate),
  discountCodeFreeShippingCreate: root(discountCodeFreeShippingCreate),
  discountCodeDeactivate: root(discountCodeDeactivate),
  discountCodeActivate: root(discountCodeActivate),
  discountCodeDelete: root(discountCodeDelete),
  discountRedeemCodeBulkAdd: root(discountRedeemCodeBulkAdd),
  segmentCreate: root(segmentCreate),
  segmentUpdate: root(segmentUpdate),
  segmentDelete: root(segmentDelete),
  flowTriggerReceive: root(flowTriggerReceive),
  webhookSubscriptionCreate: root(webhookSubscriptionCreate),
  webhookSubscriptionDelete: root(webhookSubscriptionDelete),
  customerEmailMarketingConsentUpdate: root(customerEmailMarketingConsentUpdate),
});
