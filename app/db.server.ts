import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
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
    return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  }
  const { PrismaClient: PgPrismaClient } = require(".prisma/kinship-postgresql") as {
    PrismaClient: new (options: { adapter: PrismaPg }) => Db;
  };
  return new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

declare global {
  // Kept on `global` in development so Remix reloads don't open a new client each time.
  var kinshipDb: Db | undefined;
}

const db: Db = global.kinshipDb ?? createDb();
if (process.env.NODE_ENV !== "production") global.kinshipDb = db;

export default db;
