/**
 * Measures shop generation and bulk JSONL production per size, and peak RSS (not a test: run it by hand).
 *   npx tsx tests/emulator/bench-seed.ts [tiny small medium large]
 * Each size runs in its own child process so peak RSS is per size.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadAdminSchema } from "./schema";
import { startEmulator } from "./server";
import type { ShopSize } from "./seed/sizes";

const ORDERS_QUERY = `{
  orders(query: "status:any") {
    edges { node {
      id name processedAt createdAt updatedAt cancelledAt test
      totalPriceSet { shopMoney { amount currencyCode } }
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      totalRefundedSet { shopMoney { amount currencyCode } }
      customer {
        id updatedAt numberOfOrders amountSpent { amount currencyCode } tags
        defaultEmailAddress { emailAddress marketingState }
        birthDate: metafield(namespace: "facts", key: "birth_date") { value }
      }
    } }
  }
}`;

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function measure(size: ShopSize): Promise<void> {
  const schemaStart = performance.now();
  loadAdminSchema();
  const schemaMs = performance.now() - schemaStart;
  const started = performance.now();
  const emulator = await startEmulator({ apiKey: "bench", apiSecret: "bench-secret", shops: [{ domain: "bench", size, seed: 42 }] });
  const generatedMs = performance.now() - started;
  const shop = emulator.shop("bench");
  const token = emulator.issueAccessToken("bench");
  const bulkStart = performance.now();
  const { bulkOperation } = emulator.startBulkQuery(shop, token.info, ORDERS_QUERY, false);
  if (!bulkOperation) throw new Error("bulk query rejected");
  const op = await emulator.waitForBulkOperation("bench", bulkOperation.id);
  const jsonlMs = performance.now() - bulkStart;
  const downloadStart = performance.now();
  const url = emulator.bulkDownloadUrl(shop, op, "url");
  let bytes = 0;
  if (url) {
    const response = await fetch(url);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  }
  const downloadMs = performance.now() - downloadStart;
  const result = {
    size,
    customers: shop.data.customerCount,
    orders: shop.data.orderCount,
    schemaMs: Math.round(schemaMs),
    generateMs: Math.round(generatedMs),
    jsonlMs: Math.round(jsonlMs),
    linesPerSecond: Math.round(op.objectCount / (jsonlMs / 1000)),
    fileMB: mb(op.fileSize ?? 0),
    downloadMs: Math.round(downloadMs),
    downloadedMB: mb(bytes),
    peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
  };
  await emulator.close();
  console.log(JSON.stringify(result));
}

const child = process.env.KINSHIP_BENCH_CHILD as ShopSize | undefined;
if (child) {
  await measure(child);
} else {
  const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ["tiny", "small", "medium", "large"]) as ShopSize[];
  const self = fileURLToPath(import.meta.url);
  for (const size of sizes) {
    const run = spawnSync(process.execPath, ["--import", "tsx", self], {
      env: { ...process.env, KINSHIP_BENCH_CHILD: size },
      encoding: "utf8",
    });
    process.stdout.write(run.stdout);
    if (run.status !== 0) process.stderr.write(run.stderr);
  }
}
