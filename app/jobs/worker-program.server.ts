/**
 * Where a worker thread's program is (decision 008): in the built server the bundle scripts/build-server-workers.mjs
 * writes beside it (build/server/<name>.mjs); from source (development, tests, bench) the TypeScript entry
 * app/jobs/<name>.server.ts, loaded through tsx's CommonJS hook (a development dependency: where it is missing,
 * null, and the caller does the work on the main thread).
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export interface WorkerProgram {
  program: URL | string;
  evaluate: boolean;
}

export function workerProgram(name: string): WorkerProgram | null {
  const built = new URL(`./${name}.mjs`, import.meta.url);
  const bundle = existsSync(fileURLToPath(built)) ? { program: built, evaluate: false } : null;
  // In production only the bundle; elsewhere the source first, so `remix dev` never runs a bundle left by an
  // older `npm run build`.
  if (process.env.NODE_ENV === "production") return bundle;
  return fromSource(name) ?? bundle;
}

/** The TypeScript entry through tsx: beside this module from source; from the app's root under `remix dev`. */
function fromSource(name: string): WorkerProgram | null {
  const source = [fileURLToPath(new URL(`./${name}.server.ts`, import.meta.url)), path.resolve(`app/jobs/${name}.server.ts`)].find((file) =>
    existsSync(file),
  );
  if (!source) return null;
  let tsx: string;
  try {
    tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
  } catch {
    return null;
  }
  return { program: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`, evaluate: true };
}

/**
 * Starts a worker on its program with no Node options of its own. Each program is self-contained (the bundle, or
 * tsx's CommonJS hook); the main thread's preloads, which a worker inherits by default, are not: when the demo
 * and the browser tests started the app with `--import tsx --import …/register-dispatcher.ts`, every worker died
 * at start ("Unknown file extension .ts") and its minutes of work ran on the main thread, stalling the pages.
 */
export function startWorker(entry: WorkerProgram): Worker {
  return new Worker(entry.program, { eval: entry.evaluate, execArgv: [] });
}
