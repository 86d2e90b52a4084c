import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A worker inherits the process's preloads unless told otherwise: when the demo and the browser tests started the
// app with `--import tsx --import …/register-dispatcher.ts`, workers died of them at start and the scoring ran on
// the main thread. The process here keeps those preloads, the hardest case.
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
