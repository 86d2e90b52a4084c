import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync } from "node:fs";

/**
 * `tests/.tmp/<name>-<hash of inputs>.<extension>`, made by `build(into)` when absent: a changed input makes a
 * new file, and runs side by side each build into a file of their own and rename it into place (atomic), so
 * none sees half a file.
 */
export async function contentNamedFile(
  name: string,
  extension: string,
  inputs: Array<string | Buffer>,
  build: (into: string) => void | Promise<void>,
): Promise<string> {
  const hash = createHash("sha256");
  for (const input of inputs) hash.update(input);
  const file = `tests/.tmp/${name}-${hash.digest("hex").slice(0, 16)}.${extension}`;
  if (existsSync(file)) return file;
  mkdirSync("tests/.tmp", { recursive: true });
  const building = `${file}.${process.pid}`;
  await build(building);
  renameSync(building, file);
  return file;
}
