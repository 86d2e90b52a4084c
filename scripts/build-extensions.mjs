// Bundles every UI extension in extensions/ the way Shopify CLI does (esbuild, minified, one bundle per
// extension that calls `shopify.extend` for each of its targets), reports each bundle's size and fails
// when one is over Shopify's limit. `shopify app build` / `shopify app deploy` remain the real build for
// stores; this is the offline check (`npm run build`, CI). The targets come from each extension's own
// shopify.extension.toml, so a new extension or target is measured without touching this file.
//
//   node scripts/build-extensions.mjs                     # writes extensions/<name>/dist/, prints sizes, exit 1 if over
//   KINSHIP_APP_URL=https://app.example.com node …        # bakes the backend URL in, as the CLI would
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Buffer } from "node:buffer";
import { brotliCompressSync, gzipSync } from "node:zlib";

export const EXTENSIONS_DIR = fileURLToPath(new URL("../extensions/", import.meta.url));

/** Shopify enforces 64 KB compressed per extension (API 2025-10+). We hold the *uncompressed*
 * minified bundle under 64,000 bytes, which is stricter than the rule under any reading of "KB". */
export const SIZE_LIMIT_BYTES = 64_000;

/** @typedef {{ target: string, module: string }} TargetModule */
/** @typedef {{ name: string, code: string, bytes: number, gzipBytes: number, brotliBytes: number }} Bundle */

/**
 * The `[[extensions.targeting]]` entries (target + module) of a UI extension's shopify.extension.toml;
 * empty for other extension types (Flow triggers have no code to bundle).
 * @param {string} dir
 * @returns {TargetModule[]}
 */
export function extensionTargets(dir) {
  const toml = readFileSync(join(dir, "shopify.extension.toml"), "utf8");
  if (!/^type\s*=\s*"ui_extension"/m.test(toml)) return [];
  return toml
    .split(/^\[\[extensions\.targeting\]\]\s*$/m)
    .slice(1)
    .map((section) => {
      const body = section.split(/^\[/m)[0] ?? "";
      const target = /^target\s*=\s*"([^"]+)"/m.exec(body)?.[1];
      const module = /^module\s*=\s*"([^"]+)"/m.exec(body)?.[1];
      if (!target || !module) throw new Error(`${dir}: a [[extensions.targeting]] entry without target or module`);
      return { target, module };
    });
}

/** The folders in extensions/ holding a UI extension (a shopify.extension.toml with targets to bundle). */
export function uiExtensionDirs() {
  return readdirSync(EXTENSIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(EXTENSIONS_DIR, entry.name, "shopify.extension.toml")))
    .map((entry) => join(EXTENSIONS_DIR, entry.name))
    .filter((dir) => extensionTargets(dir).length > 0)
    .sort();
}

/**
 * The stdin Shopify CLI generates for Remote DOM (2025-10+) extensions.
 * @param {TargetModule[]} targets
 */
function entrySource(targets) {
  return targets
    .map(
      ({ target, module }, index) =>
        `import Target_${index} from '${module}';shopify.extend('${target}', (...args) => Target_${index}(...args));`,
    )
    .join("\n");
}

/** @param {Record<string, string | undefined>} env */
function defines(env) {
  /** @type {Record<string, string>} */
  const define = { "process.env.NODE_ENV": JSON.stringify("production") };
  if (env.KINSHIP_APP_URL) define["process.env.KINSHIP_APP_URL"] = JSON.stringify(env.KINSHIP_APP_URL);
  return define;
}

/**
 * Bundles an extension's `targets` (default: all of them) into one minified script and measures it.
 * @param {string} dir
 * @param {{ targets?: TargetModule[], env?: Record<string, string | undefined> }} [options]
 * @returns {Promise<Bundle>}
 */
export async function bundleExtension(dir, { targets = extensionTargets(dir), env = process.env } = {}) {
  const result = await build({
    stdin: { contents: entrySource(targets), resolveDir: dir, sourcefile: "extension-entry.js", loader: "js" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    target: "es6", // what Shopify CLI targets
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    define: defines(env),
    tsconfig: join(dir, "tsconfig.json"),
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const buffer = Buffer.from(code);
  return {
    name: targets.length === 1 ? targets[0].target : `${basename(dir)} (all targets)`,
    code,
    bytes: buffer.length,
    gzipBytes: gzipSync(buffer, { level: 9 }).length,
    brotliBytes: brotliCompressSync(buffer).length,
  };
}

/**
 * Builds each extension in `dirs` into its dist/ and prints one line per bundle (the deployable one, and
 * one per target when there are several). Resolves to false when any bundle is over the limit.
 * @param {string[]} [dirs]
 * @param {Record<string, string | undefined>} [env]
 */
export async function buildExtensions(dirs = uiExtensionDirs(), env = process.env) {
  let over = false;
  for (const dir of dirs) {
    const targets = extensionTargets(dir);
    const combined = await bundleExtension(dir, { targets, env });
    await mkdir(join(dir, "dist"), { recursive: true });
    await writeFile(join(dir, "dist", `${basename(dir)}.js`), combined.code);
    const perTarget = targets.length > 1 ? await Promise.all(targets.map((t) => bundleExtension(dir, { targets: [t], env }))) : [];
    for (const b of [combined, ...perTarget]) {
      const ok = b.bytes < SIZE_LIMIT_BYTES;
      over ||= !ok;
      const label = b === combined ? basename(dir) : `  ${b.name}`;
      console.log(
        `${ok ? "ok  " : "OVER"} ${label.padEnd(48)} ${String(b.bytes).padStart(6)} B minified, ` +
          `${String(b.gzipBytes).padStart(5)} B gzip, ${String(b.brotliBytes).padStart(5)} B brotli`,
      );
    }
  }
  if (!env.KINSHIP_APP_URL) console.warn("warning: KINSHIP_APP_URL is not set; these bundles render nothing (no backend URL).");
  if (over) console.error(`a bundle is over ${SIZE_LIMIT_BYTES} bytes`);
  return !over;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildExtensions().then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
