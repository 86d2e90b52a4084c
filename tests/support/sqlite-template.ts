import { copyFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { migrate } from "../../scripts/migrate";
import { contentNamedFile } from "./content-named-file";

/**
 * A fresh SQLite database at `file` with every migration applied: a copy of a template migrated once per set of
 * migrations (named by their content), instead of a Prisma CLI start per database (about 2 CPU-s each).
 */
export async function migratedSqliteCopy(file: string): Promise<void> {
  const dir = "prisma/migrations";
  const migrations = readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const sql = `${dir}/${name}/migration.sql`;
      return existsSync(sql) ? [name, readFileSync(sql)] : [];
    });
  // Prisma's command has closed the database when it returns, so the file is complete (no WAL beside it).
  const template = await contentNamedFile("sqlite-template", "sqlite", migrations, (into) => migrate(`file:./${into}`, { quiet: true }));
  copyFileSync(template, file);
}
