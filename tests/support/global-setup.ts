import { mkdirSync, rmSync } from "node:fs";
import pg from "pg";
import { migrate } from "../../scripts/migrate";
import { migratedSqliteCopy } from "./sqlite-template";

/**
 * One fresh database per test run: a new SQLite file, or the PostgreSQL database named in
 * DATABASE_URL dropped and re-created (scripts/test-all.ts points it at a throw-away name).
 */
export default async function setup() {
  // A file per run by default, so two runs on one machine never share (or delete) a database.
  const url = process.env.DATABASE_URL ?? `file:./tests/.tmp/test-${process.pid}.sqlite`;
  process.env.DATABASE_URL = url;
  const sqliteFile = url.startsWith("file:") ? url.slice("file:".length) : null;
  const removeSqlite = () => {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  };
  if (sqliteFile) {
    mkdirSync("tests/.tmp", { recursive: true });
    removeSqlite();
    await migratedSqliteCopy(sqliteFile);
  } else {
    await recreatePostgresDatabase(url);
    await migrate(url, { quiet: true });
  }
  return () => {
    if (sqliteFile && url.includes(`test-${process.pid}`)) removeSqlite();
  };
}

export async function recreatePostgresDatabase(url: string) {
  await dropPostgresDatabase(url);
  await withAdminClient(url, async (client, name) => {
    await client.query(`CREATE DATABASE "${name}"`);
    // A test database is thrown away after the run: its commits need not wait for the disk.
    await client.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  });
}

export async function dropPostgresDatabase(url: string) {
  await withAdminClient(url, (client, name) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function withAdminClient(url: string, work: (client: pg.Client, name: string) => Promise<unknown>) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^kinship_[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to recreate "${name}": test databases must be named kinship_*`);
  }
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await work(client, name);
  } finally {
    await client.end();
  }
}
