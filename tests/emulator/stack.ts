// The whole local stack: the emulated admin frame, the Shopify emulator with seeded shops, and the
// built app (server/index.mjs, as `npm start`) in a child process whose Shopify traffic is routed to the emulator.
// Used by `npm run dev:local` (tests/emulator/demo.ts) and the browser tests (tests/e2e/).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { buildSync } from "esbuild";
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

/**
 * The port the app reports once it listens (it takes a free one itself when started with PORT=0). Generous: on a
 * loaded machine the built app can take over half a minute to load.
 */
function listeningPort(app: ChildProcess, timeoutMs = 120_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`The app did not listen within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      const port = (message as { listening?: unknown } | null)?.listening;
      if (typeof port === "number") done(null, port);
    };
    const onExit = (code: number | null) => done(new Error(`The app exited with code ${code} before listening`));
    function done(error: Error | null, port?: number) {
      clearTimeout(timer);
      app.off("message", onMessage).off("exit", onExit);
      if (app.connected) app.disconnect();
      if (error) reject(error);
      else resolve(port!);
    }
    app.on("message", onMessage).once("exit", onExit);
  });
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
  const frame = await startAdminFrame({
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    shops: options.shops.map((s) => ({ domain: s.domain, name: s.name })),
    port: options.framePort,
  });
  const emulator = await startEmulator({ apiKey: options.apiKey, apiSecret: options.apiSecret, appUrl: frame.url, shops: options.shops });
  const wanted = options.appOutput ?? "inherit";
  const output = typeof wanted === "string" ? wanted : openSync(wanted.file, "w");
  const app = spawn(process.execPath, ["--import", `./${await dispatcherPreload()}`, "server/index.mjs", "build/server/index.js"], {
    // The IPC channel carries the port the app took (PORT=0: a port picked here could be taken before the app binds it).
    stdio: ["ignore", output, output, "ipc"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.appPort ?? 0),
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
  let appUrl: string;
  try {
    appUrl = `http://127.0.0.1:${await listeningPort(app)}`;
  } catch (error) {
    await close();
    throw error;
  }
  frame.setAppUpstream(appUrl);
  return { frame, emulator, app, appUrl, close };
}
