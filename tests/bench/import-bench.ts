/**
 * Child: one JSONL → database import of a prepared emulator shop into the (fresh, migrated) database in
 * DATABASE_URL, through the app's `importBulkFile` — streaming download, parse, batched upserts, and the
 * customer aggregates at the end. Then checks the result against the emulator's truth for every customer.
 *   DATABASE_URL=… tsx tests/bench/import-bench.ts --meta tests/.tmp/bench/data/medium-….json
 */
import "./app-env";
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import db from "../../app/db.server";
import { importBulkFile } from "../../app/jobs/backfill.server";
import { createSyncRun } from "../../app/models/sync-runs.server";
import { peakRssMB, progress, reportResult, requireArg, round } from "./harness";
import { serveFile } from "./serve-file";
import type { CustomerTruthRow, ShopDataMeta } from "./shop-data";

const meta = JSON.parse(readFileSync(requireArg(process.argv, "--meta"), "utf8")) as ShopDataMeta;
const shop = meta.domain;

await db.shop.create({ data: { shop, name: `Bench ${meta.size}`, currencyCode: meta.currency, ianaTimezone: meta.timeZone } });
const run = await createSyncRun(shop, "backfill");
const file = await serveFile(meta.jsonlFile);
const rssBeforeMB = Math.round(process.memoryUsage().rss / 1024 / 1024);

progress(`importing ${meta.lines.toLocaleString("en")} orders (${meta.size}, ${process.env.DATABASE_URL?.split(":")[0]})`);
const started = performance.now();
const cpuBefore = process.cpuUsage();
await importBulkFile(shop, run.id, file.url);
const seconds = (performance.now() - started) / 1000;
// CPU time of this process (user + system) over the import: less sensitive to a busy machine than the
// wall time (the file is served by another process, so this is the importer's alone).
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peak = peakRssMB();
await file.close();

// This machine's ceiling for the same lines: read and JSON.parse only, no mapping and no database
// (first 100,000 lines). The import can't beat it; comparing the two separates machine speed from code.
const parseStarted = performance.now();
let parsed = 0;
for await (const line of createInterface({ input: createReadStream(meta.jsonlFile, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
  if (line) JSON.parse(line);
  if (++parsed >= 100_000) break;
}
const parseOnlyPerSecond = Math.round(parsed / ((performance.now() - parseStarted) / 1000));

// Correctness of what was timed: every customer's count and net spend, and the shop's totals.
const finished = await db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
const truth = JSON.parse(readFileSync(meta.truthFile, "utf8")) as CustomerTruthRow[];
const stored = new Map(
  (await db.customer.findMany({ where: { shop }, select: { shopifyId: true, orderCount: true, totalSpent: true } })).map((c) => [
    c.shopifyId,
    c,
  ]),
);
let mismatches = 0;
for (const [id, orders, netCents] of truth) {
  const row = stored.get(id);
  if (!row || row.orderCount !== orders || Math.round(row.totalSpent * 100) !== netCents) mismatches++;
}
const totals = await db.order.aggregate({
  where: { shop, test: false, cancelledAt: null },
  _count: { _all: true },
  _sum: { netTotal: true },
});
const ordersInDb = await db.order.count({ where: { shop } });
await db.$disconnect();

reportResult({
  size: meta.size,
  status: finished.status,
  orders: finished.ordersCount,
  ordersInDb,
  customersInDb: stored.size,
  seconds: round(seconds, 3),
  ordersPerSecond: Math.round(finished.ordersCount / seconds),
  cpuSeconds: round(cpuSeconds, 3),
  ordersPerCpuSecond: Math.round(finished.ordersCount / cpuSeconds),
  parseOnlyPerSecond,
  peakRssMB: peak,
  rssBeforeImportMB: rssBeforeMB,
  check: {
    customersCompared: truth.length,
    mismatches,
    shopOrders: { db: totals._count._all, shopify: meta.truth.shopOrders },
    shopNetCents: { db: Math.round((totals._sum.netTotal ?? 0) * 100), shopify: meta.truth.shopNetCents },
  },
});
