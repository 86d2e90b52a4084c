// The whole local stack: the emulated admin frame, the Shopify emulator with seeded shops, and the
// built app (server/index.mjs, as `npm start`) in a child process whose Shopify traffic is routed to the emulator.
// Used by `npm run dev:local` (tests/emulator/demo.ts) and the browser tests (tests/e2e/).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { buildSync } from "esbuild";
import { createServer } from "node:net";
import { startAdminFrame, type AdminFrame } from "./admin-frame/server";
import { startEmulator, type Emulator } from "./server";
import type { ShopSeed } from "./shop";
import { contentNamedFile } from "../support/content-named-file";

export interface LocalStackOptions {
  apiKey: string;
  apiSecret: string;
  shops: ShopSeed[];
  databaseUrl: string;
  appPort?: number;
  framePort?: number;
  /** Where the app's output goes (default: this process's stdout/stderr; a file keeps it for a failed browser test). */
  appOutput?: "inherit" | "ignore" | { file: string };
}

export interface LocalStack {
  frame: AdminFrame;
  emulator: Emulator;
  app: ChildProcess;
  appUrl: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// Generous: on a loaded machine the built app can take over half a minute to load.
async function waitForHttp(url: string, app: ChildProcess, timeoutMs = 120_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (app.exitCode !== null) throw new Error(`The app exited with code ${app.exitCode} before answering`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`The app did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * tests/emulator/register-dispatcher.ts compiled to one ES module, for the app's `--import`: loading it through
 * tsx instead cost each app start 1.3 CPU-s more (3.4 vs 2.1; tsx's hooks then see every module the app loads).
 */
function dispatcherPreload(): Promise<string> {
  const sources = ["tests/emulator/register-dispatcher.ts", "tests/emulator/dispatcher.ts"];
  return contentNamedFile(
    "register-dispatcher",
    "mjs",
    sources.map((file) => readFileSync(file)),
    (into) => {
      buildSync({
        entryPoints: [sources[0]!],
        bundle: true,
        platform: "node",
        format: "esm",
        packages: "external",
        outfile: into,
        logLevel: "warning",
      });
    },
  );
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const appPort = options.appPort ?? (await freePort());
  const frame = await startAdminFrame({
    appUpstream: `http://127.0.0.1:${appPort}`,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    shops: options.shops.map((s) => ({ domain: s.domain, name: s.name })),
    port: options.framePort,
  });
  const emulator = await startEmulator({ apiKey: options.apiKey, apiSecret: options.apiSecret, appUrl: frame.url, shops: options.shops });
  const wanted = options.appOutput ?? "inherit";
  const output = typeof wanted === "string" ? wanted : openSync(wanted.file, "w");
  const app = spawn(process.execPath, ["--import", `./${await dispatcherPreload()}`, "server/index.mjs", "build/server/index.js"], {
    stdio: ["ignore", output, output],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(appPort),
      HOST: "127.0.0.1",
      SHOPIFY_API_KEY: options.apiKey,
      SHOPIFY_API_SECRET: options.apiSecret,
      SHOPIFY_APP_URL: frame.url,
      DATABASE_URL: options.databaseUrl,
      SHOPIFY_ADMIN_ORIGIN: emulator.url,
      // The app runs with NODE_ENV=production here; the emulator origin is still allowed.
      KINSHIP_ALLOW_ADMIN_ORIGIN: "1",
      APP_BRIDGE_URL: frame.appBridgeUrl,
      KINSHIP_EMULATOR_URL: emulator.url,
    },
  });
  // The child holds its own copy of the log file's descriptor.
  if (typeof output === "number") closeSync(output);
  const close = async () => {
    if (app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      app.kill("SIGTERM");
      // The server waits for open keep-alive connections; don't wait minutes for it.
      const force = setTimeout(() => app.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(force);
    }
    await Promise.allSettled([frame.close(), emulator.close()]);
  };
  try {
    await waitForHttp(`http://127.0.0.1:${appPort}/auth/login`, app);
  } catch (error) {
    await close();
    throw error;
  }
  return { frame, emulator, app, appUrl: `http://127.0.0.1:${appPort}`, close };
}
