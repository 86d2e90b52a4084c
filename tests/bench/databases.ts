/**
 * Fresh, migrated databases for the bench (parent side: no app module is imported here, because the
 * app reads DATABASE_URL once at import and each measurement runs in a child with its own URL).
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { migrate } from "../../scripts/migrate";
import { dropPostgresDatabase, recreatePostgresDatabase } from "../support/global-setup";
import { postgresAnswers, postgresUrl } from "../support/postgres";
import { TMP_DIR, type DbKind } from "./harness";

const SQLITE_SUFFIXES = ["", "-journal", "-wal", "-shm"];

function sqliteFile(url: string): string | null {
  return url.startsWith("file:") ? url.slice("file:".length) : null;
}

/** A new empty database with every migration applied; `name` is [a-z0-9_]. */
export async function freshDatabase(kind: DbKind, name: string): Promise<string> {
  if (kind === "sqlite") {
    mkdirSync(TMP_DIR, { recursive: true });
    const url = `file:${path.join(TMP_DIR, `${name}.sqlite`)}`;
    removeSqlite(url);
    await migrate(url, { quiet: true });
    return url;
  }
  // One database per bench process, named kinship_* so the shared helper agrees to drop it.
  const url = postgresUrl(`kinship_bench_${process.pid}_${name}`);
  await recreatePostgresDatabase(url);
  await migrate(url, { quiet: true });
  return url;
}

export async function dropDatabase(url: string): Promise<void> {
  if (sqliteFile(url)) removeSqlite(url);
  else await dropPostgresDatabase(url).catch(() => undefined);
}

function removeSqlite(url: string) {
  const file = sqliteFile(url);
  if (!file) return;
  for (const suffix of SQLITE_SUFFIXES) rmSync(file + suffix, { force: true });
}

export async function postgresAvailable(): Promise<boolean> {
  return postgresAnswers();
}
