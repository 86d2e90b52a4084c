import { RUNNING_STATUSES, type BulkOperationRecord } from "../../bulk/operations";
import { gid } from "../../ids";
import { isoUtc, nullableIsoUtc } from "../../time";
import type { RequestContext } from "../context";
import { paginateList } from "../connection";
import { defineResolvers, type Args } from "../registry";
import { compileSearch } from "../search-query";
import { connectionArgs, expectGid } from "./common";

defineResolvers<BulkOperationRecord>("BulkOperation", {
  id: (op) => gid("BulkOperation", op.id),
  createdAt: (op) => isoUtc(op.createdAt),
  completedAt: (op) => nullableIsoUtc(op.completedAt),
  objectCount: (op) => String(op.objectCount),
  rootObjectCount: (op) => String(op.rootObjectCount),
  fileSize: (op) => (op.fileSize === null ? null : String(op.fileSize)),
  url: (op, _a, ctx) => ctx.services.bulkDownloadUrl(ctx.shop, op, "url"),
  partialDataUrl: (op, _a, ctx) => ctx.services.bulkDownloadUrl(ctx.shop, op, "partial"),
});

export function bulkOperation(ctx: RequestContext, args: Args): BulkOperationRecord | null {
  return ctx.shop.bulk.byId.get(expectGid(args.id, "BulkOperation")) ?? null;
}

/** Deprecated in 2026-04 but still served: the app's most recent operation of the type. */
export function currentBulkOperation(ctx: RequestContext, args: Args): BulkOperationRecord | null {
  const type = String(args.type ?? "QUERY");
  return ctx.shop.bulk.all().find((op) => op.type === type) ?? null;
}

export function bulkOperations(ctx: RequestContext, args: Args) {
  const search = compileSearch<BulkOperationRecord>(
    args.query as string | null | undefined,
    {
      fields: {
        status: { kind: "string", get: (op) => op.status.toLowerCase() },
        operation_type: { kind: "string", get: (op) => op.type.toLowerCase() },
        created_at: { kind: "date", get: (op) => op.createdAt },
        id: { kind: "number", get: (op) => op.id },
      },
    },
    ctx.shop.timeZone,
  );
  const sortKey = String(args.sortKey ?? "CREATED_AT");
  // Newest first by default, so `reverse: true` means oldest first.
  const items = ctx.shop.bulk.all().filter(search.test);
  const value = (op: BulkOperationRecord) => -(sortKey === "COMPLETED_AT" ? (op.completedAt ?? Number.MAX_SAFE_INTEGER) : op.createdAt);
  return paginateList(ctx, items, (op) => op.id, connectionArgs(args), value);
}

export function bulkOperationRunQuery(ctx: RequestContext, args: Args) {
  const refusal = ctx.shop.bulk.refusal("QUERY");
  if (refusal) return { bulkOperation: null, userErrors: [refusal] };
  const result = ctx.services.startBulkQuery(ctx.shop, ctx.token, String(args.query), Boolean(args.groupObjects));
  return result;
}

export function bulkOperationCancel(ctx: RequestContext, args: Args) {
  const op = ctx.shop.bulk.byId.get(expectGid(args.id, "BulkOperation"));
  if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
  if (!RUNNING_STATUSES.includes(op.status)) {
    return {
      bulkOperation: op,
      userErrors: [{ field: ["id"], message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` }],
    };
  }
  ctx.services.cancelBulkOperation(ctx.shop, op);
  return { bulkOperation: op, userErrors: [] };
}
