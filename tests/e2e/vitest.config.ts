import { defineConfig } from "vitest/config";

/**
 * Browser tests: `npx vitest run --config tests/e2e/vitest.config.ts` (after `npm run build`).
 * They drive Debian's Chromium through the emulated Shopify admin against the built app; screenshots
 * land in tests/e2e/screenshots/ (ignored by git, kept by CI).
 */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // One process for every file, one after another: they share its imports and its Chromium (tests/e2e/browser.ts).
    isolate: false,
    // expect.poll waits for the page, not for a deadline: a busy machine must not fail a browser test.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
