import { describe, expect, it } from "vitest";

// build.mjs is the same bundling the CLI does (esbuild, minified, all targets in one script).
import { SIZE_LIMIT_BYTES, TARGETS, bundle } from "../build.mjs";

describe("bundle size (Shopify: 64 KB per extension)", () => {
  it("bundles both targets into one script under the limit, with the backend URL inlined", async () => {
    const result = await bundle({ env: { KINSHIP_APP_URL: "https://kinship.example.com" } });
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.bytes).toBeLessThan(SIZE_LIMIT_BYTES);
    expect(result.gzipBytes).toBeLessThan(result.bytes);
    for (const { target } of TARGETS) expect(result.code).toContain(`shopify.extend("${target}"`);
    expect(result.code).toContain("https://kinship.example.com");
    expect(result.code).not.toContain("process.env.KINSHIP_APP_URL");
  });

  it("keeps each target under the limit on its own", async () => {
    for (const target of TARGETS) {
      const result = await bundle({ targets: [target], env: {} });
      expect(result.bytes, target.target).toBeLessThan(SIZE_LIMIT_BYTES);
    }
  });
});
