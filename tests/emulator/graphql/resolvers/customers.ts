import { gid } from "../../ids";
import type { CustomerRecord } from "../../store/records";
import type { CustomerStats } from "../../store/shop-data";
import { isoUtc, nullableIsoUtc } from "../../time";
import type { RequestContext } from "../context";
import { paginate, paginateList, sortKeys, type SortValue } from "../connection";
import { requireScope } from "../errors";
import { defineResolvers, type Args } from "../registry";
import { compileSearch, type SearchSpec } from "../search-query";
import { connectionArgs, count, metafieldFor, metafieldsConnection, money, orderVisible } from "./common";
import { ordersConnection } from "./orders";

const DAY = 86_400_000;

/**
 * The emulator's stand-in for Shopify's RFM groups: recency and frequency scores (1–5) mapped to Shopify's
 * group names. Shopify's own model is not public; this only has to be deterministic and plausible.
 */
export function rfmGroup(stats: CustomerStats, now: number): string {
  if (stats.truthOrders === 0 || stats.lastOrderAt === null) return "PROSPECTS";
  const days = (now - stats.lastOrderAt) / DAY;
  const r = days <= 30 ? 5 : days <= 90 ? 4 : days <= 180 ? 3 : days <= 365 ? 2 : 1;
  const n = stats.truthOrders;
  const f = n >= 6 ? 5 : n >= 4 ? 4 : n;
  if (r >= 4) return f >= 4 ? "CHAMPIONS" : f >= 2 ? "ACTIVE" : "NEW";
  if (r === 3) return f >= 4 ? "LOYAL" : f >= 2 ? "PROMISING" : "NEEDS_ATTENTION";
  if (r === 2) return f >= 4 ? "AT_RISK" : "ALMOST_LOST";
  return f >= 4 ? "PREVIOUSLY_LOYAL" : "DORMANT";
}

function predictedSpendTier(ctx: RequestContext, stats: CustomerStats): string {
  const { p, q, v } = ctx.shop.generation.gg;
  const meanBasketCents = ((p * v) / Math.max(0.5, q - 1)) * 100;
  if (stats.amountSpentCents > 4 * meanBasketCents) return "HIGH";
  if (stats.amountSpentCents > 1.5 * meanBasketCents) return "MEDIUM";
  return "LOW";
}

function customerSearchSpec(ctx: RequestContext): SearchSpec<number> {
  const data = ctx.shop.data;
  const record = (index: number) => data.customer(index);
  return {
    fields: {
      id: { kind: "number", get: (index) => data.ids.customer(index) },
      created_at: { kind: "date", get: (index) => data.customerTime(index, "createdAt") },
      updated_at: { kind: "date", get: (index) => data.customerTime(index, "updatedAt") },
      email: { kind: "string", get: (index) => data.customerEmail(index) },
      first_name: { kind: "string", get: (index) => record(index).firstName },
      last_name: { kind: "string", get: (index) => record(index).lastName },
      phone: { kind: "string", get: (index) => record(index).phone },
      tag: { kind: "string", get: (index) => record(index).tags },
      state: { kind: "string", get: (index) => record(index).state },
      country: { kind: "string", get: (index) => [record(index).countryCode, data.profile.country] },
      accepts_marketing: { kind: "boolean", get: (index) => record(index).marketingState === "SUBSCRIBED" },
      orders_count: { kind: "number", get: (index) => data.customerStats(index).numberOfOrders },
      total_spent: { kind: "number", get: (index) => data.customerStats(index).amountSpentCents / 100 },
    },
    text: (index) => {
      const c = record(index);
      return [c.firstName, c.lastName, c.email];
    },
  };
}

function customerSortValue(ctx: RequestContext, sortKey: string): (index: number) => SortValue {
  const data = ctx.shop.data;
  switch (sortKey) {
    case "CREATED_AT":
      return (index) => data.customerTime(index, "createdAt");
    case "UPDATED_AT":
      return (index) => data.customerTime(index, "updatedAt");
    case "NAME":
      return (index) => {
        const c = data.customer(index);
        return `${c.firstName ?? ""} ${c.lastName ?? ""}`.toLowerCase();
      };
    default:
      return () => null;
  }
}

export function customerKeys(ctx: RequestContext, args: Args): { keys: number[]; value: (index: number) => SortValue } {
  const data = ctx.shop.data;
  const search = compileSearch(args.query as string | null | undefined, customerSearchSpec(ctx), ctx.shop.timeZone);
  const keys: number[] = [];
  for (let index = 0; index < data.customerCount; index += 1) {
    if (!args.query || search.test(index)) keys.push(index);
  }
  const value = customerSortValue(ctx, String(args.sortKey ?? "ID"));
  return { keys: sortKeys(keys, value, (index) => data.ids.customer(index)), value };
}

export function customersConnection(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_customers", "customers");
  const { keys, value } = customerKeys(ctx, args);
  const data = ctx.shop.data;
  return paginate(
    ctx,
    keys,
    { id: (index) => data.ids.customer(index), sortValue: value, load: (index) => data.customer(index) },
    connectionArgs(args),
  );
}

export function customersCount(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_customers", "customersCount");
  return count(customerKeys(ctx, { query: args.query }).keys.length, args.limit as number | null | undefined);
}

export function findCustomer(ctx: RequestContext, id: number): CustomerRecord | null {
  const index = ctx.shop.data.findCustomer(id);
  return index < 0 ? null : ctx.shop.data.customer(index);
}

const stats = (c: CustomerRecord, ctx: RequestContext) => ctx.shop.data.customerStats(c.index);

function mailingAddress(c: CustomerRecord, ctx: RequestContext) {
  return {
    id: gid("MailingAddress", c.id + 1_000_000),
    firstName: c.firstName,
    lastName: c.lastName,
    name: [c.firstName, c.lastName].filter(Boolean).join(" "),
    city: c.city,
    country: ctx.shop.data.profile.country,
    countryCodeV2: c.countryCode,
    countryCode: c.countryCode,
    phone: c.phone,
    address1: null,
    address2: null,
    company: null,
    province: null,
    provinceCode: null,
    zip: null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    formatted: [c.city, ctx.shop.data.profile.country],
    formattedArea: `${c.city}, ${ctx.shop.data.profile.country}`,
    timeZone: ctx.shop.timeZone,
  };
}

defineResolvers<CustomerRecord>("Customer", {
  id: (c) => gid("Customer", c.id),
  legacyResourceId: (c) => String(c.id),
  displayName: (c) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "Customer",
  createdAt: (c) => isoUtc(c.createdAt),
  updatedAt: (c) => isoUtc(c.updatedAt),
  validEmailAddress: (c) => c.email !== null && c.marketingState !== "INVALID",
  taxExemptions: () => [],
  canDelete: (c, _a, ctx) => stats(c, ctx).numberOfOrders === 0,
  dataSaleOptOut: () => false,
  hasTimelineComment: () => false,
  productSubscriberStatus: () => "NEVER_SUBSCRIBED",
  multipassIdentifier: () => null,
  lifetimeDuration: (c, _a, ctx) => `${Math.max(0, Math.round((ctx.now - c.createdAt) / (30 * DAY)))} months`,
  unsubscribeUrl: (c, _a, ctx) => `https://${ctx.shop.domain}/unsubscribe?c=${c.id}`,
  numberOfOrders: (c, _a, ctx) => String(stats(c, ctx).numberOfOrders),
  amountSpent: (c, _a, ctx) => money(ctx, stats(c, ctx).amountSpentCents),
  lastOrder: (c, _a, ctx) => {
    const last = stats(c, ctx).lastOrderIndex;
    if (last < 0 || !orderVisible(ctx, ctx.shop.data.orderSummary(last))) return null;
    return ctx.shop.data.order(last);
  },
  orders: (c, args, ctx) => {
    requireScope(ctx, "read_orders", "orders");
    return ordersConnection(ctx, args, ctx.shop.data.customerOrderIndices(c.index));
  },
  defaultEmailAddress: (c, _a, ctx) =>
    c.email === null
      ? null
      : {
          emailAddress: c.email,
          marketingState: c.marketingState,
          marketingOptInLevel: c.marketingOptInLevel,
          marketingUpdatedAt: nullableIsoUtc(c.marketingUpdatedAt),
          marketingUnsubscribeUrl: `https://${ctx.shop.domain}/unsubscribe?c=${c.id}`,
          openTrackingLevel: "UNKNOWN",
          openTrackingUrl: `https://${ctx.shop.domain}/track?c=${c.id}`,
          validFormat: c.marketingState !== "INVALID",
          sourceLocation: null,
        },
  emailMarketingConsent: (c) =>
    c.email === null
      ? null
      : {
          marketingState: c.marketingState,
          marketingOptInLevel: c.marketingOptInLevel,
          consentUpdatedAt: nullableIsoUtc(c.marketingUpdatedAt),
          sourceLocation: null,
        },
  defaultPhoneNumber: (c) =>
    c.phone === null
      ? null
      : {
          phoneNumber: c.phone,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          marketingCollectedFrom: null,
          sourceLocation: null,
        },
  smsMarketingConsent: (c) =>
    c.phone === null
      ? null
      : { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null, consentCollectedFrom: "OTHER" },
  statistics: (c, _a, ctx) => {
    const s = stats(c, ctx);
    return { rfmGroup: rfmGroup(s, ctx.now), predictedSpendTier: predictedSpendTier(ctx, s) };
  },
  defaultAddress: (c, _a, ctx) => mailingAddress(c, ctx),
  addresses: (c, _a, ctx) => [mailingAddress(c, ctx)],
  addressesV2: (c, args, ctx) => paginateList(ctx, [mailingAddress(c, ctx)], () => c.id + 1_000_000, connectionArgs(args)),
  metafield: (c, args, ctx) => metafieldFor(ctx, gid("Customer", c.id), args),
  metafields: (c, args, ctx) => metafieldsConnection(ctx, gid("Customer", c.id), args),
});
