/** Where the read-only shared material lives: KINSHIP_SHARED_DIR, else <repo>/../shared. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const KINSHIP_SHARED_DIR = process.env.KINSHIP_SHARED_DIR ?? path.resolve(REPO_ROOT, "../shared");
export const CDNOW_DIR = path.join(KINSHIP_SHARED_DIR, "datasets/cdnow");
/** The CDNOW data sets exist only beside the clone; without them their tests are reported as not run. */
export const HAS_CDNOW = existsSync(CDNOW_DIR);

/** A value computed on first use, so a suite that does not run never reads its files. */
export function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

export const cdnowFile = (name: string): string => path.join(CDNOW_DIR, name);

/** Rows of a headed CSV as objects of numbers. */
export function readNumericCsv(file: string): Record<string, number>[] {
  const [header, ...rows] = readFileSync(file, "utf8").trim().split(/\r?\n/);
  const names = header.split(",");
  return rows.map((row) => {
    const values = row.split(",").map(Number);
    return Object.fromEntries(names.map((name, i) => [name, values[i]]));
  });
}

/** The published values of EXPECTED.md (Fader, Hardie & Lee 2005; Fader & Hardie 2013). */
export const PUBLISHED = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 },
  gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
} as const;
