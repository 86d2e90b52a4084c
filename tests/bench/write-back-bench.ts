/**
 * Child: the first write-back of --customers scored customers (kinship: tags and the five value metafields)
 * against the emulator's throttle, bucket starting empty, on the emulated clock: every wait (the admin client's
 * THROTTLED retries, polling a bulk operation) advances the emulator's clock, and a bulk mutation's lines run at
 * the emulator's rate (--lines-per-second, default the emulator's own: tests/emulator/bulk/mutation-runner.ts),
 * so `seconds` is Shopify's time for the write-back without waiting it out; `wallSeconds` is this machine's.
 * --mode bulk (the first write-back after a backfill, decision 024) or --mode direct (one customer at a time, as before).
 *   DATABASE_URL=… tsx tests/bench/write-back-bench.ts --customers 10000 --mode bulk
 */
import "./app-env";
import db from "../../app/db.server";
import { writeBackTags } from "../../app/jobs/write-back-tags.server";
import { LIFECYCLE_GROUPS } from "../../app/retention/segments/lifecycle";
import { RFM_SEGMENTS } from "../../app/retention/segments/rfm";
import { createAdminClient, type QueryCost } from "../../app/shopify/admin-client.server";
import { bulkMutationsCaughtUp } from "../emulator/bulk/mutation-runner";
import { fakeClock } from "../emulator/clock";
import type { PlanName } from "../emulator/throttle";
import { startEmulatedShopify, stopEmulatedShopify } from "../support/emulated-shopify";
import { argValue, progress, reportResult, round } from "./harness";

const plan = (argValue(process.argv, "--plan") ?? "basic") as PlanName;
const customers = Number(argValue(process.argv, "--customers") ?? 1_000);
const mode = (argValue(process.argv, "--mode") ?? "bulk") as "bulk" | "direct";
const linesPerSecond = argValue(process.argv, "--lines-per-second");
const clock = fakeClock(Date.now());
const DOMAIN = `bench-write-back-${plan}.myshopify.com`;

const emulator = await startEmulatedShopify({
  shops: [{ domain: DOMAIN, size: "empty", seed: 5, currency: "EUR", timeZone: "UTC", plan }],
  clock: clock.now,
  apiWritesEmitWebhooks: false,
});
const state = emulator.shop(DOMAIN);
// The clock moves only once the emulator has run the bulk lines due so far.
const sleep = async (ms: number) => {
  await bulkMutationsCaughtUp(state.bulk, clock.now);
  clock.advance(ms);
};
if (linesPerSecond) state.bulk.controls.mutationLinesPerSecond = Number(linesPerSecond);
await db.shop.create({ data: { shop: state.domain, name: state.name, ianaTimezone: "UTC", currencyCode: "EUR" } });

progress(`write-back (${mode}, ${plan}): ${customers} customers`);
const mutate = emulator.mutate(state.domain);
const tiers = ["Bronze", "Silver", "Gold", null];
let rows = [];
for (let i = 0; i < customers; i++) {
  if (rows.length === 5000) {
    await db.customer.createMany({ data: rows });
    rows = [];
  }
  const { record } = mutate.createCustomer({}, { deliver: false });
  rows.push({
    shop: state.domain,
    shopifyId: `gid://shopify/Customer/${record.id}`,
    lifecycle: LIFECYCLE_GROUPS[i % LIFECYCLE_GROUPS.length],
    tier: tiers[i % tiers.length],
    predictedClv: 20 + (i % 500),
    pAlive: ((i * 37) % 1000) / 1000,
    rfmSegment: RFM_SEGMENTS[i % RFM_SEGMENTS.length],
  });
}
await db.customer.createMany({ data: rows });

const calls: { operation: string; cost?: QueryCost; waitMs?: number }[] = [];
const client = createAdminClient(
  { shop: state.domain, accessToken: emulator.issueAccessToken(state.domain).accessToken },
  { log: (entry) => void calls.push(entry), sleep },
);
state.bucket.setAvailable(0);
const bucket = state.bucket.status();
const started = clock.now();
const wallStarted = performance.now();
const result = await writeBackTags(state.domain, client, { mode, sleep, now: () => new Date(clock.now()) });
const wallSeconds = (performance.now() - wallStarted) / 1000;
const seconds = (clock.now() - started) / 1000;

const answered = calls.filter((c) => c.waitMs === undefined);
const points = answered.reduce((sum, c) => sum + (c.cost?.actualQueryCost ?? c.cost?.requestedQueryCost ?? 0), 0);
const requests: Record<string, number> = {};
for (const c of answered) requests[c.operation] = (requests[c.operation] ?? 0) + 1;
const bulkOps = state.bulk.all().filter((op) => op.type === "MUTATION");
const bulkLines = bulkOps.reduce((n, op) => n + op.objectCount, 0);
await stopEmulatedShopify(emulator);
await db.$disconnect();

reportResult({
  plan,
  mode,
  restoreRate: bucket.restoreRate,
  customers,
  customersChanged: result.customersChanged,
  tagsAdded: result.tagsAdded,
  valuesWritten: result.valuesWritten,
  failures: result.failures.length,
  bulkOperations: bulkOps.length,
  bulkLines,
  linesPerSecond: state.bulk.controls.mutationLinesPerSecond,
  seconds: round(seconds, 1),
  wallSeconds: round(wallSeconds, 1),
  pointsPer1000Customers: customers ? Math.round((points / customers) * 1000) : 0,
  requests,
  throttledRetries: calls.length - answered.length,
});
