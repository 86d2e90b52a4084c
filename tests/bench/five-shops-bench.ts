/**
 * Child: five shops install at the same moment (issue 23, item 3: "five shops installing at once all finish
 * imported and scored"). As in tests/integration/hostile/concurrent-installs.test.ts, through the app's real
 * path: each shop's first admin load exchanges its session token and starts the bulk backfill; the emulator's
 * bulk_operations/finish webhooks (to the real webhooks route on a loopback port) then import, score and write
 * back all five at once. Meanwhile the dashboard is loaded for each shop in turn (--think ms apart). Reports
 * how many shops ended imported (equal to the emulator's truth) and scored, the time until the last did, page
 * latencies and webhook statuses, and the event loop's longest stall. The emulator runs in this process (its
 * bulk JSONL generation competes for this thread too), as in the test.
 *   DATABASE_URL=… tsx tests/bench/five-shops-bench.ts [--customers 300] [--orders 20000]
 */
import "./app-env";
import "./asset-stub";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "../../app/db.server";
import { settled } from "../../app/jobs/background.server";
import { hostParam } from "../emulator/admin-frame/server";
import { startAppWebhookServer } from "../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../support/emulated-shopify";
import { compareWithTruth } from "../support/sync-helpers";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../support/test-env";
import { argValue, percentile, progress, reportResult, round, statusOf } from "./harness";

// Few customers per shop, as in the test: the tag write-back after scoring is one Admin call per customer.
const customers = Number(argValue(process.argv, "--customers") ?? 300);
const orders = Number(argValue(process.argv, "--orders") ?? 20_000);
const thinkMs = Number(argValue(process.argv, "--think") ?? 100);
const timeoutMs = Number(argValue(process.argv, "--timeout-s") ?? 1_200) * 1000;
const SHOPS = [1, 2, 3, 4, 5].map((n) => `bench-install-${n}.myshopify.com`);

const { loader: dashboardLoader } = await import("../../app/routes/app._index");
type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

const webhooks = await startAppWebhookServer();
const emulator = await startEmulatedShopify({
  appUrl: webhooks.url,
  shops: SHOPS.map((domain, i) => ({ domain, customers, orders, seed: 160 + i, plan: "enterprise" as const })),
});

/** The first admin load of a shop: the embedded URL with its id_token (token exchange, then the install steps). */
async function openApp(shop: string): Promise<number> {
  const { token } = await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
  const url = new URL(`${TEST_APP_URL}/app`);
  url.search = new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), id_token: token }).toString();
  const request = new Request(url, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" } });
  return statusOf(() => (dashboardLoader as Loader)({ request, params: {}, context: {} }));
}

async function dashboardRequest(shop: string): Promise<Request> {
  const { token } = await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
  return new Request(`${TEST_APP_URL}/app`, { headers: { Accept: "application/json", Authorization: `Bearer ${token}` } });
}

const ended = async () => db.syncRun.count({ where: { shop: { in: SHOPS }, status: { in: ["completed", "failed"] } } });

progress(`five shops (${customers} customers, ${orders} orders each) install at once`);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const started = performance.now();
const installStatuses = await Promise.all(SHOPS.map(openApp));
let busy = true;
const pageTimes: number[] = [];
const pageStatuses: Record<string, number> = {};
const pagesDone = (async () => {
  for (let i = 0; busy; i++) {
    const request = await dashboardRequest(SHOPS[i % SHOPS.length]);
    const t = performance.now();
    const status = await statusOf(() => (dashboardLoader as Loader)({ request, params: {}, context: {} }));
    pageTimes.push(performance.now() - t);
    pageStatuses[status] = (pageStatuses[status] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, thinkMs));
  }
})();
const ticker = setInterval(() => {
  void ended().then((n) =>
    progress(`  ${Math.round(performance.now() - started)} ms: ${n} of 5 imports ended, ${pageTimes.length} page loads`),
  );
}, 15_000);
// Each shop's import, scoring and tag write-back run in the background after its finish webhook.
let timedOut = false;
while ((await ended()) < SHOPS.length) {
  if (performance.now() - started > timeoutMs) {
    timedOut = true;
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const importedSeconds = (performance.now() - started) / 1000;
// Scored: the recompute stored the shop's model state (the tag write-back follows it).
const scoredShops = async () => db.shop.count({ where: { shop: { in: SHOPS }, modelState: { not: null } } });
while (!timedOut && (await scoredShops()) < SHOPS.length && performance.now() - started < timeoutMs)
  await new Promise((resolve) => setTimeout(resolve, 250));
const scoredSeconds = (performance.now() - started) / 1000;
await settled();
const seconds = (performance.now() - started) / 1000;
busy = false;
await pagesDone;
clearInterval(ticker);
loop.disable();

const shops = [];
for (const shop of SHOPS) {
  const run = await db.syncRun.findFirst({ where: { shop, kind: "backfill" }, orderBy: { startedAt: "desc" } });
  const truth = await compareWithTruth(emulator, shop);
  const ungrouped = (await db.customer.findMany({ where: { shop, lifecycle: null }, select: { shopifyId: true } })).map((c) => c.shopifyId);
  let buyersUnscored = 0;
  for (let i = 0; i < ungrouped.length; i += 500)
    buyersUnscored += await db.order.count({
      where: { shop, customerShopifyId: { in: ungrouped.slice(i, i + 500) }, netTotal: { gt: 0 }, cancelledAt: null, test: false },
    });
  const imported = run?.status === "completed" && truth.mismatches.length === 0 && truth.shopOrders.db === truth.shopOrders.shopify;
  shops.push({
    shop,
    status: run?.status ?? "none",
    error: run?.error ?? null,
    mismatches: truth.mismatches.length,
    imported,
    scored: imported && buyersUnscored === 0 && (await db.customer.count({ where: { shop, scoredAt: { not: null } } })) > 0,
  });
}
const webhookStatuses: Record<string, number> = {};
for (const a of webhooks.answers) webhookStatuses[a.status] = (webhookStatuses[a.status] ?? 0) + 1;
await stopEmulatedShopify(emulator);
await webhooks.close();
await db.$disconnect();

reportResult({
  customers,
  orders,
  installStatuses,
  timedOut,
  importedSeconds: round(importedSeconds, 1),
  scoredSeconds: round(scoredSeconds, 1),
  seconds: round(seconds, 1),
  shops,
  importedAndScored: shops.filter((s) => s.imported && s.scored).length,
  pages: {
    count: pageTimes.length,
    p50: round(percentile(pageTimes, 50), 1),
    p95: round(percentile(pageTimes, 95), 1),
    max: round(Math.max(...pageTimes), 1),
  },
  pageStatuses,
  webhookStatuses,
  eventLoopMaxMs: round(loop.max / 1e6, 1),
  eventLoopP99Ms: round(loop.percentile(99) / 1e6, 1),
});
