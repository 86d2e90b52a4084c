import { GraphQLError } from "graphql";
import { gid, parseGid } from "../../ids";
import type { CustomerRecord } from "../../store/records";
import type { RequestContext } from "../context";
import { paginate, sortKeys, type SortValue } from "../connection";
import { requireScope } from "../errors";
import { defineResolvers, NOT_IMPLEMENTED, type Args } from "../registry";
import { SegmentNotEvaluable, segmentPredicate, SegmentQueryError, type SegmentFacts } from "../segment-query";
import { connectionArgs, metafieldFor, metafieldsConnection, money } from "./common";
import { segmentQueryOptions } from "./metafield-definitions";

/** Shopify pages segment members by up to 1,000 (customerSegmentMembers' documented maximum page size). */
export const MAX_MEMBERS_PAGE = 1000;

const SORT_KEYS = ["created_at", "first_order_date", "last_abandoned_order_date", "last_order_date", "number_of_orders", "amount_spent"];

function facts(ctx: RequestContext, index: number): SegmentFacts {
  const customer = ctx.shop.data.customer(index);
  const stats = ctx.shop.data.customerStats(index);
  return {
    tags: customer.tags,
    numberOfOrders: stats.numberOfOrders,
    amountSpent: stats.amountSpentCents / 100,
    emailSubscriptionStatus: customer.email === null ? "NOT_SUBSCRIBED" : customer.marketingState,
    customerAddedAt: customer.createdAt,
    firstOrderAt: stats.firstOrderAt,
    lastOrderAt: stats.lastOrderAt,
    emailDomain: customer.email?.split("@")[1]?.toLowerCase() ?? null,
    metafield: (namespace, key) => ctx.shop.metafields.get(gid("Customer", customer.id), namespace, key)?.value ?? null,
  };
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });
}

/** The members of a saved segment (`segmentId`) or of an ad-hoc `query`, paginated like a connection. */
export function customerSegmentMembers(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_customers", "customerSegmentMembers");
  const given = (["segmentId", "query", "queryId"] as const).filter((k) => args[k] !== undefined && args[k] !== null);
  if (given.length !== 1) throw badRequest("Exactly one of segmentId, query or queryId is required.");
  if (given[0] === "queryId") {
    throw new GraphQLError("The Kinship emulator does not implement customerSegmentMembersQuery jobs (queryId).", {
      extensions: { code: NOT_IMPLEMENTED },
    });
  }
  let query = args.query as string;
  if (given[0] === "segmentId") {
    const parsed = parseGid(args.segmentId);
    const segment = parsed?.type === "Segment" ? ctx.shop.segments.get(parsed.id) : undefined;
    if (!segment) throw badRequest(`Segment does not exist: ${String(args.segmentId)}`);
    query = segment.query;
  }
  const sortKey = (args.sortKey as string | null | undefined) ?? "created_at";
  if (!SORT_KEYS.includes(sortKey)) throw badRequest(`Invalid sort key '${sortKey}'. Valid values: ${SORT_KEYS.join(", ")}.`);

  let matches: (f: SegmentFacts) => boolean;
  try {
    matches = segmentPredicate(query, ctx.now, segmentQueryOptions(ctx));
  } catch (error) {
    if (error instanceof SegmentQueryError) throw badRequest(error.message);
    if (error instanceof SegmentNotEvaluable) throw new GraphQLError(error.message, { extensions: { code: NOT_IMPLEMENTED } });
    throw error;
  }
  const data = ctx.shop.data;
  const members: number[] = [];
  for (let index = 0; index < data.customerCount; index++) if (matches(facts(ctx, index))) members.push(index);

  const sortValue = (index: number): SortValue => {
    const f = facts(ctx, index);
    if (sortKey === "number_of_orders") return f.numberOfOrders;
    if (sortKey === "amount_spent") return f.amountSpent;
    if (sortKey === "first_order_date") return f.firstOrderAt;
    if (sortKey === "last_order_date") return f.lastOrderAt;
    if (sortKey === "last_abandoned_order_date") return null;
    return f.customerAddedAt;
  };
  const customerId = (index: number) => data.customer(index).id;
  const keys = sortKeys(members, sortValue, customerId);
  const page = paginate(
    ctx,
    keys,
    { id: customerId, sortValue, load: (index) => data.customer(index) },
    connectionArgs(args),
    MAX_MEMBERS_PAGE,
  );
  const statistics = {
    amounts: members.map((index) => facts(ctx, index).amountSpent),
    orders: members.map((index) => facts(ctx, index).numberOfOrders),
  };
  return { ...page, totalCount: members.length, statistics };
}

defineResolvers<CustomerRecord>("CustomerSegmentMember", {
  id: (c) => gid("CustomerSegmentMember", c.id),
  displayName: (c) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "Customer",
  amountSpent: (c, _a, ctx) => money(ctx, ctx.shop.data.customerStats(c.index).amountSpentCents),
  numberOfOrders: (c, _a, ctx) => String(ctx.shop.data.customerStats(c.index).numberOfOrders),
  lastOrderId: (c, _a, ctx) => {
    const last = ctx.shop.data.customerStats(c.index).lastOrderIndex;
    return last >= 0 ? ctx.shop.data.orderGid(last) : null;
  },
  defaultEmailAddress: (c) =>
    c.email === null
      ? null
      : {
          emailAddress: c.email,
          marketingState: c.marketingState,
          marketingOptInLevel: c.marketingOptInLevel,
          marketingUpdatedAt: c.marketingUpdatedAt === null ? null : new Date(c.marketingUpdatedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        },
  metafield: (c, args, ctx) => metafieldFor(ctx, gid("Customer", c.id), args),
  metafields: (c, args, ctx) => metafieldsConnection(ctx, gid("Customer", c.id), args),
});

defineResolvers<{ amounts: number[]; orders: number[] }>("SegmentStatistics", {
  attributeStatistics: (s, args) => {
    const name = String(args.attributeName);
    const values = name === "amount_spent" ? s.amounts : name === "number_of_orders" ? s.orders : null;
    if (!values)
      throw new GraphQLError(`The Kinship emulator does not compute statistics for '${name}'.`, { extensions: { code: NOT_IMPLEMENTED } });
    const sum = values.reduce((a, b) => a + b, 0);
    return { sum, average: values.length ? sum / values.length : 0 };
  },
});
