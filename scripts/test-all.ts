// `npm test`: the whole suite on SQLite (always) and again on PostgreSQL when one answers on
// 127.0.0.1:5432 (or KINSHIP_PG_ADMIN_URL), and the browser tests. Extra arguments go to vitest (e.g. a
// file filter) and leave the browser tests out.
import { spawn } from "node:child_process";
import { postgresAnswers, postgresUrl } from "../tests/support/postgres";
import { dropPostgresDatabase } from "../tests/support/global-setup";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { sharedDir } from "../tests/emulator/config";
import { CHROMIUM_BINARIES } from "../tests/e2e/browser";
import { ensureAdminSchema } from "./admin-schema";
import { generateClients } from "./generate-clients";
import { buildIfStale, commandPath } from "./build-app";

generateClients();
ensureAdminSchema();
// Material only ../shared has: its tests are reported as not run when it is absent (a bare clone).
for (const [what, relative] of [
  ["CDNOW validation tests", "datasets/cdnow"],
  ["Registry-vs-SDL schema cross-check", "shopify/admin-schema"],
] as const) {
  const dir = path.join(sharedDir(), relative);
  if (!existsSync(dir)) console.log(`${what} NOT run: ${dir} is absent (they need ../shared beside the clone).`);
}

const args = process.argv.slice(2);
// A file filter may match only one project's files; the other runs then find nothing, which is fine.
const filterArgs = args.length ? [...args, "--passWithNoTests"] : [];
const runs: Array<{ label: string; project: "unit" | "integration"; url: string }> = [
  // Unit files never touch the database, so they run once, not once per database.
  { label: "unit tests", project: "unit", url: `file:./tests/.tmp/test-${process.pid}-unit.sqlite` },
  { label: "SQLite", project: "integration", url: `file:./tests/.tmp/test-${process.pid}.sqlite` },
];
if (process.env.KINSHIP_TEST_SQLITE_ONLY !== "1" && (await postgresAnswers())) {
  runs.push({ label: "PostgreSQL", project: "integration", url: postgresUrl(`kinship_test_${process.pid}`) });
} else {
  console.log("PostgreSQL did not answer: running the suite on SQLite only.");
}

// Browser tests: Debian's Chromium driven through the emulated Shopify admin against the built app.
const chromium = process.env.CHROMIUM_PATH ?? CHROMIUM_BINARIES.find((binary) => existsSync(binary));
const browserRun = (() => {
  if (process.env.KINSHIP_SKIP_E2E === "1") return "Browser tests skipped (KINSHIP_SKIP_E2E=1).";
  if (!chromium) return "Browser tests NOT run: Chromium is missing (apt-get install chromium-headless-shell; .ci/run installs it).";
  if (args.length) return "Browser tests not run: a file filter was given.";
  return null;
})();

// Everything goes side by side: integration files run one after another and wait on their database
// much of the time, and the browser tests wait on the app, the emulator and Chromium, so together the
// runs keep both cores busy. Each run's output is shown whole when it ends, so they never interleave.
// The browser run (one file after another in one process, each waiting on pages) gets the CPU first when both want
// it: the other runs start at nice 10 and fill the time it leaves. Each header says when its run ended; on two cores
// (December 2026, three machines) the unit run ended at 205-310 s, the browser run at 235-310, the integration runs
// at 290-430.
const BACKGROUND_NICENESS = browserRun === null ? 10 : 0;
const results = await Promise.all([
  ...runs.map((run) =>
    runBuffered(
      run.label === "unit tests" ? "Unit tests" : `Integration tests on ${run.label}`,
      [["vitest", "run", "--project", run.project, ...filterArgs]],
      {
        ...process.env,
        DATABASE_URL: run.url,
        KINSHIP_TEST_DB: run.project === "integration" ? run.label : "none",
      },
      BACKGROUND_NICENESS,
    ).finally(() => dropDatabase(run.url)),
  ),
  ...(browserRun === null ? [runBrowserTests()] : []),
]);
if (browserRun !== null) console.log(`\n${browserRun}`);
const failed = results.filter((r) => r.status !== 0);
for (const r of failed) console.error(`Failed: ${r.label}`);
if (failed.length) process.exit(failed[0].status ?? 1);

/** The browser tests, after building the app unless the build in build/ is already made from the current sources. */
async function runBrowserTests(): Promise<{ label: string; status: number | null }> {
  let build: { label: string; status: number | null } | null = null;
  const built = await buildIfStale(async (commands, env) => {
    build = await runBuffered("Build for the browser tests", commands, env);
    return build.status === 0;
  });
  if (!built && build) return build;
  return runBuffered(
    "Browser tests (Chromium, SQLite; screenshots in tests/e2e/screenshots/)",
    [["vitest", "run", "--config", "tests/e2e/vitest.config.ts"]],
    process.env,
  );
}

async function dropDatabase(url: string): Promise<void> {
  if (!url.startsWith("file:")) return dropPostgresDatabase(url).catch(() => undefined);
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(url.slice("file:".length) + suffix, { force: true });
}

/**
 * Runs the package's commands (its binaries, or `node`) one after another (stopping at the first failure) and
 * prints their output whole at the end; `niceness` > 0 runs them at a lower CPU priority (POSIX `nice`).
 */
async function runBuffered(
  label: string,
  commands: string[][],
  env: NodeJS.ProcessEnv,
  niceness = 0,
): Promise<{ label: string; status: number | null }> {
  const chunks: Buffer[] = [];
  let status: number | null = 0;
  for (const command of commands) {
    status = await new Promise<number | null>((resolve) => {
      const [name, ...rest] = command;
      const bin = commandPath(name!);
      const [program, args] = niceness > 0 ? ["nice", ["-n", String(niceness), bin, ...rest]] : [bin, rest];
      const child = spawn(program, args, { env, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.on("close", resolve);
    });
    if (status !== 0) break;
  }
  console.log(`\n=== ${label} (${Math.round(performance.now() / 1000)} s after \`npm test\` started) ===`);
  process.stdout.write(Buffer.concat(chunks));
  return { label, status };
}
