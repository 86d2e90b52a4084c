/**
 * Child: GET /api/my-rewards (issue #16) through the real route — the library's session-token check, the
 * per-customer limiter, the read model, the page-load record — on a shop of --customers customers
 * (database in DATABASE_URL): 3 orders each, a loyalty program counting the last 12 months (the costliest
 * tier read), two ledger rows each (one live code, one over), every fourth customer with a survey answer
 * and a birthday consent, every second with a stored tier. The shop grants no store credit: that part is
 * a Shopify call (its own 1.5 s budget), not the database's. Random customers, warm-up calls, then
 * --requests timed calls → p50 / p95 / max; the query plans of the page's reads are reported too.
 *   DATABASE_URL=… tsx tests/bench/my-rewards-bench.ts --customers 200000 --requests 400
 */
import "./app-env";
import db from "../../app/db.server";
import { dialect } from "../../app/models/sql/sql.server";
import { createMyRewardsEndpoint } from "../../app/routes/api.my-rewards";
import { createMyRewardsRateLimiter } from "../../app/models/rate-limit.server";
import { idempotencyKey, validateRuleInput } from "../../app/retention/rewards";
import { createRule } from "../../app/models/rules.server";
import { signCustomerAccountToken } from "../emulator/session-token";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../support/test-env";
import { argValue, percentile, progress, reportResult, round } from "./harness";

const customers = Number(argValue(process.argv, "--customers") ?? 200_000);
const requests = Number(argValue(process.argv, "--requests") ?? 400);
const shop = "bench-my-rewards.myshopify.com";
const now = new Date();
const DAY = 86_400_000;
const BATCH = 5_000;
const gidOf = (i: number) => `gid://shopify/Customer/${7_000_000_000 + i}`;

async function rule(input: Record<string, unknown>): Promise<string> {
  const result = validateRuleInput(input, { knownTiers: [] });
  if (!result.ok) throw new Error(`bench rule invalid: ${JSON.stringify(result.fieldErrors)}`);
  return createRule(shop, result.rule);
}

async function inBatches(label: string, count: number, make: (i: number) => unknown[], write: (rows: never[]) => Promise<unknown>) {
  progress(`writing ${label}`);
  for (let start = 0; start < count; start += BATCH) {
    const rows: unknown[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) rows.push(...make(i));
    await write(rows as never[]);
  }
}

await db.shop.create({ data: { shop, name: "Bench", currencyCode: "UAH", ianaTimezone: "Europe/Kyiv" } });
const tierRule = await rule({
  kind: "loyaltyTiers",
  name: "Club",
  metric: "netSpend",
  window: "rolling12m",
  tiers: [
    { name: "Silver", threshold: 200, reward: null },
    { name: "Gold", threshold: 600, reward: { type: "percentage", percentage: 10 } },
  ],
});
const winbackRule = await rule({ kind: "winback", name: "Come back", reward: { type: "fixedAmount", amount: 100 }, minimumSubtotal: 500 });
await rule({ kind: "birthday", name: "Gift", reward: { type: "percentage", percentage: 15 } });

await inBatches(
  `${customers.toLocaleString("en")} customers`,
  customers,
  (i) => [
    {
      shop,
      shopifyId: gidOf(i),
      email: `c${i}@example.org`,
      orderCount: 3,
      totalSpent: 90 * (i % 11),
      birthday: i % 4 ? null : "1990-05-17",
    },
  ],
  (rows) => db.customer.createMany({ data: rows }),
);
await inBatches(
  `${(customers * 3).toLocaleString("en")} orders`,
  customers,
  (i) =>
    [0, 1, 2].map((k) => ({
      shop,
      shopifyId: `gid://shopify/Order/${8_000_000_000 + i * 3 + k}`,
      customerShopifyId: gidOf(i),
      processedAt: new Date(now.getTime() - (k * 200 + (i % 90)) * DAY),
      totalPrice: 30 * (i % 11),
      netTotal: 30 * (i % 11),
      currencyCode: "UAH",
    })),
  (rows) => db.order.createMany({ data: rows }),
);
await inBatches(
  `${(customers * 2).toLocaleString("en")} ledger rows`,
  customers,
  (i) =>
    ["2026-10", "2026-11"].map((period, k) => ({
      shop,
      ruleId: winbackRule,
      customerShopifyId: gidOf(i),
      idempotencyKey: idempotencyKey(winbackRule, gidOf(i), period),
      code: `KIN-${i}-${k}`,
      status: "delivered",
      kind: "issue",
      rewardType: "fixedAmount",
      startsAt: new Date(now.getTime() - 40 * DAY),
      endsAt: new Date(now.getTime() + (k ? 20 : -5) * DAY),
      createdAt: new Date(now.getTime() - (40 - k * 20) * DAY),
    })),
  (rows) => db.issuedDiscount.createMany({ data: rows }),
);
await inBatches(
  "answers, consents and tiers",
  customers,
  (i) =>
    i % 2
      ? []
      : [
          { kind: "tier", i },
          ...(i % 4
            ? []
            : [
                { kind: "answer", i },
                { kind: "consent", i },
              ]),
        ],
  async (rows: Array<{ kind: string; i: number }>) => {
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.i);
    await db.customerTier.createMany({
      data: of("tier").map((i) => ({ shop, ruleId: tierRule, customerShopifyId: gidOf(i), tier: "Silver", since: "2026-01-01" })),
    });
    await db.feedback.createMany({
      data: of("answer").map((i) => ({
        shop,
        orderShopifyId: `gid://shopify/Order/${8_000_000_000 + i * 3}`,
        customerShopifyId: gidOf(i),
        score: i % 11,
        reasons: "delivery",
        comment: "Bench answer",
      })),
    });
    await db.consentRecord.createMany({
      data: of("consent").map((i) => ({
        shop,
        customerShopifyId: gidOf(i),
        purpose: "birthday",
        granted: true,
        source: "checkoutSurvey",
        givenAt: new Date(now.getTime() - 90 * DAY),
      })),
    });
  },
);

// The plans of the page's reads: each must use an index on (shop, customer, …), never scan the shop.
const sample = gidOf(Math.floor(customers / 3));
const reads: Record<string, string> = {
  customer: `SELECT "totalSpent" FROM "Customer" WHERE "shop" = '${shop}' AND "shopifyId" = '${sample}'`,
  rollingOrders: `SELECT SUM("netTotal"), COUNT(*) FROM "Order" WHERE "shop" = '${shop}' AND "customerShopifyId" = '${sample}' AND "test" = ${dialect === "sqlite" ? 0 : "false"} AND "cancelledAt" IS NULL AND "processedAt" >= '2025-12-01'`,
  tier: `SELECT "tier" FROM "CustomerTier" WHERE "shop" = '${shop}' AND "ruleId" = '${tierRule}' AND "customerShopifyId" = '${sample}'`,
  liveCodes: `SELECT "code" FROM "IssuedDiscount" WHERE "shop" = '${shop}' AND "customerShopifyId" = '${sample}' AND "kind" = 'issue' AND "status" IN ('created', 'delivered') AND "redeemedAt" IS NULL ORDER BY "createdAt" DESC LIMIT 20`,
  consent: `SELECT "granted" FROM "ConsentRecord" WHERE "shop" = '${shop}' AND "customerShopifyId" = '${sample}' AND "purpose" = 'birthday' ORDER BY "givenAt" DESC LIMIT 1`,
  answers: `SELECT "score" FROM "Feedback" WHERE "shop" = '${shop}' AND "customerShopifyId" = '${sample}' ORDER BY "createdAt" DESC LIMIT 10`,
};
// Fresh statistics, as a live database has them (both dialects take the bare statement).
await db.$executeRawUnsafe("ANALYZE");
const plans: Record<string, string> = {};
for (const [name, sql] of Object.entries(reads)) {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`${dialect === "sqlite" ? "EXPLAIN QUERY PLAN" : "EXPLAIN"} ${sql}`);
  plans[name] = rows.map((r) => String(r.detail ?? r["QUERY PLAN"] ?? JSON.stringify(r))).join(" | ");
  progress(`plan ${name}: ${plans[name]}`);
}
// A read that walks a table or a whole index: SQLite's "SCAN" (a keyed read is "SEARCH"), PostgreSQL's "Seq Scan".
const scans = Object.entries(plans).filter(([, plan]) => /\bSCAN (?!CONSTANT)/.test(plan) || /Seq Scan/.test(plan));

const { loader } = createMyRewardsEndpoint({
  limiter: createMyRewardsRateLimiter({
    shopAttempts: { limit: 1_000_000, windowMs: 60_000 },
    customerAttempts: { limit: 1_000_000, windowMs: 60_000 },
    customerWrites: { limit: 1, windowMs: 60_000 },
  }),
  adminClient: () => Promise.reject(new Error("the bench shop grants no store credit")),
  log: () => {},
});
const get = async (i: number) => {
  const token = signCustomerAccountToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, customerId: gidOf(i) });
  const request = new Request(`${TEST_APP_URL}/api/my-rewards`, {
    headers: { Authorization: `Bearer ${token}`, Origin: "https://extensions.shopifycdn.com", "User-Agent": "Mozilla/5.0 (bench)" },
  });
  const response = await loader({ request, params: {}, context: {} });
  if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
  return (await response.json()) as { codes: unknown[]; tier: unknown };
};

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
progress(`GET /api/my-rewards: 20 warm-up + ${requests} timed requests`);
for (let i = 0; i < 20; i++) await get(Math.floor(random() * customers));
const times: number[] = [];
let codes = 0;
for (let n = 0; n < requests; n++) {
  const i = Math.floor(random() * customers);
  const started = performance.now();
  const body = await get(i);
  times.push(performance.now() - started);
  codes += body.codes.length;
}
if (codes !== requests) throw new Error(`expected one live code per customer, got ${codes} over ${requests} requests`);
await db.$disconnect();
reportResult({
  customers,
  requests,
  p50: round(percentile(times, 50), 2),
  p95: round(percentile(times, 95), 2),
  max: round(Math.max(...times), 2),
  plans,
  scans: scans.map(([name]) => name),
});
