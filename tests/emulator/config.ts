import { fileURLToPath } from "node:url";
import path from "node:path";

/** The single Admin API version the emulator serves; every other version answers 404 like an unknown route. */
export const API_VERSION = "2026-04";

/**
 * `../shared` beside the clone, overridable with KINSHIP_SHARED_DIR. Optional: only the CDNOW data
 * sets and the SDL cross-check read it; read in place, never copied into the repository.
 */
export function sharedDir(): string {
  const fromEnv = process.env.KINSHIP_SHARED_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  return path.resolve(repoRoot, "..", "shared");
}
