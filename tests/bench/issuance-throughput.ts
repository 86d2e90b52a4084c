/**
 * Measures issuance throughput against the emulator's throttle (not a test: no timing is asserted).
 *   npx tsx tests/bench/issuance-throughput.ts [codes=200] [plan=basic]
 * Plans are the emulator's PLAN_LIMITS (basic 2000 points / 100 per s, advanced 4000 / 200, plus 20000 / 1000).
 */
import { rmSync, mkdirSync } from "node:fs";
import "../support/test-env";

const codes = Number(process.argv[2] ?? 200);
const plan = (process.argv[3] ?? "basic") as "basic" | "advanced" | "plus" | "legacy";
const url = "file:./tests/.tmp/rewards-throughput.sqlite";
process.env.DATABASE_URL = url;
mkdirSync("tests/.tmp", { recursive: true });
rmSync(url.slice("file:".length), { force: true });

const { migrate } = await import("../../scripts/migrate");
await migrate(url, { quiet: true });
const { default: db } = await import("../../app/db.server");
const { runIssuance } = await import("../../app/jobs/issuance.server");
const { addDays, localDateAt } = await import("../../app/retention/rewards");
const { startEmulatedShopify, stopEmulatedShopify } = await import("../support/emulated-shopify");
const { addCustomer, addRule, setUpShop } = await import("../support/rules");

const DOMAIN = "rewards-throughput.myshopify.com";
const emulator = await startEmulatedShopify({
  shops: [{ domain: DOMAIN, size: "empty", seed: 1, currency: "USD", timeZone: "UTC", plan }],
});
let waits = 0;
let waitedMs = 0;
const s = await setUpShop(emulator, DOMAIN, {
  timeZone: "UTC",
  currencyCode: "USD",
  clientOptions: { log: (e) => void (e.waitMs !== undefined && (waits++, (waitedMs += e.waitMs))) },
});
const today = localDateAt(new Date(), "UTC");
await addRule(s.shop, {
  kind: "holidayCampaign",
  name: "Bench",
  startsAt: today,
  endsAt: addDays(today, 3),
  audience: { type: "everyoneWithConsent" },
  reward: { type: "percentage", percentage: 10 },
});
for (let i = 0; i < codes; i++) await addCustomer(emulator, s.shop);

const started = performance.now();
const summary = await runIssuance(s.shop, today, { client: s.client });
const seconds = (performance.now() - started) / 1000;
const bucket = emulator.shop(DOMAIN).bucket.status();
console.log(
  JSON.stringify(
    {
      plan,
      bucket: { maximumAvailable: bucket.maximumAvailable, restoreRate: bucket.restoreRate },
      codes: summary.created,
      delivered: summary.delivered,
      failed: summary.failed + summary.retryLater,
      seconds: Math.round(seconds * 100) / 100,
      codesPerSecond: Math.round((summary.created / seconds) * 100) / 100,
      throttledWaits: waits,
      waitedSeconds: Math.round(waitedMs / 10) / 100,
    },
    null,
    2,
  ),
);
await stopEmulatedShopify(emulator);
await db.$disconnect();
