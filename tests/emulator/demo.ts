// `npm run dev:local`: the emulator with a seeded demo shop, the app against SQLite, and the
// emulated Shopify admin to open in a browser. No Shopify account or network needed.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { startAdminFrame } from "./admin-frame/server";
import { startEmulator } from "./server";

const API_KEY = "kinship-demo-api-key";
const API_SECRET = "kinship-demo-api-secret";
const SHOP = "kinship-demo.myshopify.com";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const appPort = Number(process.env.PORT) || (await freePort());
const frame = await startAdminFrame({
  appUpstream: `http://127.0.0.1:${appPort}`,
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  shops: [{ domain: SHOP, name: "Kinship Demo (emulated)" }],
  port: Number(process.env.KINSHIP_ADMIN_PORT) || 0,
});
const emulator = await startEmulator({
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  appUrl: frame.url,
  shops: [{ domain: SHOP, name: "Kinship Demo", size: "tiny", seed: 2026, currency: "UAH", timeZone: "Europe/Kyiv" }],
});

const app = spawn(process.execPath, ["--import", "tsx", "--import", "./tests/emulator/register-dispatcher.ts", "node_modules/@remix-run/serve/dist/cli.js", "build/server/index.js"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(appPort),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: frame.url,
    DATABASE_URL: process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite",
    SHOPIFY_ADMIN_ORIGIN: emulator.url,
    KINSHIP_ALLOW_ADMIN_ORIGIN: "1",
    APP_BRIDGE_URL: frame.appBridgeUrl,
    KINSHIP_EMULATOR_URL: emulator.url,
  },
});

console.log(`
Kinship is running against an emulated Shopify (nothing leaves this machine).
  Open the emulated Shopify admin:  ${frame.appPageUrl(SHOP)}
  In Ukrainian:                     ${frame.appPageUrl(SHOP, { locale: "uk" })}
  Emulator (Admin API):             ${emulator.url}
Press Ctrl+C to stop.
`);

const stop = async () => {
  app.kill("SIGTERM");
  await Promise.allSettled([frame.close(), emulator.close()]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
app.on("exit", (code) => {
  console.error(`The app exited (${code}).`);
  void Promise.allSettled([frame.close(), emulator.close()]).then(() => process.exit(code ?? 1));
});
