import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { afterBackfill } from "../../../app/jobs/after-backfill.server";
import { completeBackfill, pollBackfill, startBackfill } from "../../../app/jobs/backfill.server";
import { settled } from "../../../app/jobs/background.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import type { Emulator } from "../../emulator/server";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { compareWithTruth, installShop, waitFor } from "../../support/sync-helpers";

const TINY = "sync-tiny.myshopify.com";
const SMALL = "sync-small.myshopify.com";
let emulator: Emulator;
let webhooks: Awaited<ReturnType<typeof startAppWebhookServer>>;

beforeAll(async () => {
  webhooks = await startAppWebhookServer();
  emulator = await startEmulatedShopify({
    appUrl: webhooks.url,
    shops: [
      { domain: TINY, size: "tiny", seed: 21, currency: "UAH", timeZone: "Europe/Kyiv" },
      { domain: SMALL, size: "small", seed: 22, currency: "EUR", timeZone: "Europe/Zagreb" },
    ],
  });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
  await webhooks.close();
});
beforeEach(resetDatabase);
afterEach(settled);

async function backfillByPolling(shop: string, client: AdminClient, options = {}) {
  const run = await startBackfill(shop, client);
  expect(run.status).toBe("running");
  return waitFor(
    async () => {
      const current = await pollBackfill(shop, client, options);
      return current?.status === "completed" || current?.status === "failed" ? current : null;
    },
    `backfill of ${shop}`,
    240_000,
  );
}

describe("order and customer sync", () => {
  it("backfills a tiny shop through the bulk_operations/finish webhook and matches Shopify for every customer", async () => {
    const client = await installShop(emulator, TINY);
    await startBackfill(TINY, client);
    const run = await waitFor(
      () => db.syncRun.findFirst({ where: { shop: TINY, status: "completed" } }),
      "the finish webhook to complete the backfill",
    );
    await settled();
    const result = await compareWithTruth(emulator, TINY);
    expect(result.mismatches).toEqual([]);
    expect(result.customersCompared).toBeGreaterThan(10);
    expect(result.shopOrders.db).toBe(result.shopOrders.shopify);
    expect(result.shopNetCents.db).toBe(result.shopNetCents.shopify);
    expect(run.processedCount).toBe(run.expectedCount);
    // The webhook path also scored the customers.
    expect(await db.customer.count({ where: { shop: TINY, lifecycle: null } })).toBe(0);
  });

  // Five write batches of 2,000 orders. The medium and large shops are imported by `npm run bench`,
  // which is where their speed is measured; a generous time limit here, not a speed check.
  it("backfills a small shop (2,000 customers, 10,000 orders) by polling and matches Shopify for every customer", async () => {
    const client = await installShop(emulator, SMALL);
    emulator.setAppUrl(null); // no finish webhook: the polling fallback has to notice completion
    try {
      const run = await backfillByPolling(SMALL, client);
      expect(run.status).toBe("completed");
    } finally {
      emulator.setAppUrl(webhooks.url);
    }
    const result = await compareWithTruth(emulator, SMALL);
    expect(result.customersCompared).toBeGreaterThan(500);
    expect(result.mismatches).toEqual([]);
    expect(result.shopOrders).toEqual({ db: result.shopOrders.shopify, shopify: result.shopOrders.shopify });
    expect(result.shopNetCents.db).toBe(result.shopNetCents.shopify);
  }, 300_000);

  it("resumes after a crash inside the batch writer and ends equal to a clean import", async () => {
    const client = await installShop(emulator, TINY);
    emulator.setAppUrl(null);
    let failed = false;
    try {
      await startBackfill(TINY, client);
      const crash = waitFor(async () => {
        try {
          const run = await pollBackfill(TINY, client, {
            batchSize: 40,
            batchesPerCommit: 1,
            afterBatchWrite: (batch: number) => {
              if (batch === 3) throw new Error("simulated crash in batch 3");
            },
          });
          return run?.status === "completed" ? run : null;
        } catch (error) {
          failed = (error as Error).message.includes("simulated crash");
          return failed;
        }
      }, "the simulated crash");
      await crash;
      const afterCrash = await db.syncRun.findFirstOrThrow({ where: { shop: TINY } });
      expect(afterCrash.status).toBe("failed");
      expect(afterCrash.error).toContain("simulated crash");
      expect(Number(afterCrash.cursor)).toBeGreaterThan(0);
      const partialOrders = await db.order.count({ where: { shop: TINY } });
      // Restart the same run: it continues after the last committed batch.
      const resumed = await completeBackfill(TINY, client, afterCrash.bulkOperationId!, { batchSize: 40 });
      expect(resumed?.status).toBe("completed");
      expect(partialOrders).toBeLessThan(await db.order.count({ where: { shop: TINY } }));
    } finally {
      emulator.setAppUrl(webhooks.url);
    }
    expect(failed).toBe(true);
    const result = await compareWithTruth(emulator, TINY);
    expect(result.mismatches).toEqual([]);
    expect(result.shopOrders.db).toBe(result.shopOrders.shopify);
    // No duplicates: one row per Shopify order.
    const ids = await db.order.findMany({ where: { shop: TINY }, select: { shopifyId: true } });
    expect(new Set(ids.map((o) => o.shopifyId)).size).toBe(ids.length);
  });
});

describe("live webhooks and failures", () => {
  async function cleanBackfill(client: AdminClient) {
    emulator.setAppUrl(null);
    try {
      const run = await backfillByPolling(TINY, client);
      expect(run.status).toBe("completed");
    } finally {
      emulator.setAppUrl(webhooks.url);
    }
  }

  it("converges to Shopify's final state under duplicate and out-of-order deliveries", async () => {
    const client = await installShop(emulator, TINY);
    await cleanBackfill(client);
    const customer = await db.customer.findFirstOrThrow({ where: { shop: TINY, orderCount: { gt: 0 } } });
    const existing = await db.order.findFirstOrThrow({
      where: { shop: TINY, customerShopifyId: { not: null }, cancelledAt: null, test: false },
    });
    const shop = emulator.mutate(TINY);
    const created = shop.createOrder({ customerId: customer.shopifyId, total: "120.00" }, { deliver: false });
    const refunded = shop.refundOrder(created.record.id, 4_550, { deliver: false });
    const cancelled = shop.cancelOrder(existing.shopifyId, {}, { deliver: false });
    const guest = shop.createOrder({ customerId: null, total: "15.00" }, { deliver: false });
    const events = [...created.events, ...refunded.events, ...cancelled.events, ...guest.events].map((event, i) => ({
      ...event,
      webhookId: event.webhookId ?? `convergence-${i}`,
    }));
    // Newest first, and every delivery twice.
    for (const event of [...events].reverse()) {
      await emulator.deliverWebhook(TINY, event.topic, event.payload, { webhookId: event.webhookId, duplicate: 1 });
    }
    await settled();
    const result = await compareWithTruth(emulator, TINY);
    expect(result.mismatches).toEqual([]);
    expect(result.shopOrders.db).toBe(result.shopOrders.shopify);
    expect(result.shopNetCents.db).toBe(result.shopNetCents.shopify);
    const processed = await db.webhookEvent.count({ where: { shop: TINY, webhookId: { startsWith: "convergence-" } } });
    expect(processed).toBe(events.length);
  });

  it("re-scores the customer an order webhook touches once the shop has a model, and not before", async () => {
    const client = await installShop(emulator, TINY);
    await cleanBackfill(client);
    const customer = await db.customer.findFirstOrThrow({ where: { shop: TINY, orderCount: { gt: 0 } } });
    const shop = emulator.mutate(TINY);
    const deliverNewOrder = async () => {
      for (const event of shop.createOrder({ customerId: customer.shopifyId, total: "30.00" }, { deliver: false }).events) {
        await emulator.deliverWebhook(TINY, event.topic, event.payload);
      }
      await settled();
      return db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TINY, shopifyId: customer.shopifyId } } });
    };
    const beforeModel = await deliverNewOrder();
    expect(beforeModel.orderCount).toBe(customer.orderCount + 1);
    expect(beforeModel.scoredAt).toBeNull();

    await afterBackfill(TINY, client);
    const scored = await db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: TINY, shopifyId: customer.shopifyId } } });
    expect(scored.scoredAt).toBeInstanceOf(Date);
    const afterModel = await deliverNewOrder();
    expect(afterModel.orderCount).toBe(customer.orderCount + 2);
    expect(afterModel.scoredAt!.getTime()).toBeGreaterThan(scored.scoredAt!.getTime());
    expect(afterModel.historicClv).not.toBe(scored.historicClv);
  });

  it.each([
    ["a malformed JSONL line", (shop: string) => void (emulator.shop(shop).bulk.controls.malformedLinesNext = 1), /JSONL line \d+/],
    ["an expired download URL", (shop: string) => void (emulator.shop(shop).bulk.controls.urlTtlMs = 0), /expired/],
    [
      "a FAILED bulk operation",
      (shop: string) => void (emulator.shop(shop).bulk.controls.failNext = "INTERNAL_SERVER_ERROR"),
      /FAILED \(INTERNAL_SERVER_ERROR\)/,
    ],
  ])("reports %s on the SyncRun, keeps earlier data, and schedules a retry", async (_label, breakNext, message) => {
    const client = await installShop(emulator, TINY);
    await cleanBackfill(client);
    const before = await compareWithTruth(emulator, TINY);
    const controls = emulator.shop(TINY).bulk.controls;
    const saved = { ...controls };
    breakNext(TINY);
    emulator.setAppUrl(null);
    try {
      const run = await backfillByPolling(TINY, client).catch(() =>
        db.syncRun.findFirstOrThrow({ where: { shop: TINY }, orderBy: { startedAt: "desc" } }),
      );
      const latest = await db.syncRun.findFirstOrThrow({ where: { shop: TINY, id: run.id } });
      expect(latest.status).toBe("failed");
      expect(latest.error).toMatch(message);
      expect(latest.error).toMatch(/retrying \(attempt 2 of/);
      expect(latest.nextRetryAt).toBeInstanceOf(Date);
    } finally {
      Object.assign(controls, saved);
      emulator.setAppUrl(webhooks.url);
    }
    const after = await compareWithTruth(emulator, TINY);
    expect(after.mismatches).toEqual([]);
    expect(after.shopOrders).toEqual(before.shopOrders);
  });
});
