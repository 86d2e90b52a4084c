import { GraphQLError } from "graphql";
import type { RequestContext } from "./context";

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** In a bulk operation a connection yields every node; the JSONL writer pulls them one at a time. */
export interface BulkSequence<T> {
  readonly bulkSequence: true;
  readonly size: number;
  load(position: number): T;
}

export function isBulkSequence(value: unknown): value is BulkSequence<unknown> {
  return typeof value === "object" && value !== null && (value as { bulkSequence?: unknown }).bulkSequence === true;
}

export type SortValue = number | string | null;

/** How to read one key (an index into the shop's data) of a sorted key list. */
export interface KeySpec<T> {
  id(key: number): number;
  sortValue(key: number): SortValue;
  load(key: number): T;
}

interface CursorPayload {
  last_id: number;
  last_value: SortValue;
}

// Shopify cursors are opaque base64 JSON of the last row's id and sort value; clients must not parse them.
export function encodeCursor(id: number, value: SortValue): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value } satisfies CursorPayload)).toString("base64");
}

function decodeCursor(cursor: string): CursorPayload {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as CursorPayload;
    if (typeof parsed.last_id !== "number") throw new Error("no id");
    return parsed;
  } catch {
    throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
  }
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Sorts keys by (sort value, id) ascending, skipping the work when they already are (the common case). */
export function sortKeys(keys: number[], value: (key: number) => SortValue, id: (key: number) => number): number[] {
  const compare = (x: number, y: number) => compareValues(value(x), value(y)) || id(x) - id(y);
  for (let k = 1; k < keys.length; k += 1) {
    if (compare(keys[k - 1], keys[k]) > 0) return keys.sort(compare);
  }
  return keys;
}

function checkPageSize(name: "first" | "last", value: number | null | undefined, max: number): void {
  if (value === null || value === undefined) return;
  if (value > max || value < 0) {
    throw new GraphQLError(`The '${name}' argument must be between 0 and ${max}.`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
}

/**
 * Cursor pagination over keys already sorted ascending by (sortValue, id). `reverse` flips the order; `first`
 * or `last` is required and capped at 250, like Shopify (a few connections allow more: `maxPageSize`).
 */
export function paginate<T>(
  ctx: RequestContext,
  keys: ArrayLike<number>,
  spec: KeySpec<T>,
  args: ConnectionArgs,
  maxPageSize = MAX_PAGE_SIZE,
): Page<T> | BulkSequence<T> {
  const n = keys.length;
  const reverse = args.reverse === true;
  const at = (position: number): number => keys[reverse ? n - 1 - position : position];
  if (ctx.bulk) return { bulkSequence: true, size: n, load: (position) => spec.load(at(position)) };

  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  checkPageSize("first", first, maxPageSize);
  checkPageSize("last", last, maxPageSize);

  const locate = (cursor: string): { position: number; exact: boolean } => {
    const { last_id: id, last_value: value } = decodeCursor(cursor);
    for (let p = 0; p < n; p += 1) if (spec.id(at(p)) === id) return { position: p, exact: true };
    // The row is gone (or changed): continue from where it would sort.
    const direction = reverse ? -1 : 1;
    for (let p = 0; p < n; p += 1) {
      const key = at(p);
      const order = (compareValues(spec.sortValue(key), value) || spec.id(key) - id) * direction;
      if (order > 0) return { position: p, exact: false };
    }
    return { position: n, exact: false };
  };

  let start = 0;
  let end = n;
  if (args.after) {
    const found = locate(args.after);
    start = found.exact ? found.position + 1 : found.position;
  }
  if (args.before) end = Math.max(start, locate(args.before).position);

  let from = start;
  let to = end;
  if (first !== null) to = Math.min(end, start + first);
  if (last !== null) from = Math.max(from, to - last);

  const edges: Edge<T>[] = [];
  for (let p = from; p < to; p += 1) {
    const key = at(p);
    edges.push({ cursor: encodeCursor(spec.id(key), spec.sortValue(key)), node: spec.load(key) });
  }
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: to < n,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Pagination over a small in-memory list of records with numeric ids. */
export function paginateList<T>(
  ctx: RequestContext,
  items: readonly T[],
  id: (item: T) => number,
  args: ConnectionArgs,
  sortValue: (item: T) => SortValue = () => null,
): Page<T> | BulkSequence<T> {
  const keys = sortKeys(
    items.map((_, k) => k),
    (k) => sortValue(items[k]),
    (k) => id(items[k]),
  );
  return paginate(ctx, keys, { id: (k) => id(items[k]), sortValue: (k) => sortValue(items[k]), load: (k) => items[k] }, args);
}
