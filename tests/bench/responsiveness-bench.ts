/**
 * Child: does the admin stay responsive while the shop imports again and its daily run proceeds (issue 23,
 * item 3)? The prepared shop is imported and scored first (not timed). Then, in this one process, at the
 * same time:
 *   - "Import again": the same JSONL through `importBulkFile` (a new backfill run: download, parse, upserts,
 *     the shop's aggregates),
 *   - the daily run: `runShopDay` with the nightly recompute before issuance, issuing a campaign's codes
 *     against the emulator (budget --codes),
 *   - the main admin pages, one after another (--think ms apart), through their real loaders (App Bridge's session-token
 *     fetch; the layout's loader beside the page's, as Remix runs them): dashboard, customers, rules, settings,
 *     segments,
 *   - signed order webhooks through the webhooks route, one every --webhook-interval ms.
 * Pages and webhooks keep going until both the import and the daily run have ended. Reports latency
 * percentiles per page, webhook statuses, and the event loop's longest stall (what a page waits behind).
 *   DATABASE_URL=… tsx tests/bench/responsiveness-bench.ts --meta <meta.json> [--codes 300]
 */
import "./app-env";
import "./asset-stub";
import { readFileSync } from "node:fs";
import { AsyncLocalStorage } from "node:async_hooks";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db, { pgPoolOf } from "../../app/db.server";
import { importBulkFile } from "../../app/jobs/backfill.server";
import { settled } from "../../app/jobs/background.server";
import { recomputeShop } from "../../app/jobs/recompute.server";
import { runShopDay } from "../../app/jobs/scheduler.server";
import { createRule } from "../../app/models/rules.server";
import { applyFlowLifecycleNotice } from "../../app/models/flow-usage.server";
import { createSyncRun } from "../../app/models/sync-runs.server";
import { mulberry32 } from "../../app/retention/random";
import { addDays, FLOW_TRIGGER_HANDLE, localDateAt, validateRuleInput } from "../../app/retention/rewards";
import { action as webhookAction } from "../../app/routes/webhooks";
import { startEmulatedShopify, stopEmulatedShopify } from "../support/emulated-shopify";
import { installShop } from "../support/sync-helpers";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../support/test-env";
import { webhookRequest } from "../support/webhook-request";
import { argValue, percentile, progress, reportResult, requireArg, round, statusOf } from "./harness";
import { serveFile } from "./serve-file";
import type { ShopDataMeta } from "./shop-data";

const meta = JSON.parse(readFileSync(requireArg(process.argv, "--meta"), "utf8")) as ShopDataMeta;
const codes = Number(argValue(process.argv, "--codes") ?? 300);
const webhookIntervalMs = Number(argValue(process.argv, "--webhook-interval") ?? 100);
// Between one page's answer and the next click. Also what lets the rest of the process run: a loader's
// Prisma queries on SQLite can settle in microtasks alone, so back-to-back loads would starve timers and I/O.
const thinkMs = Number(argValue(process.argv, "--think") ?? 100);
// Diagnosis: after each settings load (once per round of pages), the dashboard's parts run again side by side as
// its loader runs them, each timed with its own waits for a connection; then Settings' parts the same way, beside a
// count of the high-value CLV threshold (what the segments card ran on each load before the recompute stored it),
// then the rules page's parts, then the segments page's (beside the two group-bys it no longer runs per load).
// Adds load: not for the figures of record.
const probe = process.argv.includes("--probe");
const shop = meta.domain;
const database = process.env.DATABASE_URL!.split(":")[0] === "file" ? "sqlite" : "postgresql";

const dashboardViews = await import("../../app/models/views/dashboard-views.server");
const { issuanceStatus } = await import("../../app/services/issuance-status.server");
const { reachHealth } = await import("../../app/services/reach-health.server");
const { forecastReport } = await import("../../app/services/forecast-report.server");
const { lifecycleGroupDefinitions } = await import("../../app/services/page-context.server");
const { getShop } = await import("../../app/models/shop.server");
const { shopFormatter } = await import("../../app/formatting");
const { getShopSettings } = await import("../../app/models/shop-settings.server");
const { recentSyncRuns } = await import("../../app/models/sync-runs.server");
const { shopifySegmentsView } = await import("../../app/services/shopify-segments.server");
const { predictedClvPercentile, storedPredictedClvPercentile } = await import("../../app/models/value-thresholds.server");
const { HIGH_VALUE_PERCENTILE } = await import("../../app/retention/segments/kinship-segments");
const { listRules } = await import("../../app/models/rules.server");
const { ruleSummaries } = await import("../../app/models/reward-results.server");
const { countWithheld } = await import("../../app/models/issued-discounts.server");
const { queuedByRule } = await import("../../app/services/issuance-status.server");
const { countWithoutMarketingConsent } = await import("../../app/models/consent-records.server");
const { rfmGrid, writeBackStatus } = await import("../../app/models/views/segment-views.server");

// Route modules import stylesheets: loaded after the asset hook is registered.
const { loader: layoutLoader } = await import("../../app/routes/app");
const { loader: dashboardLoader } = await import("../../app/routes/app._index");
const { loader: customersLoader } = await import("../../app/routes/app.customers._index");
const { loader: rulesLoader } = await import("../../app/routes/app.rules");
const { loader: settingsLoader } = await import("../../app/routes/app.settings");
const { loader: segmentsLoader } = await import("../../app/routes/app.segments");

type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
const PAGES: { name: string; path: string; loader: Loader }[] = [
  { name: "dashboard", path: "/app", loader: dashboardLoader as Loader },
  { name: "customers", path: "/app/customers", loader: customersLoader as Loader },
  { name: "rules", path: "/app/rules", loader: rulesLoader as Loader },
  { name: "settings", path: "/app/settings", loader: settingsLoader as Loader },
  { name: "segments", path: "/app/segments", loader: segmentsLoader as Loader },
];

// The same seeded shop as the JSONL, on the "plus" plan: the run's codes are throttle-paced, not the point here.
const emulator = await startEmulatedShopify({
  shops: [
    { domain: shop, size: meta.size, seed: meta.seed, currency: meta.currency, timeZone: meta.timeZone, asOf: meta.asOf, plan: "plus" },
  ],
});
const client = await installShop(emulator, shop);

progress(`responsiveness (${database}): importing and scoring the ${meta.size} shop first (not timed)`);
const file = await serveFile(meta.jsonlFile);
await importBulkFile(shop, (await createSyncRun(shop, "backfill")).id, file.url);
await recomputeShop(shop);

const today = localDateAt(new Date(), meta.timeZone);
const rule = validateRuleInput(
  {
    kind: "holidayCampaign",
    name: "Bench campaign",
    startsAt: today,
    endsAt: addDays(today, 3),
    audience: { type: "everyoneWithConsent" },
    reward: { type: "percentage", percentage: 10 },
    budget: { maxCount: codes },
  },
  { knownTiers: [] },
);
if (!rule.ok) throw new Error(`bench rule rejected: ${JSON.stringify(rule.fieldErrors)}`);
await createRule(shop, rule.rule);
// A promotional code nothing would announce is withheld: the shop has the Flow workflow that sends it
// (without it the daily run issued no code, and the bench measured no issuance).
await applyFlowLifecycleNotice(shop, { flowTriggerDefinitionId: FLOW_TRIGGER_HANDLE, hasEnabledFlow: true, timestamp: new Date(0) });

// Webhooks made by the emulator from real changes to the shop, signed up front (signing is Shopify's work).
const state = emulator.shop(shop);
const mutate = emulator.mutate(shop);
const rng = mulberry32(meta.seed ^ 0x7e5);
const pick = (n: number) => Math.floor(rng() * n);
function nextWebhook(i: number): Request {
  const roll = rng();
  const events =
    roll < 0.6
      ? mutate.createOrder(
          { customerId: state.data.customer(pick(state.data.customerCount)).id, totalCents: 1_000 + pick(20_000) },
          { deliver: false },
        ).events
      : mutate.refundOrder(state.data.order(pick(state.data.orderCount)).id, 100 + pick(3_000), { deliver: false }).events;
  const e = events[0];
  return webhookRequest(shop, e.topic, e.payload, { webhookId: `responsive-${i}` });
}
const webhookRequests = Array.from({ length: 5_000 }, (_, i) => nextWebhook(i));

async function pageRequest(path: string): Promise<Request> {
  const { token } = await getJwt(shop.replace(/\.myshopify\.com$/, ""), TEST_API_KEY, TEST_API_SECRET);
  return new Request(`${TEST_APP_URL}${path}`, { headers: { Accept: "application/json", Authorization: `Bearer ${token}` } });
}

// Warm-up: each page once before anything runs (module-level caches, first queries).
for (const page of PAGES) await statusOf(async () => page.loader({ request: await pageRequest(page.path), params: {}, context: {} }));
await file.close();

const loop = monitorEventLoopDelay({ resolution: 10 });

// PostgreSQL: how long each query waits for a pooled connection, overall and within each page load (the
// connections are shared by the import, the daily run, webhooks and pages).
interface LoadWaits {
  sumMs: number;
  maxMs: number;
}
const loadWaits = new AsyncLocalStorage<LoadWaits>();
const acquireTimes: number[] = [];
let measuring = false;
let maxWaiting = 0;
let maxTotal = 0;
const pool = pgPoolOf(db);
if (pool) {
  type Done = (err: Error | undefined, client: unknown, release: unknown) => void;
  const connect = pool.connect.bind(pool) as (cb?: Done) => unknown;
  const record = (t: number, store: LoadWaits | undefined) => {
    const ms = performance.now() - t;
    if (!measuring) return;
    acquireTimes.push(ms);
    if (store) {
      store.sumMs += ms;
      store.maxMs = Math.max(store.maxMs, ms);
    }
  };
  (pool as unknown as { connect: (cb?: Done) => unknown }).connect = (cb?: Done) => {
    const t = performance.now();
    const store = loadWaits.getStore();
    if (cb)
      return connect((err, client, release) => {
        record(t, store);
        cb(err, client, release);
      });
    return (connect() as Promise<unknown>).then((c) => {
      record(t, store);
      return c;
    });
  };
  setInterval(() => {
    if (!measuring) return;
    maxWaiting = Math.max(maxWaiting, pool.waitingCount);
    maxTotal = Math.max(maxTotal, pool.totalCount);
  }, 20).unref();
}
const pageWaits = new Map<string, LoadWaits[]>(PAGES.map((p) => [p.name, []]));
const pageTimes = new Map<string, number[]>(PAGES.map((p) => [p.name, []]));
const pageStatuses: Record<string, number> = {};
const webhookTimes: number[] = [];
const webhookStatuses: Record<string, number> = {};
let busy = true;

progress(`responsiveness (${database}): import again + daily run (${codes} codes), with pages and webhooks meanwhile`);
const reimportFile = await serveFile(meta.jsonlFile);
const started = performance.now();
loop.enable();
measuring = true;
const importDone = (async () => {
  const t = performance.now();
  await importBulkFile(shop, (await createSyncRun(shop, "backfill")).id, reimportFile.url);
  return (performance.now() - t) / 1000;
})();
const dailyDone = (async () => {
  const t = performance.now();
  const outcome = await runShopDay(shop, { clientFor: async () => client, beforeIssuance: (s, _c, now) => recomputeShop(s, now) });
  return { seconds: (performance.now() - t) / 1000, outcome };
})();
let importEnded = false;
let dailyEnded = false;
void importDone.finally(() => (importEnded = true)).catch(() => undefined);
void dailyDone.finally(() => (dailyEnded = true)).catch(() => undefined);
const ticker = setInterval(() => {
  const loads = [...pageTimes.values()].reduce((n, v) => n + v.length, 0);
  progress(
    `  ${Math.round(performance.now() - started)} ms: ${loads} page loads, ${webhookTimes.length} webhooks; import ${importEnded ? "ended" : "running"}, daily run ${dailyEnded ? "ended" : "running"}`,
  );
}, 10_000);
const both = Promise.allSettled([importDone, dailyDone]).then((r) => {
  busy = false;
  return r;
});

const pagesDone = (async () => {
  for (let i = 0; busy; i++) {
    const page = PAGES[i % PAGES.length];
    const request = await pageRequest(page.path);
    const t = performance.now();
    const waits: LoadWaits = { sumMs: 0, maxMs: 0 };
    // A document request runs the layout's loader and the page's side by side.
    const statuses = await loadWaits.run(waits, () =>
      Promise.all([
        statusOf(() => (layoutLoader as Loader)({ request: request.clone(), params: {}, context: {} })),
        statusOf(() => page.loader({ request, params: {}, context: {} })),
      ]),
    );
    pageTimes.get(page.name)!.push(performance.now() - t);
    pageWaits.get(page.name)!.push(waits);
    if (probe && page.name === "settings") {
      await probeDashboard();
      await probeSettings();
      await probeRules();
      await probeSegments();
    }
    const status = String(Math.max(...statuses));
    pageStatuses[status] = (pageStatuses[status] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, thinkMs));
  }
})();

const probeTimes = new Map<string, { ms: number; waitMs: number }[]>();
async function probeDashboard() {
  const f = shopFormatter({ locale: "en", currency: meta.currency, timeZone: meta.timeZone });
  const parts: Record<string, () => Promise<unknown>> = {
    shopRow: () => getShop(shop),
    syncView: () => dashboardViews.syncView(shop),
    // The customer figures as the loader reads them (stored: decision 028), not the seven counts they are made of.
    storedFigures: () => dashboardViews.storedDashboardFigures(shop),
    rewardsSummary: () => dashboardViews.rewardsSummary(shop),
    npsSummary: () => dashboardViews.npsSummary(shop),
    definitions: () => lifecycleGroupDefinitions({ shop, locale: "en", format: f }),
    issuanceStatus: () => issuanceStatus(shop, f),
    reachHealth: () => reachHealth(shop),
    forecastReport: () => forecastReport(shop, "en", meta.currency, f),
  };
  await probeParts("", parts);
}

async function probeParts(prefix: string, parts: Record<string, () => Promise<unknown>>) {
  await Promise.all(
    Object.entries(parts).map(async ([name, run]) => {
      const waits: LoadWaits = { sumMs: 0, maxMs: 0 };
      const t = performance.now();
      await loadWaits.run(waits, run);
      const list = probeTimes.get(prefix + name) ?? [];
      list.push({ ms: performance.now() - t, waitMs: waits.sumMs });
      probeTimes.set(prefix + name, list);
    }),
  );
}

/** The rules page's parts (its two rounds run as one here), beside the consent count it no longer runs per load. */
async function probeRules() {
  const f = shopFormatter({ locale: "en", currency: meta.currency, timeZone: meta.timeZone });
  const ids = (await listRules(shop)).rules.map((r) => r.rule.id);
  await probeParts("rules.", {
    listRules: () => listRules(shop),
    queuedByRule: () => queuedByRule(shop),
    countWithheld: () => countWithheld(shop),
    ruleSummaries: () => ruleSummaries(shop, ids),
    issuanceStatus: () => issuanceStatus(shop, f),
    consentStored: () => dashboardViews.storedConsentExcluded(shop),
    consentCounted: () => countWithoutMarketingConsent(shop),
  });
}

/** The segments page's parts, beside the grid and group counts it read on each load before they were stored. */
async function probeSegments() {
  await probeParts("segments.", {
    storedFigures: () => dashboardViews.segmentFigures(shop),
    writeBackStatus: () => writeBackStatus(shop),
    shopSettings: () => getShopSettings(shop),
    rfmGridCounted: () => rfmGrid(shop),
    lifecycleCounted: () => dashboardViews.lifecycleCounts(shop),
  });
}

async function probeSettings() {
  await probeParts("settings.", {
    shopSettings: () => getShopSettings(shop),
    syncView: () => dashboardViews.syncView(shop),
    recentSyncRuns: () => recentSyncRuns(shop, 5),
    shopRow: () => getShop(shop),
    segmentsCard: () => shopifySegmentsView(shop, "en"),
    clvThresholdCounted: () => predictedClvPercentile(shop, HIGH_VALUE_PERCENTILE),
    clvThresholdStored: () => storedPredictedClvPercentile(shop, HIGH_VALUE_PERCENTILE),
  });
}

const webhooksDone = (async () => {
  for (let i = 0; busy && i < webhookRequests.length; i++) {
    const t = performance.now();
    const status = await statusOf(() => webhookAction({ request: webhookRequests[i], params: {}, context: {} }));
    webhookTimes.push(performance.now() - t);
    webhookStatuses[status] = (webhookStatuses[status] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, webhookIntervalMs));
  }
})();

const [importResult, dailyResult] = await both;
await Promise.all([pagesDone, webhooksDone]);
const seconds = (performance.now() - started) / 1000;
measuring = false;
clearInterval(ticker);
loop.disable();
await settled();
await reimportFile.close();
if (importResult.status === "rejected") throw importResult.reason;
if (dailyResult.status === "rejected") throw dailyResult.reason;
const daily = dailyResult.value;
const importRun = await db.syncRun.findFirstOrThrow({ where: { shop }, orderBy: { startedAt: "desc" } });
await stopEmulatedShopify(emulator);
await db.$disconnect();

const stats = (values: number[]) => ({
  count: values.length,
  p50: round(percentile(values, 50), 1),
  p95: round(percentile(values, 95), 1),
  max: round(Math.max(...values), 1),
});
const allPages = [...pageTimes.values()].flat();
reportResult({
  size: meta.size,
  orders: meta.orders,
  seconds: round(seconds, 1),
  importSeconds: round(importResult.value, 1),
  importStatus: importRun.status,
  importError: importRun.error,
  dailySeconds: round(daily.seconds, 1),
  dailyStatus: daily.outcome.status,
  dailyError: daily.outcome.status === "failed" ? daily.outcome.error : null,
  codesCreated: daily.outcome.status === "ran" ? daily.outcome.issuance.created : 0,
  pages: { all: stats(allPages), ...Object.fromEntries([...pageTimes].map(([name, values]) => [name, stats(values)])) },
  pageStatuses,
  webhooks: stats(webhookTimes),
  webhookStatuses,
  eventLoopMaxMs: round(loop.max / 1e6, 1),
  probe: probe
    ? Object.fromEntries(
        [...probeTimes].map(([name, v]) => [
          name,
          {
            ...stats(v.map((x) => x.ms)),
            waitP50: round(
              percentile(
                v.map((x) => x.waitMs),
                50,
              ),
              1,
            ),
          },
        ]),
      )
    : null,
  // PostgreSQL only: waits for a pooled connection (all queries; per page load, its longest single wait).
  pool: pool
    ? {
        max: pool.options.max,
        maxWaiting,
        maxTotal,
        acquire: stats(acquireTimes),
        pageLongestWait: Object.fromEntries([...pageWaits].map(([name, w]) => [name, stats(w.map((x) => x.maxMs))])),
      }
    : null,
  eventLoopP99Ms: round(loop.percentile(99) / 1e6, 1),
});
