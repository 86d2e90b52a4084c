import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// The same bundling `npm run build` does for every UI extension (esbuild like Shopify CLI, one script per extension).
import {
  SIZE_LIMIT_BYTES,
  buildExtensions,
  bundleExtension,
  extensionTargets,
  uiExtensionDirs,
} from "../../../scripts/build-extensions.mjs";

const PAGE = join(__dirname, "..");
const PROFILE = join(__dirname, "..", "..", "my-rewards-profile");

describe("bundle size (Shopify: 64 KB per extension)", () => {
  it("builds the page and the profile block as extensions of their own, each with one target", () => {
    const dirs = uiExtensionDirs();
    expect(dirs).toContain(PAGE);
    expect(dirs).toContain(PROFILE);
    // A full-page target may not share its extension with any other target.
    expect(extensionTargets(PAGE)).toEqual([{ target: "customer-account.page.render", module: "./src/Page.tsx" }]);
    expect(extensionTargets(PROFILE)).toEqual([{ target: "customer-account.profile.block.render", module: "./src/ProfileBlock.tsx" }]);
  });

  it("keeps the page under the limit with the backend URL inlined", async () => {
    const result = await bundleExtension(PAGE, { env: { KINSHIP_APP_URL: "https://kinship.example.com" } });
    expect(result.bytes).toBeLessThan(SIZE_LIMIT_BYTES);
    expect(result.gzipBytes).toBeLessThan(result.bytes);
    expect(result.code).toContain('shopify.extend("customer-account.page.render"');
    expect(result.code).toContain("https://kinship.example.com");
    expect(result.code).not.toContain("process.env.KINSHIP_APP_URL");
  });

  it("keeps the profile block under the limit, linking to the page by its handle", async () => {
    const result = await bundleExtension(PROFILE, { env: {} });
    expect(result.bytes).toBeLessThan(SIZE_LIMIT_BYTES);
    expect(result.code).toContain('shopify.extend("customer-account.profile.block.render"');
    expect(result.code).toContain("extension://my-rewards");
  });

  it("reports each extension's size and fails the build when one is over the limit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kinship-oversized-"));
    try {
      writeFileSync(
        join(dir, "shopify.extension.toml"),
        'api_version = "2025-10"\n[[extensions]]\ntype = "ui_extension"\n[[extensions.targeting]]\ntarget = "customer-account.page.render"\nmodule = "./big.js"\n',
      );
      writeFileSync(join(dir, "tsconfig.json"), "{}");
      // Random text does not shrink when minified: 70,000 characters of it.
      const filler = Array.from({ length: 70_000 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join("");
      writeFileSync(join(dir, "big.js"), `export default () => ${JSON.stringify(filler)};`);
      const lines: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
      const error = vi.spyOn(console, "error").mockImplementation(() => {});
      const ok = await buildExtensions([dir, PAGE], { KINSHIP_APP_URL: "https://kinship.example.com" });
      log.mockRestore();
      error.mockRestore();
      expect(ok).toBe(false);
      expect(lines.find((l) => l.includes("kinship-oversized"))).toMatch(/^OVER .* \d+ B minified, +\d+ B gzip/);
      expect(lines.find((l) => / my-rewards /.test(l))).toMatch(/^ok +my-rewards +\d+ B minified, +\d+ B gzip/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
