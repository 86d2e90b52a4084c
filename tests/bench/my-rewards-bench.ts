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
import { dialect, placeholder, sqlTimestamp } from "../../app/models/sql/sql.server";
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
const gidOf = (i: number) => `gid://shopify/Customer/${7_000_000_000 + i}`;

async function rule(input: Record<string, unknown>): Promise<string> {
  const result = validateRuleInput(input, { knownTiers: [] });
  if (!result.ok) throw new Error(`bench rule invalid: ${JSON.stringify(result.fieldErrors)}`);
  return createRule(shop, result.rule);
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

// Rows are written set-based (one INSERT … SELECT over a counter per table): row by row, a loaded machine
// took 35 minutes to write what is read in seconds.
const P = (n: number) => `{${n}}`;
const ts = (d: Date) => sqlTimestamp(d);
const yes = dialect === "sqlite" ? 1 : true;
const no = dialect === "sqlite" ? 0 : false;
async function insertFromCounter(label: string, count: number, table: string, columns: string[], values: string, params: unknown[]) {
  progress(`writing ${label}`);
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  // {n} is the n-th parameter; SQLite's "?" are positional, so a reused one is passed again.
  const ordered: unknown[] = [];
  const select = values.replace(/\{(\d+)\}/g, (_m, n: string) => {
    if (dialect === "postgresql") return `$${n}`;
    ordered.push(params[Number(n) - 1]);
    return placeholder(ordered.length);
  });
  await db.$executeRawUnsafe(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
     INSERT INTO "${table}" (${quoted}) SELECT ${select} FROM n`,
    ...(dialect === "postgresql" ? params : ordered),
  );
}
const gidSql = "'gid://shopify/Customer/' || (7000000000 + i)";
await insertFromCounter(
  `${customers.toLocaleString("en")} customers`,
  customers,
  "Customer",
  ["id", "shop", "shopifyId", "email", "orderCount", "totalSpent", "birthday", "tags", "tagVersions", "createdAt", "updatedAt"],
  `'cust' || i, ${P(1)}, ${gidSql}, 'c' || i || '@example.org', 3, 90 * (i % 11), CASE WHEN i % 4 = 0 THEN '1990-05-17' ELSE NULL END, '', '{}', ${P(2)}, ${P(2)}`,
  [shop, ts(now)],
);
for (const k of [0, 1, 2]) {
  await insertFromCounter(
    `${customers.toLocaleString("en")} orders (${k + 1} of 3 per customer)`,
    customers,
    "Order",
    [
      "id",
      "shop",
      "shopifyId",
      "customerShopifyId",
      "processedAt",
      "totalPrice",
      "totalRefunded",
      "netTotal",
      "currencyCode",
      "test",
      "discountCodes",
      "totalDiscounts",
      "createdAt",
      "updatedAt",
    ],
    `'ord${k}-' || i, ${P(1)}, 'gid://shopify/Order/' || (8000000000 + i * 3 + ${k}), ${gidSql}, ${P(2)}, 30 * (i % 11), 0, 30 * (i % 11), 'UAH', ${P(3)}, '', 0, ${P(4)}, ${P(4)}`,
    [shop, ts(new Date(now.getTime() - (k * 200 + 30) * DAY)), no, ts(now)],
  );
}
for (const [k, period] of ["2026-10", "2026-11"].entries()) {
  await insertFromCounter(
    `${customers.toLocaleString("en")} ledger rows (${k ? "live" : "over"})`,
    customers,
    "IssuedDiscount",
    [
      "id",
      "shop",
      "ruleId",
      "customerShopifyId",
      "idempotencyKey",
      "code",
      "status",
      "kind",
      "rewardType",
      "startsAt",
      "endsAt",
      "createdAt",
      "updatedAt",
    ],
    // The key as idempotencyKey() builds it: rule, customer GID with its ':' escaped, period (checked below).
    `'led${k}-' || i, ${P(1)}, ${P(2)}, ${gidSql}, ${P(2)} || ':gid%3A//shopify/Customer/' || (7000000000 + i) || ':' || ${P(3)}, 'KIN-' || i || '-${k}', 'delivered', 'issue', 'fixedAmount', ${P(4)}, ${P(5)}, ${P(6)}, ${P(6)}`,
    [
      shop,
      winbackRule,
      period,
      ts(new Date(now.getTime() - 40 * DAY)),
      ts(new Date(now.getTime() + (k ? 20 : -5) * DAY)),
      ts(new Date(now.getTime() - (40 - k * 20) * DAY)),
    ],
  );
}
if (idempotencyKey(winbackRule, gidOf(0), "2026-11") !== `${winbackRule}:gid%3A//shopify/Customer/7000000000:2026-11`)
  throw new Error("the ledger key format changed");
await insertFromCounter(
  "stored tiers (every second customer)",
  customers / 2,
  "CustomerTier",
  ["id", "shop", "ruleId", "customerShopifyId", "tier", "since", "history", "updatedAt"],
  `'tier' || i, ${P(1)}, ${P(2)}, 'gid://shopify/Customer/' || (7000000000 + i * 2), 'Silver', '2026-01-01', '[]', ${P(3)}`,
  [shop, tierRule, ts(now)],
);
await insertFromCounter(
  "survey answers (every fourth customer)",
  customers / 4,
  "Feedback",
  ["id", "shop", "orderShopifyId", "customerShopifyId", "score", "reasons", "comment", "status", "source", "createdAt", "updatedAt"],
  `'fb' || i, ${P(1)}, 'gid://shopify/Order/' || (8000000000 + i * 12), 'gid://shopify/Customer/' || (7000000000 + i * 4), i % 11, 'delivery', 'Bench answer', 'open', 'checkout', ${P(2)}, ${P(2)}`,
  [shop, ts(now)],
);
await insertFromCounter(
  "birthday consents (every fourth customer)",
  customers / 4,
  "ConsentRecord",
  ["id", "shop", "customerShopifyId", "purpose", "granted", "source", "givenAt", "createdAt"],
  `'cons' || i, ${P(1)}, 'gid://shopify/Customer/' || (7000000000 + i * 4), 'birthday', ${P(2)}, 'checkoutSurvey', ${P(3)}, ${P(3)}`,
  [shop, yes, ts(new Date(now.getTime() - 90 * DAY))],
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
    headers: {
      Authorization: `Bearer ${token}`,
      Origin: "https://extensions.shopifycdn.com",
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    },
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
