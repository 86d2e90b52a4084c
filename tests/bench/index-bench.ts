/**
 * Child: the customers index loader (`listCustomers`) on a synced and scored shop (database in
 * DATABASE_URL). The backfill only brings customers who ordered; the shop's other customers (who come
 * through customers/create webhooks) are written directly, unscored, to reach --customers rows.
 * Each scenario: warm-up calls, then --iterations timed calls → p50 / p95.
 *   DATABASE_URL=… tsx tests/bench/index-bench.ts --meta <meta.json> --customers 200000 --iterations 100
 */
import "./app-env";
import { readFileSync } from "node:fs";
import db from "../../app/db.server";
import { encodeCursor, listCustomers, type CustomerListParams } from "../../app/models/views/customer-index.server";
import { argValue, percentile, progress, reportResult, requireArg, round } from "./harness";
import type { ShopDataMeta } from "./shop-data";

const meta = JSON.parse(readFileSync(requireArg(process.argv, "--meta"), "utf8")) as ShopDataMeta;
const target = Number(argValue(process.argv, "--customers") ?? 200_000);
const iterations = Number(argValue(process.argv, "--iterations") ?? 100);
const shop = meta.domain;

const synced = await db.customer.count({ where: { shop } });
let added = 0;
if (synced < target) {
  progress(`adding ${(target - synced).toLocaleString("en")} customers without orders (${synced.toLocaleString("en")} synced)`);
  const batch = 5_000;
  for (let start = synced; start < target; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(target, start + batch); i++) {
      rows.push({
        shop,
        shopifyId: `gid://shopify/Customer/${9_000_000_000 + i}`,
        email: `subscriber${i}@example.org`,
        firstName: ["Oksana", "Marko", "Ivana", "Taras", "Ana"][i % 5],
        lastName: ["Kovalenko", "Horvat", "Babić", "Melnyk", "Novak"][i % 5],
        marketingState: i % 3 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      });
    }
    await db.customer.createMany({ data: rows });
    added += rows.length;
  }
}
const customers = await db.customer.count({ where: { shop } });

// The deep page: the page after row ~150,000 of the default order (last order, newest first).
const withOrders = await db.customer.count({ where: { shop, lastOrderAt: { not: null } } });
const depth = Math.min(150_000, Math.floor(withOrders * 0.8));
const [deepRow] = await db.customer.findMany({
  where: { shop, lastOrderAt: { not: null } },
  orderBy: [{ lastOrderAt: "desc" }, { id: "desc" }],
  skip: depth,
  take: 1,
  select: { id: true, lastOrderAt: true },
});
const deepCursor = encodeCursor("lastOrderAt", "desc", deepRow.lastOrderAt, deepRow.id);

// The page as the index shows it: 50 rows and the total ("12,345 customers").
const scenarios: { key: string; label: string; params: CustomerListParams }[] = [
  { key: "first", label: "first page (sorted by last order)", params: { withTotal: true } },
  { key: "firstNoTotal", label: "first page without the total count", params: {} },
  {
    key: "filtered",
    label: "filtered page (Lapsed, P(alive) ≤ 50%, by predicted CLV)",
    params: { lifecycle: ["lapsed"], pAliveMax: 0.5, sort: "predictedClv", direction: "desc", withTotal: true },
  },
  { key: "deep", label: `deep page (cursor after row ${depth.toLocaleString("en")})`, params: { after: deepCursor, withTotal: true } },
  { key: "search", label: 'search by name ("horvat")', params: { query: "horvat", withTotal: true } },
];

const results: Record<string, unknown> = {};
for (const scenario of scenarios) {
  progress(`customers index: ${scenario.label}`);
  let page = await listCustomers(shop, { ...scenario.params });
  for (let i = 0; i < 4; i++) page = await listCustomers(shop, { ...scenario.params });
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    page = await listCustomers(shop, { ...scenario.params });
    times.push(performance.now() - started);
  }
  if (!page.customers.length) throw new Error(`${scenario.key}: the page came back empty`);
  if (scenario.key === "deep" && page.customers.some((c) => c.lastOrderAt && deepRow.lastOrderAt && c.lastOrderAt > deepRow.lastOrderAt)) {
    throw new Error("deep page: rows before the cursor came back");
  }
  results[scenario.key] = {
    label: scenario.label,
    p50: round(percentile(times, 50), 2),
    p95: round(percentile(times, 95), 2),
    max: round(Math.max(...times), 2),
    rows: page.customers.length,
    total: page.total,
  };
}
await db.$disconnect();
reportResult({ size: meta.size, customers, synced, added, iterations, scenarios: results });
