import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// The demo and the browser tests start the app with `--import tsx --import …/register-dispatcher.ts`; a worker
// inherits such preloads unless told otherwise, and died of them at start, so the scoring ran on the main thread.
describe("startWorker", () => {
  it("starts a bundled worker in a process started with the demo's preloads", () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", "./tests/emulator/register-dispatcher.ts", "tests/support/worker-start-probe.ts"],
      { encoding: "utf8", env: { ...process.env, NODE_ENV: "test", KINSHIP_EMULATOR_URL: "http://127.0.0.1:9" } },
    );
    expect({ status: run.status, said: run.stdout.trim() }).toEqual({ status: 0, said: "message:ready" });
  });
});
