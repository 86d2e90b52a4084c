import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "~": fileURLToPath(new URL("./app", import.meta.url)) };
const common = {
  globals: true,
  // Files share one module graph per worker: importing the app once instead of once per file halves
  // the suite's CPU time. Files must leave no global state behind (env, timers, mocks).
  isolate: false,
  environment: "node",
  setupFiles: ["tests/support/test-env.ts"],
  // Limits against hangs, not speed checks: `npm test` runs these passes at nice 10 beside the browser pass, which
  // can leave them a tenth of a core. A backfill test of 1.8 s took 13.6 s beside two busy cores and over 30 s (the
  // old limit) in a CI run.
  testTimeout: 120_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  resolve: { alias },
  test: {
    // One fresh database per run, created once for both projects.
    globalSetup: ["tests/support/global-setup.ts"],
    // Transformed modules kept on disk (node_modules/.experimental-vitest-cache, keyed by content): the unit run
    // and the two integration runs transform the same app, and a rerun transforms nothing unchanged. Vitest 5
    // turns this on by default; we add no plugin whose options it could miss.
    experimental: { fsModuleCache: true },
    projects: [
      {
        resolve: { alias },
        // Pure code, the emulator alone, page rendering: files run side by side.
        test: {
          ...common,
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}", "extensions/*/tests/**/*.test.{ts,tsx}"],
        },
      },
      {
        resolve: { alias },
        // The app against the emulator and one shared database: files run one after another.
        test: {
          ...common,
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          fileParallelism: false,
        },
      },
    ],
  },
});
