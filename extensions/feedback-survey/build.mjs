// The survey's bundle, as scripts/build-extensions.mjs builds every UI extension (esbuild like Shopify
// CLI, one bundle for all targets, size-checked). Kept so callers can bundle the survey alone (the
// emulated admin's preview, the CLI comparison test).
//
//   node extensions/feedback-survey/build.mjs            # writes dist/, prints sizes, exit 1 if over
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SIZE_LIMIT_BYTES, buildExtensions, bundleExtension, extensionTargets } from "../../scripts/build-extensions.mjs";

export { SIZE_LIMIT_BYTES };
export const EXTENSION_DIR = dirname(fileURLToPath(import.meta.url));
export const TARGETS = extensionTargets(EXTENSION_DIR);

/**
 * Bundles `targets` (default: all of the survey's) into one minified script and measures it.
 * @param {{ targets?: import("../../scripts/build-extensions.mjs").TargetModule[], env?: Record<string, string | undefined> }} [options]
 */
export function bundle(options = {}) {
  return bundleExtension(EXTENSION_DIR, options);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildExtensions([EXTENSION_DIR]).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
