import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { databaseKind, databaseUrl } from "./database-url";
import { NonBlockingSqliteAdapter } from "./models/sql/sqlite-main-connection.server";

export type Db = PrismaClient;

const require = createRequire(import.meta.url);

/**
 * Builds a Prisma client for a database URL with the matching driver adapter. The PostgreSQL client
 * is generated separately (same models, other provider) and loaded only when asked for, so SQLite
 * installs never touch it.
 */
export function createDb(url: string = databaseUrl()): Db {
  if (databaseKind(url) === "sqlite") {
    const client = new PrismaClient({ adapter: new NonBlockingSqliteAdapter({ url }) });
    // The adapter has one connection and runs statements in order, so these apply before any query.
    // WAL lets readers (the admin pages) proceed during an import; NORMAL syncs at checkpoints rather
    // than every commit (a power cut may lose the last commits, never consistency). busy_timeout 0: a
    // statement that meets another writer (a writer thread, another process) is retried on a timer by
    // the adapter instead of sleeping on the event loop (sqlite-main-connection.server.ts). No automatic
    // checkpoint on this connection: SQLite runs one inside the commit that finds the WAL past the limit, and
    // during an import that was a webhook's commit here, copying up to 256 MB of the import's pages into the
    // database synchronously (seconds of a stopped event loop, issue 23). The writer threads
    // (sqlite-writer.server.ts: the import, the recompute's score writes, at least daily) checkpoint at 256 MB
    // of WAL off the event loop; what this connection alone writes meanwhile (webhooks, pages) is small.
    void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA busy_timeout = 0").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA journal_size_limit = 67108864").catch(() => undefined);
    return client;
  }
  const { PrismaClient: PgPrismaClient } = require(".prisma/kinship-postgresql") as {
    PrismaClient: new (options: { adapter: PrismaPg }) => Db;
  };
  // The pool is ours so the hottest writes (webhooks, see sql-transaction.server.ts) can use its
  // connections without Prisma's per-query cost.
  // 20 connections rather than pg's 10: a dashboard load alone asks for about 20 queries at once, and an import,
  // a recompute and webhooks hold a few more; with 10 a page's short reads queued behind its own and the bulk work's
  // long ones (the dashboard waited 226 ms p50 for a connection during the 1,000,000-order bench, issue 23). The
  // bulk jobs each use one connection at a time, so the larger pool goes to requests.
  const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE });
  const client = new PgPrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pgPools.set(client, pool);
  return client;
}

const pgPools = new WeakMap<Db, pg.Pool>();
export const PG_POOL_SIZE = 20;

/** The PostgreSQL connection pool a client built by createDb runs on (none for SQLite). */
export function pgPoolOf(client: Db): pg.Pool | undefined {
  return pgPools.get(client);
}

declare global {
  // Kept on `global` in development so Remix reloads don't open a new client each time.
  var kinshipDb: Db | undefined;
}

const db: Db = global.kinshipDb ?? createDb();
if (process.env.NODE_ENV !== "production") global.kinshipDb = db;

export default db;
