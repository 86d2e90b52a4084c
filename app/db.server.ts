import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { databaseKind, databaseUrl } from "./database-url";

export type Db = PrismaClient;

const require = createRequire(import.meta.url);

/**
 * Builds a Prisma client for a database URL with the matching driver adapter. The PostgreSQL client
 * is generated separately (same models, other provider) and loaded only when asked for, so SQLite
 * installs never touch it.
 */
export function createDb(url: string = databaseUrl()): Db {
  if (databaseKind(url) === "sqlite") {
    const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
    // The adapter has one connection and runs statements in order, so these apply before any query.
    // WAL lets readers (the admin pages) proceed during an import; NORMAL syncs at checkpoints rather
    // than every commit (a power cut may lose the last commits, never consistency); busy_timeout
    // makes a second process (the CLI, a migration) wait instead of failing.
    void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA busy_timeout = 5000").catch(() => undefined);
    return client;
  }
  const { PrismaClient: PgPrismaClient } = require(".prisma/kinship-postgresql") as {
    PrismaClient: new (options: { adapter: PrismaPg }) => Db;
  };
  // The pool is ours so the hottest writes (webhooks, see sql-transaction.server.ts) can use its
  // connections without Prisma's per-query cost.
  const pool = new pg.Pool({ connectionString: url });
  const client = new PgPrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pgPools.set(client, pool);
  return client;
}

const pgPools = new WeakMap<Db, pg.Pool>();

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
