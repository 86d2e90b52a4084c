import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { importBulkFile } from "../../../app/jobs/backfill.server";
import { settled } from "../../../app/jobs/background.server";
import { createSyncRun } from "../../../app/models/sync-runs.server";
import { loader as customersLoader } from "../../../app/routes/app.customers._index";
import { loader as settingsLoader } from "../../../app/routes/app.settings";
import { action as webhookAction } from "../../../app/routes/webhooks";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { backfillJsonl } from "../../support/emulator-helpers";
import { resetDatabase } from "../../support/fixtures";
import { compareWithTruth, installShop, waitFor } from "../../support/sync-helpers";
import { webhookRequest } from "../../support/webhook-request";
import { appRequest, call } from "../../support/admin-routes";

// Issue 23: "Import again" during the daily run froze the admin — pages and webhooks waited for the
// import's writes. Here an import is stopped half way (its download holds back the rest of the file
// until the test lets it go), with batches already committed and more to come. A page load and an
// order webhook must complete while it is stopped: they do not wait for the import to finish. Ordering,
// not timing: the import cannot finish before the test releases it.
const SHOP = "responsive-import.myshopify.com";
const BATCH = 100;
let emulator: Emulator;

beforeAll(async () => {
  await resetDatabase();
  emulator = await startEmulatedShopify({
    // Twelve batches of 100 lines: enough to stop half way with batches committed and more to come. A small
    // shop's 120 batches only added waiting after the release (each commit yields to the main thread).
    shops: [{ domain: SHOP, size: "small", customers: 200, orders: 1_000, seed: 231, currency: "EUR", timeZone: "Europe/Zagreb" }],
  });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
});

/** A download that sends `head` lines, then waits for `release` before sending the rest. */
function heldDownload(jsonl: string, head: number) {
  const lines = jsonl.split("\n").filter(Boolean);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const encoder = new TextEncoder();
  const fetchImpl = (async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode(`${lines.slice(0, head).join("\n")}\n`));
          await released;
          controller.enqueue(encoder.encode(`${lines.slice(head).join("\n")}\n`));
          controller.close();
        },
      }),
    )) as typeof fetch;
  return { fetchImpl, release, total: lines.length };
}

describe("the admin while an import is half way", () => {
  it("answers a page and an order webhook without waiting for the import to finish", async () => {
    await installShop(emulator, SHOP);
    const download = heldDownload(await backfillJsonl(emulator, SHOP), 3 * BATCH + 50);
    expect(download.total).toBeGreaterThan(5 * BATCH);
    const run = await createSyncRun(SHOP, "backfill");

    let importFinished = false;
    const importing = importBulkFile(SHOP, run.id, "https://bulk.example/held.jsonl", {
      fetchImpl: download.fetchImpl,
      batchSize: BATCH,
      batchesPerCommit: 1,
    }).then(() => void (importFinished = true));
    importing.catch(() => undefined);
    // Three batches committed (each with its cursor); the fourth waits for lines that are held back.
    await waitFor(
      async () => ((await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).processedCount >= 3 * BATCH ? true : null),
      "three committed batches",
    );

    const customer = await db.customer.findFirstOrThrow({ where: { shop: SHOP } });
    const order = emulator.mutate(SHOP).createOrder({ customerId: customer.shopifyId, total: "42.00" }, { deliver: false });
    const created = order.events.find((e) => e.topic === "orders/create")!;
    const [customersPage, settingsPage, webhook] = await Promise.all([
      call(customersLoader, await appRequest(SHOP, "/app/customers")),
      call(settingsLoader, await appRequest(SHOP, "/app/settings")),
      webhookAction({
        request: webhookRequest(SHOP, created.topic, created.payload, { webhookId: "during-import-1" }),
        params: {},
        context: {},
      }),
    ]);
    expect({ customers: customersPage.status, settings: settingsPage.status, webhook: webhook.status }).toEqual({
      customers: 200,
      settings: 200,
      webhook: 200,
    });
    // All three answered while the import was still half way.
    expect(importFinished).toBe(false);
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("importing");
    const orderId = (created.payload as { admin_graphql_api_id: string }).admin_graphql_api_id;
    expect(await db.order.count({ where: { shop: SHOP, shopifyId: orderId } })).toBe(1);

    download.release();
    await importing;
    await settled();
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("completed");
    // The import's aggregate refresh did not undo the webhook's order: the database equals Shopify.
    const result = await compareWithTruth(emulator, SHOP);
    expect(result.mismatches).toEqual([]);
    expect(result.shopOrders.db).toBe(result.shopOrders.shopify);
  });
});
