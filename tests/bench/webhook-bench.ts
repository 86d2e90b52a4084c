/**
 * Child: incremental sync throughput. The prepared shop is imported first (not timed); then --deliveries
 * order webhooks, made by the emulator from real changes to the same shop (new orders from existing
 * customers and guests, refunds, cancellations — a cancellation is two deliveries, as Shopify sends), go
 * one after another through the app's real webhooks route (`action`: HMAC check, idempotency claim,
 * upsert, the customer's aggregates). Afterwards the database must equal the emulator for every customer.
 *   DATABASE_URL=… tsx tests/bench/webhook-bench.ts --meta <meta.json> --deliveries 5000
 */
import "./app-env";
import { readFileSync } from "node:fs";
import db from "../../app/db.server";
import { importBulkFile } from "../../app/jobs/backfill.server";
import { settled } from "../../app/jobs/background.server";
import { createSyncRun } from "../../app/models/sync-runs.server";
import { mulberry32 } from "../../app/retention/random";
import { action } from "../../app/routes/webhooks";
import { startEmulator } from "../emulator/server";
import { compareWithTruth, installShop } from "../support/sync-helpers";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";
import { webhookRequest } from "../support/webhook-request";
import { argValue, percentile, progress, reportResult, requireArg, round } from "./harness";
import { serveFile } from "./serve-file";
import type { ShopDataMeta } from "./shop-data";

const meta = JSON.parse(readFileSync(requireArg(process.argv, "--meta"), "utf8")) as ShopDataMeta;
const wanted = Number(argValue(process.argv, "--deliveries") ?? 5_000);
const shop = meta.domain;

// The same seeded shop as the JSONL (same seed and day), so the webhooks are about orders the app has.
const emulator = await startEmulator({
  apiKey: TEST_API_KEY,
  apiSecret: TEST_API_SECRET,
  shops: [{ domain: shop, size: meta.size, seed: meta.seed, currency: meta.currency, timeZone: meta.timeZone, asOf: meta.asOf }],
});
await installShop(emulator, shop);
const file = await serveFile(meta.jsonlFile);
progress(`webhooks: importing the ${meta.size} shop first (not timed)`);
await importBulkFile(shop, (await createSyncRun(shop, "backfill")).id, file.url);
await file.close();

const state = emulator.shop(shop);
const mutate = emulator.mutate(shop);
const rng = mulberry32(meta.seed ^ 0x5eb);
const pick = (n: number) => Math.floor(rng() * n);
const events: { topic: string; payload: unknown }[] = [];
const mix = { create: 0, guest: 0, refund: 0, cancel: 0 };
while (events.length < wanted) {
  const roll = rng();
  if (roll < 0.5) {
    const customer = state.data.customer(pick(state.data.customerCount));
    events.push(...mutate.createOrder({ customerId: customer.id, totalCents: 1_000 + pick(20_000) }, { deliver: false }).events);
    mix.create++;
  } else if (roll < 0.6) {
    events.push(...mutate.createOrder({ customerId: null, totalCents: 1_000 + pick(10_000) }, { deliver: false }).events);
    mix.guest++;
  } else if (roll < 0.85) {
    const order = state.data.order(pick(state.data.orderCount));
    events.push(...mutate.refundOrder(order.id, 100 + pick(3_000), { deliver: false }).events);
    mix.refund++;
  } else {
    const order = state.data.order(pick(state.data.orderCount));
    if (order.cancelledAt !== null) continue;
    events.push(...mutate.cancelOrder(order.id, {}, { deliver: false }).events);
    mix.cancel++;
  }
}
// Signed requests built up front: signing is Shopify's work, not the app's.
const requests = events.map((e, i) => webhookRequest(shop, e.topic, e.payload, { webhookId: `bench-${i}` }));

progress(`webhooks: ${requests.length.toLocaleString("en")} deliveries through the webhooks route`);
const latencies: number[] = [];
const statuses = new Map<number, number>();
const started = performance.now();
const cpuBefore = process.cpuUsage();
for (const request of requests) {
  const t = performance.now();
  let status: number;
  try {
    status = (await action({ request, params: {}, context: {} })).status;
  } catch (thrown) {
    status = thrown instanceof Response ? thrown.status : 500;
  }
  latencies.push(performance.now() - t);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
}
const seconds = (performance.now() - started) / 1000;
await settled();
// CPU time of the deliveries and the background work they started (re-scoring): the wall time on a
// busy machine also holds the time this process waited for a core.
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

const check = await compareWithTruth(emulator, shop);
await emulator.close();
await db.$disconnect();
reportResult({
  size: meta.size,
  deliveries: requests.length,
  mix,
  seconds: round(seconds, 3),
  ordersPerSecond: round(requests.length / seconds, 1),
  cpuSeconds: round(cpuSeconds, 3),
  ordersPerCpuSecond: round(requests.length / cpuSeconds, 1),
  p50Ms: round(percentile(latencies, 50), 2),
  p99Ms: round(percentile(latencies, 99), 2),
  maxMs: round(Math.max(...latencies), 2),
  statuses: Object.fromEntries(statuses),
  check: {
    customersCompared: check.customersCompared,
    mismatches: check.mismatches.length,
    shopOrders: check.shopOrders,
    shopNetCents: check.shopNetCents,
  },
});
