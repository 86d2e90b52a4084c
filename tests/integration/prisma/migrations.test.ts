import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate } from "../../../scripts/migrate";
import { dropPostgresDatabase, recreatePostgresDatabase } from "../../support/global-setup";
import { postgresAnswers, postgresUrl } from "../../support/postgres";
import { derivePostgresSchema } from "../../../scripts/prisma-schemas.mjs";

const MODELS = [
  "Session",
  "Shop",
  "Customer",
  "Order",
  "SyncRun",
  "WebhookEvent",
  "DiscountRule",
  "IssuedDiscount",
  "Feedback",
  "JobRun",
  "DataRequest",
  "CustomerTier",
];

// Each database's check runs on the pass that uses that database (scripts/test-all.ts names it in
// KINSHIP_TEST_DB), not on both: each check starts the Prisma CLI or builds a database twice. A plain
// `vitest run` does both.
const pass = process.env.KINSHIP_TEST_DB;
const checkSqlite = pass !== "PostgreSQL";
const checkPostgres = pass !== "SQLite" && (await postgresAnswers());

describe("migrations", () => {
  it.runIf(checkSqlite)("apply cleanly to an empty SQLite file, and a second run changes nothing", async () => {
    mkdirSync("tests/.tmp", { recursive: true });
    const file = `tests/.tmp/migrations-check-${process.pid}.sqlite`;
    rmSync(file, { force: true });
    await migrate(`file:./${file}`, { quiet: true });
    await migrate(`file:./${file}`, { quiet: true });
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    const applied = sqlite.prepare("select count(*) as n from _prisma_migrations").get() as { n: number };
    sqlite.close();
    rmSync(file, { force: true });
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(MODELS));
    expect(applied.n).toBeGreaterThanOrEqual(1);
  });

  it("keeps the PostgreSQL schema derived from the SQLite one", () => {
    const source = readFileSync("prisma/schema.prisma", "utf8");
    expect(readFileSync("prisma/postgresql/schema.prisma", "utf8")).toBe(derivePostgresSchema(source));
  });

  it.runIf(checkPostgres)("apply cleanly to an empty PostgreSQL database, and a second run changes nothing", async () => {
    const url = postgresUrl(`kinship_migrations_check_${process.pid}`);
    await recreatePostgresDatabase(url);
    await migrate(url, { quiet: true });
    await migrate(url, { quiet: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
    const applied = await client.query(`select migration_name from "_prisma_migrations"`);
    await client.end();
    await dropPostgresDatabase(url);
    expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(MODELS));
    expect(applied.rows.length).toBe(readMigrationCount());
  });
});

function readMigrationCount(): number {
  return readdirSync("prisma/postgresql/migrations", { withFileTypes: true }).filter((entry) => entry.isDirectory()).length;
}
