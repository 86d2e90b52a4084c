// The Admin API schema the emulator serves and the app's GraphQL documents are validated against.
// Shopify publishes each version's introspection inside the npm package @shopify/dev-mcp; we fetch
// that tarball by exact version with the ordinary npm client, check it against the integrity pinned
// here, and keep only the one schema file in an ignored cache folder. The package itself is never a
// dependency (its own dependencies are large), and nothing from it is committed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const ADMIN_SCHEMA_SOURCE = {
  package: "@shopify/dev-mcp",
  version: "1.16.0",
  // `npm view @shopify/dev-mcp@1.16.0 dist.integrity`: a different tarball is refused.
  integrity: "sha512-tqgRnK7sQhjew+htxtleTH23nXB5fZcsrhWgEkomsorGXvLOB2mh2upwZm8uzuTDNTZnqtLMe64yIwh6s2awtw==",
  entry: "package/dist/data/admin_2026-04.json.gz",
} as const;

export interface SchemaSource {
  package: string;
  version: string;
  integrity: string;
  entry: string;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(root, ".cache", "shopify-schema");

/** Where the cached introspection lives; named by package version so a version bump refetches. */
export function adminSchemaCachePath(): string {
  const base = path.basename(ADMIN_SCHEMA_SOURCE.entry, ".gz");
  return path.join(cacheDir, `${ADMIN_SCHEMA_SOURCE.version}-${base}`);
}

/** sha512 of a file in npm's Subresource Integrity form. */
export function integrityOf(bytes: Buffer): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/** One file out of a gzipped tar (ustar, as npm packs it), or null when the tarball lacks it. */
export function extractTarEntry(tgz: Buffer, wanted: string): Buffer | null {
  const tar = gunzipSync(tgz);
  const text = (start: number, length: number) =>
    tar
      .subarray(start, start + length)
      .toString("utf8")
      .replace(/\0.*$/s, "");
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156]);
    const prefix = text(offset + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(offset, 100)}` : text(offset, 100));
    const body = offset + 512;
    longName = null;
    if (type === "x") {
      // A pax header may carry the next entry's long path.
      const match = /\d+ path=([^\n]*)\n/.exec(tar.subarray(body, body + size).toString("utf8"));
      longName = match ? match[1] : null;
    } else if (name === wanted && (type === "0" || type === "\0")) {
      return Buffer.from(tar.subarray(body, body + size));
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
  return null;
}

/** The schema entry of the pinned tarball, fetched with `npm pack` and checked against its integrity. */
export function fetchAdminIntrospection(source: typeof ADMIN_SCHEMA_SOURCE | SchemaSource = ADMIN_SCHEMA_SOURCE): Buffer {
  const { package: name, version, integrity, entry } = source;
  const work = mkdtempSync(path.join(tmpdir(), "kinship-schema-"));
  try {
    let packed: Array<{ filename: string }>;
    try {
      const out = execFileSync("npm", ["pack", `${name}@${version}`, "--json", "--silent", "--pack-destination", work], {
        cwd: work,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      packed = JSON.parse(out);
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      throw new Error(`Could not fetch ${name}@${version} from the npm registry for the Admin schema: ${detail}`);
    }
    const tgz = readFileSync(path.join(work, packed[0].filename));
    const actual = integrityOf(tgz);
    if (actual !== integrity) {
      throw new Error(`${name}@${version} tarball failed its integrity check: expected ${integrity}, got ${actual}`);
    }
    const gz = extractTarEntry(tgz, entry);
    if (!gz) throw new Error(`${name}@${version} does not contain ${entry}`);
    return gunzipSync(gz);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Path of the cached 2026-04 Admin introspection (JSON), fetching it first when absent. Synchronous
 * so the emulator can call it lazily; concurrent callers each write a temp file and rename it.
 */
export function ensureAdminSchema(): string {
  const target = adminSchemaCachePath();
  if (existsSync(target)) return target;
  const json = fetchAdminIntrospection();
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, json);
  renameSync(temp, target);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(`Admin schema ready: ${path.relative(root, ensureAdminSchema())}`);
}
