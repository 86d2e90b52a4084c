// Shopify's own build (`shopify app build`, @shopify/cli) validates shopify.app.toml and every extension's
// TOML and bundles the extensions, offline. Run on a copy of the app so the working tree is never touched.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// Our own bundling of the survey (esbuild, as the CLI does it), to compare with Shopify's.
import { bundle, SIZE_LIMIT_BYTES } from "../../../extensions/feedback-survey/build.mjs";

const ROOT = process.cwd();
const CLI = path.join(ROOT, "node_modules", ".bin", "shopify");
const SURVEY_BUNDLE = path.join("extensions", "feedback-survey", "dist", "feedback-survey.js");

/** No telemetry, no notifications fetch, no prompts: with these the CLI opens no network connection. */
const OFFLINE_ENV = { SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1", NO_COLOR: "1" };

function shopify(args: string[], cwd = ROOT) {
  const started = performance.now();
  const result = spawnSync(CLI, args, { cwd, encoding: "utf8", timeout: 180_000, env: { ...process.env, ...OFFLINE_ENV } });
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ""}`,
    ms: performance.now() - started,
  };
}

/** The files `shopify app build` reads, without node_modules or earlier build output; node_modules linked. */
function copyOfApp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kinship-app-build-"));
  for (const file of ["shopify.app.toml", "shopify.web.toml", "package.json", "package-lock.json"]) cpSync(file, path.join(dir, file));
  cpSync("extensions", path.join(dir, "extensions"), {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist)$/.test(source),
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const onPostgres = process.env.KINSHIP_TEST_DB === "PostgreSQL";
const notRun = onPostgres
  ? "it does not depend on the database and ran on the SQLite pass"
  : !existsSync(CLI)
    ? `Shopify CLI is not installed (${CLI})`
    : null;
if (notRun) console.warn(`shopify app build: NOT RUN — ${notRun}`);

// A CLI start takes 5–25 s on a busy 2-core machine: each test starts it once (no separate `shopify version`).
describe.runIf(notRun === null)("shopify app build (Shopify CLI, offline)", { timeout: 180_000 }, () => {
  const copies: string[] = [];
  afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("is the pinned 3.x CLI", () => {
    const installed = JSON.parse(readFileSync(path.join(ROOT, "node_modules", "@shopify", "cli", "package.json"), "utf8")) as {
      version: string;
    };
    const pinned = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> })
      .devDependencies["@shopify/cli"];
    expect(installed.version).toMatch(/^3\.\d+\.\d+$/);
    expect(installed.version).toBe(pinned);
  });

  it("builds the app and every extension, with a survey bundle in line with ours", async () => {
    const dir = copyOfApp();
    copies.push(dir);
    const build = shopify(["app", "build", "--path", dir, "--no-color"]);
    expect(build.output).toContain("successfully built");
    expect(build.status, build.output).toBe(0);

    const cliBytes = statSync(path.join(dir, SURVEY_BUNDLE)).size;
    const ours = await bundle({ env: {} });
    console.log(`shopify app build: ${Math.round(build.ms)} ms; survey bundle ${cliBytes} B (ours ${ours.bytes} B)`);
    expect(cliBytes).toBeLessThan(SIZE_LIMIT_BYTES);
    expect(Math.abs(cliBytes - ours.bytes) / ours.bytes).toBeLessThan(0.05);
  });

  it("fails on an app configuration Shopify would reject", () => {
    const dir = copyOfApp();
    copies.push(dir);
    const toml = path.join(dir, "shopify.app.toml");
    writeFileSync(toml, readFileSync(toml, "utf8").replace(/^embedded = true$/m, 'embedded = "yes"'));
    const build = shopify(["app", "build", "--path", dir, "--no-color"]);
    expect(build.status).not.toBe(0);
    expect(build.output).toMatch(/Validation errors in \S*shopify\.app\.toml[\s\S]*\[embedded\]: Value must be Boolean/);
  });
});
