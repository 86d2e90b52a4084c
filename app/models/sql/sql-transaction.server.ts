import { createHash } from "node:crypto";
import pg from "pg";
import db, { pgPoolOf } from "../../db.server";
import type { RawSql } from "./sql.server";
import { withImmediateTransactions } from "./sqlite-main-connection.server";

// PostgreSQL's `timestamp` (without time zone, OID 1114) holds UTC here, as Prisma writes it; node-pg
// would read it as local time.
const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format),
};

/** Dates are bound as ISO text (UTC); node-pg would bind them in local time, which `timestamp` keeps as is. */
function bindable(values: unknown[]): unknown[] {
  return values.map((value) => (value instanceof Date ? value.toISOString() : value));
}

// Statements are prepared once per connection under a name taken from their text: PostgreSQL then
// plans them once (planning the aggregate refresh took longer than running it).
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `kinship_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`));
  return name;
}

function rawSqlOn(client: pg.PoolClient): RawSql {
  const run = (text: string, values: unknown[]) => client.query({ name: statementName(text), text, values: bindable(values), types });
  return {
    async $executeRawUnsafe(text: string, ...values: unknown[]) {
      return (await run(text, values)).rowCount ?? 0;
    },
    async $queryRawUnsafe<T>(text: string, ...values: unknown[]) {
      return (await run(text, values)).rows as T;
    },
  };
}

/**
 * Runs `work` in one transaction of raw statements and commits it. On PostgreSQL the statements go
 * straight to a pooled connection: Prisma 6.19's client engine plans every statement in WebAssembly
 * (about 0.3 ms of CPU for a raw one, 0.6 ms for a model query, 1 ms more for an interactive
 * transaction), which was most of a webhook's cost. On SQLite it is Prisma's own transaction: there
 * Prisma holds the only writing connection, and a second one would wait on it; it begins IMMEDIATE (the
 * write lock first, waited for on a timer: withImmediateTransactions).
 */
export async function rawSqlTransaction<T>(work: (sql: RawSql) => Promise<T>): Promise<T> {
  const pool = pgPoolOf(db);
  if (!pool) return withImmediateTransactions(() => db.$transaction((tx) => work(tx)));
  const client = await pool.connect();
  // A connection whose rollback failed is in an unknown state: it is closed, not reused.
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(rawSqlOn(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `work` on one connection whose statements each commit on their own (no transaction around them), so a
 * temporary table made by one statement is there for the next while no row stays locked past its statement.
 * On PostgreSQL a pooled connection, returned afterwards; on SQLite Prisma's own (there is only one).
 */
export async function rawSqlSession<T>(work: (sql: RawSql) => Promise<T>): Promise<T> {
  const pool = pgPoolOf(db);
  if (!pool) return work(db);
  const client = await pool.connect();
  let broken = false;
  try {
    return await work(rawSqlOn(client));
  } catch (error) {
    // A failed statement outside a transaction leaves the connection usable; only a lost one is not.
    broken = !(error instanceof Error && "code" in error);
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * PostgreSQL: `VACUUM (ANALYZE)` of tables a bulk write has just rewritten (an import's customers, a recompute's
 * scores), so the row versions it left behind are reclaimed and the visibility map is set again. Until then every
 * count of the shop's customers (the dashboard's) read through the dead versions: 422,000 of them beside 178,000
 * live rows (265 MB) after one import and a recompute on a server without autovacuum, and even with autovacuum
 * they stay until its next round. Plain VACUUM takes no lock that reads or writes wait for. A failure is reported,
 * never thrown: this is housekeeping after work that has succeeded. SQLite: nothing (its pages are reused as is).
 */
export async function reclaimAfterBulkWrite(tables: readonly ("Customer" | "Order")[]): Promise<void> {
  const pool = pgPoolOf(db);
  if (!pool) return;
  for (const table of tables) {
    try {
      await pool.query(`VACUUM (ANALYZE) "${table}"`);
    } catch (error) {
      console.warn(`VACUUM of ${table} after a bulk write failed`, error);
    }
  }
}
