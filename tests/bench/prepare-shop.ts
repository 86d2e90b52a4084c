/**
 * Child: generates one emulator shop and exports it with the app's backfill bulk query into
 * tests/.tmp/bench/data (JSONL + per-customer truth + meta). Reports the meta, including the
 * emulator's own time and peak RSS (issue 3: the large shop must stay under 1.5 GiB).
 *   tsx tests/bench/prepare-shop.ts --size large
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BACKFILL_BULK_QUERY } from "../../app/shopify/queries/bulk";
import { loadAdminSchema } from "../emulator/schema";
import { startEmulator } from "../emulator/server";
import { peakRssMB, progress, reportResult, requireArg, round, type BenchSize } from "./harness";
import { benchShopDomain, DATA_DIR, metaPath, SHOP_SEEDS, todayUtc, type CustomerTruthRow, type ShopDataMeta } from "./shop-data";

const size = requireArg(process.argv, "--size") as BenchSize;
const asOf = todayUtc();
const { seed, currency, timeZone } = SHOP_SEEDS[size];
const domain = benchShopDomain(size);
const workDir = path.join(DATA_DIR, `tmp-${process.pid}`);
mkdirSync(workDir, { recursive: true });

let started = performance.now();
loadAdminSchema();
const schemaMs = performance.now() - started;

progress(`generating the ${size} shop (seed ${seed}, as of ${asOf})`);
started = performance.now();
const emulator = await startEmulator({
  apiKey: "bench",
  apiSecret: "bench-secret",
  bulkDirectory: workDir,
  shops: [{ domain, size, seed, currency, timeZone, asOf }],
});
const generateMs = performance.now() - started;
const shop = emulator.shop(domain);
const token = emulator.issueAccessToken(domain);

progress(`writing the ${size} shop's backfill JSONL`);
started = performance.now();
const { bulkOperation, userErrors } = emulator.startBulkQuery(shop, token.info, BACKFILL_BULK_QUERY, false);
if (!bulkOperation) throw new Error(`The emulator refused the backfill query: ${JSON.stringify(userErrors)}`);
const op = await emulator.waitForBulkOperation(domain, bulkOperation.id);
const jsonlMs = performance.now() - started;
if (op.status !== "COMPLETED" || !op.filePath) throw new Error(`Bulk operation ended ${op.status}`);
const emulatorPeak = peakRssMB();

const base = path.join(DATA_DIR, `${size}-${seed}-${asOf}`);
const jsonlFile = `${base}.jsonl`;
renameSync(op.filePath, jsonlFile);

const truth = shop.truth();
const rows: CustomerTruthRow[] = [];
for (const [id, c] of truth.customers) if (c.orders > 0) rows.push([id, c.orders, c.netSpendCents]);
const truthFile = `${base}.truth.json`;
writeFileSync(truthFile, JSON.stringify(rows));

const meta: ShopDataMeta = {
  size,
  domain,
  seed,
  asOf,
  currency: shop.currency,
  timeZone: shop.timeZone,
  customers: shop.data.customerCount,
  orders: shop.data.orderCount,
  jsonlFile,
  truthFile,
  fileMB: round(statSync(jsonlFile).size / 1024 / 1024, 1),
  lines: op.objectCount,
  truth: {
    shopOrders: truth.shop.orders,
    shopNetCents: truth.shop.netSpendCents,
    customersWithOrders: rows.length,
    guestOrders: truth.guest.orders,
  },
  emulator: { schemaMs: Math.round(schemaMs), generateMs: Math.round(generateMs), jsonlMs: Math.round(jsonlMs), peakRssMB: emulatorPeak },
};
writeFileSync(metaPath(size, asOf), JSON.stringify(meta, null, 2));
await emulator.close();
rmSync(workDir, { recursive: true, force: true });
reportResult(meta);
