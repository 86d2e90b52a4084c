// The built app the browser tests run (`remix build`, then the server's worker programs), rebuilt only when what
// it is built from has changed since the last build: a rerun of `npm test` on unchanged sources skipped 8.8 CPU-s.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What `remix build` and scripts/build-server-workers.mjs read: the app, its static files, configs and dependency versions. */
const INPUT_DIRS = ["app", "public"];
const INPUT_FILES = ["remix.config.js", "tsconfig.json", "package-lock.json", "scripts/build-server-workers.mjs"];
const OUTPUTS = ["build/server/index.js", "build/server/scoring-worker.mjs", "build/server/decision-worker.mjs"];
const STAMP = "build/.inputs.sha256";

/**
 * Always a production build, as the browser tests and `npm start` run it: `remix build` follows NODE_ENV, and
 * under vitest (NODE_ENV=test) it would emit development JSX the production server cannot run.
 */
export const BUILD_ENV: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
export const BUILD_COMMANDS = [
  ["remix", "build"],
  ["node", "scripts/build-server-workers.mjs"],
];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function fingerprint(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\n`);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

const inputs = () => fingerprint([...INPUT_DIRS.flatMap(filesUnder), ...INPUT_FILES]);
// The outputs too: a build written since by anything else (`npm run dev`, a hand-run `remix build`) is not the stamped one.
const outputs = () => fingerprint(OUTPUTS);

/**
 * null when every output is there and is the build stamped for the sources as they are now; otherwise what to
 * pass to stampBuild once the build has succeeded (taken before building, so an edit made meanwhile rebuilds next time).
 */
export function staleBuild(): string | null {
  const wanted = inputs();
  const current =
    OUTPUTS.every((file) => existsSync(file)) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === `${wanted} ${outputs()}`;
  return current ? null : wanted;
}

/** Records that the build now in build/ was made from the sources `staleBuild` fingerprinted. */
export function stampBuild(inputsBuiltFrom: string): void {
  writeFileSync(STAMP, `${inputsBuiltFrom} ${outputs()}`);
}

/** Builds unless the build is current, printing the tools' output. */
export function ensureBuilt(): void {
  const stale = staleBuild();
  if (stale === null) return;
  for (const [name, ...args] of BUILD_COMMANDS) {
    const bin = name === "node" ? process.execPath : path.join("node_modules", ".bin", name!);
    const result = spawnSync(bin, args, { stdio: "inherit", env: BUILD_ENV });
    if (result.status !== 0) throw new Error(`${[name, ...args].join(" ")} failed`);
  }
  stampBuild(stale);
}
