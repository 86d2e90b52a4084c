import { GraphQLError } from "graphql";
import { parseGid } from "../../ids";
import { moneyBag, moneyV2 } from "../../money";
import type { MetafieldRecord } from "../../store/metafields";
import type { OrderSummary } from "../../store/records";
import type { RequestContext } from "../context";
import { paginateList, type ConnectionArgs } from "../connection";
import type { Args } from "../registry";

export const SIXTY_DAYS_MS = 60 * 86_400_000;

export const bag = (ctx: RequestContext, cents: number) => moneyBag(cents, ctx.shop.currency);
export const money = (ctx: RequestContext, cents: number) => moneyV2(cents, ctx.shop.currency);

/** Without `read_all_orders`, Shopify only exposes orders created in the last 60 days. */
export function orderVisible(ctx: RequestContext, summary: Pick<OrderSummary, "createdAt">): boolean {
  return ctx.canReadAllOrders || summary.createdAt >= ctx.now - SIXTY_DAYS_MS;
}

export function connectionArgs(args: Args): ConnectionArgs {
  return {
    first: args.first as number | null | undefined,
    last: args.last as number | null | undefined,
    after: args.after as string | null | undefined,
    before: args.before as string | null | undefined,
    reverse: args.reverse as boolean | null | undefined,
  };
}

export function expectGid(value: unknown, type: string, argument = "id"): number {
  const parsed = parseGid(value);
  if (!parsed) {
    throw new GraphQLError(`Invalid global id '${String(value)}'`, {
      extensions: { code: "argumentLiteralsIncompatible", argumentName: argument },
    });
  }
  return parsed.type === type ? parsed.id : -1;
}

export function metafieldsConnection(ctx: RequestContext, ownerId: string, args: Args) {
  const keys = (args.keys as string[] | null | undefined) ?? null;
  const records = ctx.shop.metafields.list(ownerId, args.namespace as string | null | undefined, keys);
  return paginateList<MetafieldRecord>(ctx, records, (m) => m.id, connectionArgs(args));
}

export function metafieldFor(ctx: RequestContext, ownerId: string, args: Args): MetafieldRecord | null {
  const namespace = (args.namespace as string | null | undefined) ?? appNamespace(ctx);
  return ctx.shop.metafields.get(ownerId, namespace, String(args.key));
}

/** `$app` and a missing namespace both mean the app-reserved namespace. */
export function appNamespace(ctx: RequestContext): string {
  return `app--${ctx.services.apiKey.replace(/[^a-zA-Z0-9]/g, "").slice(0, 12) || "1"}`;
}

export function resolveNamespace(ctx: RequestContext, namespace: unknown): string {
  if (typeof namespace !== "string" || namespace === "" || namespace === "$app") return appNamespace(ctx);
  return namespace.startsWith("$app:") ? `${appNamespace(ctx)}--${namespace.slice(5)}` : namespace;
}

export function count(value: number, limit?: number | null) {
  if (limit !== null && limit !== undefined && value > limit) return { count: limit, precision: "AT_LEAST" };
  return { count: value, precision: "EXACT" };
}
