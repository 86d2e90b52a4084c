/**
 * Child: discount issuance against the emulator's throttle. A one-day campaign for --codes consenting
 * customers; `runIssuance` records each decision, creates the code (discountCodeBasicCreate), writes the
 * customer's reward metafields and fires the Flow trigger — every call paying the emulator's cost model.
 * The bucket starts empty (--full-bucket to start full), so the run shows the sustained rate.
 * Audience codes share one discount, added 250 at a time (docs/decisions/021); --per-customer issues one
 * discount per code as before. --emulated-clock: every wait (the run's pacing, THROTTLED retries, polling a
 * bulk creation) advances the emulator's clock instead of sleeping, so a campaign to 10,000 or 100,000
 * customers is measured in the throttle's time (`seconds`) without waiting it out; `wallSeconds` is the
 * machine's time for the same run.
 * Theoretical maximum = restore rate ÷ points one code actually costs (summed from `extensions.cost`).
 *   DATABASE_URL=… tsx tests/bench/issuance-bench.ts --plan basic --codes 120
 */
import "./app-env";
import db from "../../app/db.server";
import { runIssuance } from "../../app/jobs/issuance.server";
import { applyFlowLifecycleNotice } from "../../app/models/flow-usage.server";
import { createRule } from "../../app/models/rules.server";
import { addDays, FLOW_TRIGGER_HANDLE, localDateAt, validateRuleInput } from "../../app/retention/rewards";
import { createAdminClient, type QueryCost } from "../../app/shopify/admin-client.server";
import { bulkMutationsCaughtUp } from "../emulator/bulk/mutation-runner";
import { fakeClock } from "../emulator/clock";
import type { PlanName } from "../emulator/throttle";
import { startEmulatedShopify, stopEmulatedShopify } from "../support/emulated-shopify";
import { argValue, progress, reportResult, round } from "./harness";

const plan = (argValue(process.argv, "--plan") ?? "basic") as PlanName;
const codes = Number(argValue(process.argv, "--codes") ?? 120);
const fullBucket = process.argv.includes("--full-bucket");
const perCustomer = process.argv.includes("--per-customer");
const emulatedClock = process.argv.includes("--emulated-clock") ? fakeClock(Date.now()) : null;
// The clock moves only once the emulator has run the bulk lines due so far (a bulk delivery, decision 024).
const sleep = emulatedClock
  ? async (ms: number) => {
      await bulkMutationsCaughtUp(emulator.shop(DOMAIN).bulk, emulatedClock.now);
      emulatedClock.advance(ms);
    }
  : undefined;
const clockNow = () => emulatedClock?.now() ?? Date.now();
const DOMAIN = `bench-issuance-${plan}.myshopify.com`;
const TZ = "Europe/Zagreb";

const emulator = await startEmulatedShopify({
  shops: [{ domain: DOMAIN, size: "empty", seed: 3, currency: "EUR", timeZone: TZ, plan }],
  ...(emulatedClock ? { clock: emulatedClock.now } : {}),
});
const state = emulator.shop(DOMAIN);
await db.shop.create({ data: { shop: state.domain, name: state.name, ianaTimezone: TZ, currencyCode: "EUR" } });
// A promotional code nothing would announce is withheld: the shop has the Flow workflow that sends it.
await applyFlowLifecycleNotice(state.domain, {
  flowTriggerDefinitionId: FLOW_TRIGGER_HANDLE,
  hasEnabledFlow: true,
  timestamp: new Date(0),
});

const calls: { operation: string; cost?: QueryCost; waitMs?: number }[] = [];
const client = createAdminClient(
  { shop: state.domain, accessToken: emulator.issueAccessToken(state.domain).accessToken },
  { log: (entry) => void calls.push(entry), ...(sleep ? { sleep } : {}) },
);

const today = localDateAt(new Date(), TZ);
const rule = validateRuleInput(
  {
    kind: "holidayCampaign",
    name: "Bench campaign",
    startsAt: today,
    endsAt: addDays(today, 3),
    audience: { type: "everyoneWithConsent" },
    reward: { type: "percentage", percentage: 10 },
  },
  { knownTiers: [] },
);
if (!rule.ok) throw new Error(`bench rule rejected: ${JSON.stringify(rule.fieldErrors)}`);
await createRule(state.domain, rule.rule);

progress(`issuance (${plan}): ${codes} customers`);
const mutate = emulator.mutate(state.domain);
const rows = [];
for (let i = 0; i < codes; i++) {
  if (rows.length === 5000) await db.customer.createMany({ data: rows.splice(0) });
  const { record } = mutate.createCustomer({ marketingState: "SUBSCRIBED" }, { deliver: false });
  rows.push({ shop: state.domain, shopifyId: `gid://shopify/Customer/${record.id}`, email: record.email, marketingState: "SUBSCRIBED" });
}
await db.customer.createMany({ data: rows });

if (!fullBucket) state.bucket.setAvailable(0);
const bucketAtStart = state.bucket.status();
progress(
  `issuance (${plan}): issuing ${codes} codes, bucket ${bucketAtStart.currentlyAvailable}/${bucketAtStart.maximumAvailable}, +${bucketAtStart.restoreRate}/s`,
);
const started = clockNow();
const wallStarted = performance.now();
const problems: string[] = [];
const summary = await runIssuance(state.domain, today, {
  client,
  log: (event) =>
    void (
      (event.step === "retryLater" || event.step === "fail") &&
      problems.length < 3 &&
      problems.push(`${event.step}: ${event.detail ?? ""}`)
    ),
  now: () => new Date(clockNow()),
  ...(sleep ? { sleep } : {}),
  ...(perCustomer ? { sharedDiscountMinCodes: Number.POSITIVE_INFINITY } : {}),
});
const wallSeconds = (performance.now() - wallStarted) / 1000;
// On the emulated clock only waits move time, so requests themselves take none: `seconds` is the throttle's time.
const seconds = emulatedClock ? (clockNow() - started) / 1000 : wallSeconds;

const answered = calls.filter((c) => c.waitMs === undefined);
const points = answered.reduce((sum, c) => sum + (c.cost?.actualQueryCost ?? c.cost?.requestedQueryCost ?? 0), 0);
const byOperation: Record<string, number> = {};
for (const c of answered) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
const pointsPerCode = summary.created ? points / summary.created : 0;
// Starting empty, every point spent had to be restored first; starting full, the bucket pays the first part.
const minimumSeconds = Math.max(0, points - bucketAtStart.currentlyAvailable) / bucketAtStart.restoreRate;
const achieved = summary.created / seconds;
const ceiling = minimumSeconds > 0 ? summary.created / minimumSeconds : null;
await stopEmulatedShopify(emulator);
await db.$disconnect();

reportResult({
  plan,
  restoreRate: bucketAtStart.restoreRate,
  bucketSize: bucketAtStart.maximumAvailable,
  bucketAtStart: bucketAtStart.currentlyAvailable,
  path: perCustomer ? "per-customer" : "shared",
  clock: emulatedClock ? "emulated" : "wall",
  customers: codes,
  codes: summary.created,
  delivered: summary.delivered,
  deliveredInBulk: summary.deliveredInBulk,
  failed: summary.failed + summary.retryLater,
  firstProblems: problems,
  seconds: round(seconds, 2),
  wallSeconds: round(wallSeconds, 2),
  pointsPer1000Customers: codes ? Math.round((points / codes) * 1000) : 0,
  codesPerSecond: round(achieved, 3),
  pointsPerCode: round(pointsPerCode, 1),
  requests: byOperation,
  throttledRetries: calls.length - answered.length,
  theoreticalCodesPerSecond: ceiling === null ? null : round(ceiling, 3),
  fractionOfMaximum: ceiling === null ? null : round(achieved / ceiling, 3),
});
