import { mkdirSync, rmSync } from "node:fs";
import pg from "pg";
import { migrate } from "../../scripts/migrate";

/**
 * One fresh database per test run: a new SQLite file, or the PostgreSQL database named in
 * DATABASE_URL dropped and re-created (scripts/test-all.ts points it at a throw-away name).
 */
export default async function setup() {
  const url = process.env.DATABASE_URL ?? "file:./tests/.tmp/test.sqlite";
  process.env.DATABASE_URL = url;
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length);
    mkdirSync("tests/.tmp", { recursive: true });
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  } else {
    await recreatePostgresDatabase(url);
  }
  await migrate(url, { quiet: true });
}

export async function recreatePostgresDatabase(url: string) {
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
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
