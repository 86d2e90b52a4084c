import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The same bundling `npm run build` does for every UI extension (esbuild like Shopify CLI, one script per extension).
import { SIZE_LIMIT_BYTES, bundleExtension, extensionTargets, uiExtensionDirs } from "../../../scripts/build-extensions.mjs";

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
});
