import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { loadDotEnv } from "./scripts/dotenv";
import { databaseKind, databaseUrl, migrationsPath, schemaPath } from "./app/database-url";

// With a prisma.config.ts, Prisma no longer reads .env itself.
loadDotEnv();

const url = databaseUrl();
const kind = databaseKind(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: schemaPath(kind),
  migrations: { path: migrationsPath(kind) },
  async adapter() {
    if (kind === "sqlite") return new PrismaBetterSQLite3({ url });
    // A low idle timeout lets each CLI call exit promptly instead of holding the pool ~10 s.
    return new PrismaPg({ connectionString: url, idleTimeoutMillis: 100 });
  },
});
