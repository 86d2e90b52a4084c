import { gid, parseGid } from "../../ids";
import { customerChangeEvents } from "../../customer-events";
import { orderPayload } from "../../rest-payloads";
import type { SegmentRecord, WebhookSubscriptionRecord } from "../../shop";
import type { MarketingOptInLevel, MarketingState } from "../../store/records";
import { distinctTags } from "../../store/tags";
import { isoUtc } from "../../time";
import { API_VERSION } from "../../config";
import { topicFromEnum } from "../../webhooks";
import type { RequestContext } from "../context";
import { paginateList } from "../connection";
import { requireScope } from "../errors";
import { defineResolvers, typed, type Args } from "../registry";
import { compileSearch } from "../search-query";
import { segmentQueryProblem } from "../segment-query";
import { segmentQueryOptions } from "./metafield-definitions";
import { connectionArgs } from "./common";

type UserError = { field: string[] | null; message: string };

// ---------- tags ----------

function normalizeTags(raw: unknown): string[] {
  return ((raw as string[]) ?? [])
    .flatMap((entry) => entry.split(","))
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function mergeTags(current: string[], add: string[], remove: string[]): string[] {
  const lowerRemove = new Set(remove.map((t) => t.toLowerCase()));
  return distinctTags([...current, ...add])
    .filter((tag) => !lowerRemove.has(tag.toLowerCase()))
    .sort((a, b) => a.localeCompare(b));
}

/** tagsAdd / tagsRemove on customers and orders; Shopify bumps updatedAt and sends the resource's update webhook. */
export function changeTags(ctx: RequestContext, args: Args, mode: "add" | "remove") {
  const tags = normalizeTags(args.tags);
  const parsed = parseGid(args.id);
  const data = ctx.shop.data;
  const add = mode === "add" ? tags : [];
  const remove = mode === "remove" ? tags : [];
  const tooLong = tags.find((t) => t.length > 255);
  if (tooLong)
    return {
      node: null,
      userErrors: [{ field: ["tags"], message: `Tag '${tooLong.slice(0, 20)}…' is too long (maximum is 255 characters)` }],
    };
  if (parsed?.type === "Customer") {
    requireScope(ctx, "write_customers", mode === "add" ? "tagsAdd" : "tagsRemove");
    const index = data.findCustomer(parsed.id);
    if (index >= 0) {
      const customer = data.customer(index);
      const next = { ...customer, tags: mergeTags(customer.tags, add, remove), updatedAt: ctx.now };
      data.putCustomer(next);
      // Tags the app writes itself come back as customer.tags_added / customer.tags_removed (only the tags that changed).
      if (next.tags.join("\n") !== customer.tags.join("\n")) {
        for (const event of customerChangeEvents(ctx.shop, customer, next, ctx.now))
          ctx.services.emitForApiWrite(ctx.shop, event.topic, event.payload);
      }
      return { node: typed("Customer", next), userErrors: [] };
    }
  } else if (parsed?.type === "Order") {
    requireScope(ctx, "write_orders", mode === "add" ? "tagsAdd" : "tagsRemove");
    const index = data.findOrder(parsed.id);
    if (index >= 0) {
      const order = data.order(index);
      const next = { ...order, tags: mergeTags(order.tags, add, remove), updatedAt: ctx.now };
      data.putOrder(next);
      ctx.services.emitForApiWrite(ctx.shop, "orders/updated", orderPayload(ctx.shop, next));
      return { node: typed("Order", next), userErrors: [] };
    }
  }
  return { node: null, userErrors: [{ field: ["id"], message: "Id is invalid" }] };
}

// ---------- email marketing consent ----------

export function customerEmailMarketingConsentUpdate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_customers", "customerEmailMarketingConsentUpdate");
  const input = args.input as { customerId: string; emailMarketingConsent: Record<string, unknown> };
  const index = ctx.shop.data.findCustomer(parseGid(input.customerId)?.id ?? -1);
  if (index < 0)
    return { customer: null, userErrors: [{ field: ["input", "customerId"], message: "Customer not found", code: "INVALID" }] };
  const customer = ctx.shop.data.customer(index);
  if (!customer.email) {
    return {
      customer: null,
      userErrors: [
        {
          field: ["input", "emailMarketingConsent"],
          message: "An email address is required to set the email marketing consent state.",
          code: "MISSING_ARGUMENT",
        },
      ],
    };
  }
  const consent = input.emailMarketingConsent;
  const state = String(consent.marketingState) as MarketingState;
  const at = consent.consentUpdatedAt ? Date.parse(String(consent.consentUpdatedAt)) : ctx.now;
  const next = {
    ...customer,
    marketingState: state,
    marketingOptInLevel:
      (consent.marketingOptInLevel as MarketingOptInLevel | undefined) ?? customer.marketingOptInLevel ?? "SINGLE_OPT_IN",
    marketingUpdatedAt: at,
    updatedAt: ctx.now,
  };
  ctx.shop.data.putCustomer(next);
  for (const event of customerChangeEvents(ctx.shop, customer, next, ctx.now))
    ctx.services.emitForApiWrite(ctx.shop, event.topic, event.payload);
  return { customer: next, userErrors: [] };
}

// ---------- segments ----------

/** Shopify's message for a segment query it would reject (see ../segment-query.ts), or null. */
export const validateSegmentQuery = segmentQueryProblem;

defineResolvers<SegmentRecord>("Segment", {
  id: (s) => gid("Segment", s.id),
  creationDate: (s) => isoUtc(s.creationDate),
  lastEditDate: (s) => isoUtc(s.lastEditDate),
});

export function segmentCreate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_customers", "segmentCreate");
  const name = String(args.name ?? "").trim();
  const query = String(args.query ?? "");
  const errors: UserError[] = [];
  if (!name) errors.push({ field: ["name"], message: "Name can't be blank" });
  else if ([...ctx.shop.segments.values()].some((s) => s.name.toLowerCase() === name.toLowerCase())) {
    errors.push({ field: ["name"], message: "Name has already been taken" });
  }
  const invalid = validateSegmentQuery(query, segmentQueryOptions(ctx));
  if (invalid) errors.push({ field: ["query"], message: invalid });
  if (errors.length) return { segment: null, userErrors: errors };
  const segment: SegmentRecord = { id: ctx.shop.nextId(), name, query, creationDate: ctx.now, lastEditDate: ctx.now };
  ctx.shop.segments.set(segment.id, segment);
  return { segment, userErrors: [] };
}

export function segmentUpdate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_customers", "segmentUpdate");
  const segment = ctx.shop.segments.get(parseGid(args.id)?.id ?? -1);
  if (!segment) return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
  if (typeof args.query === "string") {
    const invalid = validateSegmentQuery(args.query, segmentQueryOptions(ctx));
    if (invalid) return { segment: null, userErrors: [{ field: ["query"], message: invalid }] };
  }
  const next = {
    ...segment,
    name: (args.name as string | undefined) ?? segment.name,
    query: (args.query as string | undefined) ?? segment.query,
    lastEditDate: ctx.now,
  };
  ctx.shop.segments.set(next.id, next);
  return { segment: next, userErrors: [] };
}

export function segmentDelete(ctx: RequestContext, args: Args) {
  const id = parseGid(args.id)?.id ?? -1;
  if (!ctx.shop.segments.delete(id)) return { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
  return { deletedSegmentId: gid("Segment", id), userErrors: [] };
}

export function segmentsConnection(ctx: RequestContext, args: Args) {
  const search = compileSearch<SegmentRecord>(
    args.query as string | null | undefined,
    { fields: { name: { kind: "string", get: (s) => s.name } }, text: (s) => [s.name] },
    ctx.shop.timeZone,
  );
  const items = [...ctx.shop.segments.values()].filter(search.test);
  return paginateList(
    ctx,
    items,
    (s) => s.id,
    connectionArgs(args),
    (s) => (args.sortKey === "LAST_EDIT_DATE" ? s.lastEditDate : s.creationDate),
  );
}

// ---------- Flow ----------

const FLOW_PAYLOAD_LIMIT = 50_000;

export function flowTriggerReceive(ctx: RequestContext, args: Args) {
  const handle = typeof args.handle === "string" ? args.handle : "";
  if (!handle) return { userErrors: [{ field: ["handle"], message: "Handle can't be blank" }] };
  if (ctx.shop.flowTriggerHandles && !ctx.shop.flowTriggerHandles.includes(handle)) {
    return { userErrors: [{ field: ["handle"], message: `Invalid handle '${handle}'.` }] };
  }
  const size = Buffer.byteLength(JSON.stringify(args.payload ?? {}));
  if (size > FLOW_PAYLOAD_LIMIT) {
    return {
      userErrors: [
        { field: ["payload"], message: `Errors validating schema:\n  Properties size exceeds the limit of ${FLOW_PAYLOAD_LIMIT} bytes.` },
      ],
    };
  }
  ctx.shop.flowTriggers.push({ handle, payload: args.payload ?? null, receivedAt: ctx.now });
  return { userErrors: [] };
}

// ---------- webhook subscriptions ----------

defineResolvers<WebhookSubscriptionRecord>("WebhookSubscription", {
  id: (w) => gid("WebhookSubscription", w.id),
  legacyResourceId: (w) => String(w.id),
  callbackUrl: (w) => w.uri,
  endpoint: (w) => typed("WebhookHttpEndpoint", { callbackUrl: w.uri }),
  createdAt: (w) => isoUtc(w.createdAt),
  updatedAt: (w) => isoUtc(w.updatedAt),
  apiVersion: () => ({ handle: API_VERSION, displayName: API_VERSION, supported: true }),
  metafieldNamespaces: () => [],
  metafields: () => [],
  name: () => null,
});

export function webhookSubscriptionCreate(ctx: RequestContext, args: Args) {
  const input = (args.webhookSubscription ?? {}) as Record<string, unknown>;
  const uri = typeof input.uri === "string" ? input.uri : "";
  const topic = String(args.topic);
  if (!uri)
    return {
      webhookSubscription: null,
      userErrors: [{ field: ["webhookSubscription", "callbackUrl"], message: "Address can't be blank" }],
    };
  if ([...ctx.shop.webhookSubscriptions.values()].some((w) => w.topic === topic && w.uri === uri)) {
    return {
      webhookSubscription: null,
      userErrors: [{ field: ["webhookSubscription", "callbackUrl"], message: "Address for this topic has already been taken" }],
    };
  }
  const record: WebhookSubscriptionRecord = {
    id: ctx.shop.nextId(),
    topic,
    uri,
    format: (input.format as "JSON" | "XML" | undefined) ?? "JSON",
    filter: (input.filter as string | undefined) ?? null,
    includeFields: (input.includeFields as string[] | undefined) ?? [],
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.shop.webhookSubscriptions.set(record.id, record);
  return { webhookSubscription: record, userErrors: [] };
}

export function webhookSubscriptionDelete(ctx: RequestContext, args: Args) {
  const id = parseGid(args.id)?.id ?? -1;
  if (!ctx.shop.webhookSubscriptions.delete(id))
    return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }] };
  return { deletedWebhookSubscriptionId: gid("WebhookSubscription", id), userErrors: [] };
}

export function webhookSubscriptionsConnection(ctx: RequestContext, args: Args) {
  const topics = args.topics as string[] | null | undefined;
  const items = [...ctx.shop.webhookSubscriptions.values()].filter(
    (w) => (!topics || topics.includes(w.topic)) && (!args.uri || w.uri === args.uri),
  );
  return paginateList(
    ctx,
    items,
    (w) => w.id,
    connectionArgs(args),
    (w) => w.createdAt,
  );
}

export function subscribedUris(shopSubscriptions: Iterable<WebhookSubscriptionRecord>, topic: string): string[] {
  return [...shopSubscriptions].filter((w) => topicFromEnum(w.topic) === topic).map((w) => w.uri);
}
