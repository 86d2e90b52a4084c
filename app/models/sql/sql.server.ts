import { randomBytes } from "node:crypto";
import { databaseKind, databaseUrl } from "../../database-url";

/**
 * Bulk writes go through one multi-row `INSERT … ON CONFLICT … DO UPDATE` statement per batch: the
 * syntax is the same on SQLite and PostgreSQL, and it is two orders of magnitude faster than one
 * Prisma upsert per row. Values are always bound parameters.
 */
export const dialect = databaseKind(databaseUrl());

/** DateTime values as Prisma itself stores them, so Prisma reads raw-written rows unchanged. */
export function sqlTimestamp(date: Date | null | undefined): string | Date | null {
  if (!date) return null;
  // Prisma's SQLite adapter stores ISO text with an explicit offset; PostgreSQL takes the Date.
  return dialect === "sqlite" ? date.toISOString().replace("Z", "+00:00") : date;
}

// 48 random bits per process; the rest of an id is the time and a per-process counter.
const processBits = randomBytes(6).toString("hex");
let lastMillis = 0;
let counter = 0;

/**
 * Time-ordered ids in the UUIDv7 layout (48-bit milliseconds, then a counter). Rows written together
 * get neighbouring keys, so a bulk import appends to the primary-key index instead of scattering
 * writes over it the way random UUIDs do.
 */
export function newId(): string {
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    counter = 0;
  } else {
    counter += 1; // same millisecond, or the clock stepped back: keep ids increasing
  }
  const time = lastMillis.toString(16).padStart(12, "0");
  // 24 bits of counter: more ids than that in one millisecond is not a rate this app reaches.
  const count = (counter & 0xffffff).toString(16).padStart(6, "0");
  return `${time.slice(0, 8)}-${time.slice(8)}-7${count.slice(0, 3)}-8${count.slice(3)}-${processBits}`;
}

/** The n-th (1-based) bound parameter in this dialect. */
export function placeholder(index: number): string {
  return dialect === "sqlite" ? "?" : `$${index}`;
}

export interface UpsertSpec {
  table: string;
  columns: string[];
  conflict: string[];
  /** Columns overwritten on conflict (default: all but the conflict columns and "id"). */
  update?: string[];
  /** SQL for some updated columns instead of `excluded."column"` (e.g. keep a known value over a null). */
  updateExpressions?: Record<string, string>;
  /** Extra SQL condition on the DO UPDATE (e.g. only when the incoming row is newer). */
  updateWhere?: string;
  /** PostgreSQL type of each column, in `columns` order: there the rows are bound as one array per column. */
  pgTypes?: string[];
}

/** The upsert statement for `tuples` rows, with this dialect's placeholders numbered from 1. */
export function upsertSql(spec: UpsertSpec, tuples: number): string {
  let index = 0;
  const values = Array.from({ length: tuples }, () => `(${spec.columns.map(() => placeholder(++index)).join(", ")})`);
  return `INSERT INTO ${quote(spec.table)} (${spec.columns.map(quote).join(", ")}) VALUES ${values.join(", ")} ${onConflict(spec)}`;
}

/** PostgreSQL: the same upsert for any number of rows, from one array parameter per column. */
function unnestUpsertSql(spec: UpsertSpec & { pgTypes: string[] }): string {
  const arrays = spec.columns.map((_, i) => `$${i + 1}::${spec.pgTypes[i]}[]`).join(", ");
  return `INSERT INTO ${quote(spec.table)} (${spec.columns.map(quote).join(", ")}) SELECT * FROM unnest(${arrays}) ${onConflict(spec)}`;
}

function quote(name: string) {
  return `"${name}"`;
}

function onConflict(spec: UpsertSpec): string {
  const update = spec.update ?? spec.columns.filter((c) => c !== "id" && !spec.conflict.includes(c));
  return (
    `ON CONFLICT (${spec.conflict.map(quote).join(", ")}) DO UPDATE SET ` +
    update.map((c) => `${quote(c)} = ${spec.updateExpressions?.[c] ?? `excluded.${quote(c)}`}`).join(", ") +
    (spec.updateWhere ? ` WHERE ${spec.updateWhere}` : "")
  );
}

/**
 * The raw-statement half of a Prisma client or transaction. Bulk and webhook writes take this, so the
 * same code runs on Prisma and, on PostgreSQL, straight on a pooled connection (rawSqlTransaction).
 */
export interface RawSql {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export async function upsertRows(db: RawSql, spec: UpsertSpec, rows: unknown[][]): Promise<number> {
  if (rows.length === 0) return 0;
  if (dialect === "postgresql" && spec.pgTypes) {
    // Prisma's cost (time, and garbage left for the GC) grows with the number of bound parameters:
    // one array per column instead of one parameter per value. Dates go in arrays as ISO text.
    const arrays = spec.columns.map((_, i) => rows.map((row) => (row[i] instanceof Date ? (row[i] as Date).toISOString() : row[i])));
    return db.$executeRawUnsafe(unnestUpsertSql({ ...spec, pgTypes: spec.pgTypes }), ...arrays);
  }
  return db.$executeRawUnsafe(upsertSql(spec, rows.length), ...rows.flat());
}

/** Largest batch that keeps one statement under SQLite's and PostgreSQL's bound-parameter limits. */
export function batchSize(columns: number): number {
  return Math.max(1, Math.floor(30_000 / columns));
}

export function sqlBool(value: boolean): boolean | number {
  return dialect === "sqlite" ? (value ? 1 : 0) : value;
}
