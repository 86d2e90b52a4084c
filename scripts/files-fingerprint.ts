// One hash over files' names and contents, for the steps `npm test` skips while what they are made from is
// unchanged (the Prisma clients, the app's build).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** A hash of the files (paths relative to `root`) in the given order, or null when one of them is missing. */
export function filesFingerprint(files: string[], root = process.cwd()): string | null {
  const hash = createHash("sha256");
  for (const file of files) {
    const full = path.join(root, file);
    if (!existsSync(full)) return null;
    hash.update(`${file}\n`).update(readFileSync(full));
  }
  return hash.digest("hex");
}
