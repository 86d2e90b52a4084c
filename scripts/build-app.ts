// The built app the browser tests run (`remix build`, then the server's worker programs), rebuilt only when what
// it is built from has changed since the last build: a rerun of `npm test` on unchanged sources skipped 8.8 CPU-s.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { filesFingerprint } from "./files-fingerprint";

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
const BUILD_COMMANDS = [
  ["remix", "build"],
  ["node", "scripts/build-server-workers.mjs"],
];

/** Runs commands one after another; resolves true when all succeeded. */
export type CommandRunner = (commands: string[][], env: NodeJS.ProcessEnv) => Promise<boolean>;

/** The program a command names: this Node for `node`, else the package's own binary (not `npx`, which starts npm first). */
export function commandPath(name: string): string {
  return name === "node" ? process.execPath : path.join("node_modules", ".bin", name);
}

const runInherited: CommandRunner = async (commands, env) =>
  commands.every(([name, ...args]) => spawnSync(commandPath(name!), args, { stdio: "inherit", env }).status === 0);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

// The outputs are part of the stamp: a build written since by anything else (`npm run dev`, a hand-run
// `remix build`) is not the stamped one.
const inputs = () => filesFingerprint([...INPUT_DIRS.flatMap(filesUnder), ...INPUT_FILES]);
const outputs = () => filesFingerprint(OUTPUTS);

/**
 * Builds unless build/ holds the build stamped for the sources as they are now (`run` runs the build's commands;
 * by default with their output shown as it comes). The sources are fingerprinted before building, so an edit
 * made meanwhile rebuilds next time. Resolves false when the build failed.
 */
export async function buildIfStale(run: CommandRunner = runInherited): Promise<boolean> {
  const wanted = inputs();
  const built = outputs();
  if (wanted !== null && built !== null && existsSync(STAMP) && readFileSync(STAMP, "utf8") === `${wanted} ${built}`) return true;
  if (!(await run(BUILD_COMMANDS, BUILD_ENV))) return false;
  if (wanted !== null) writeFileSync(STAMP, `${wanted} ${outputs()}`);
  return true;
}
