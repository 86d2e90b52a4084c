import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { migrate } from "../../scripts/migrate";

/**
 * A fresh SQLite database at `file` with every migration applied: a copy of a template migrated once per set of
 * migrations, instead of a Prisma CLI start per database (about 2 CPU-s each). The template is named by the
 * migrations' content, so an added or edited migration makes a new one; runs side by side each build their own
 * and rename it into place (atomic), so none sees half a file.
 */
export async function migratedSqliteCopy(file: string): Promise<void> {
  copyFileSync(await migratedTemplate(), file);
}

async function migratedTemplate(): Promise<string> {
  const dir = "prisma/migrations";
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    const sql = `${dir}/${name}/migration.sql`;
    if (existsSync(sql)) hash.update(name).update(readFileSync(sql));
  }
  mkdirSync("tests/.tmp", { recursive: true });
  const template = `tests/.tmp/sqlite-template-${hash.digest("hex").slice(0, 16)}.sqlite`;
  if (existsSync(template)) return template;
  const building = `${template}.${process.pid}`;
  await migrate(`file:./${building}`, { quiet: true });
  // Prisma's command has closed the database, so the file is complete (no WAL beside it).
  renameSync(building, template);
  return template;
}
