import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "../../../app/db.server";
import { settled } from "../../../app/jobs/background.server";
import { loader as dashboardLoader } from "../../../app/routes/app._index";
import type { Emulator } from "../../emulator/server";
import { hostParam } from "../../emulator/admin-frame/server";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { compareWithTruth, waitFor } from "../../support/sync-helpers";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../support/test-env";

// Five shops open the app at the same moment: each load exchanges its session token, starts a bulk
// backfill, and the emulator's bulk_operations/finish webhooks then import and score all five at once.
// On SQLite this failed before the process-wide write gate (app/models/sql/sqlite-write-gate.server.ts):
// four of five imports ended "database is locked" or P1008 and stayed unscored.
const SHOPS = [1, 2, 3, 4, 5].map((n) => `concurrent-${n}.myshopify.com`);
let emulator: Emulator;
let webhooks: Awaited<ReturnType<typeof startAppWebhookServer>>;

beforeAll(async () => {
  await resetDatabase();
  webhooks = await startAppWebhookServer();
  emulator = await startEmulatedShopify({
    appUrl: webhooks.url,
    // Enough orders that the five imports write at the same time (asserted below), few customers: each one's
    // tag write-back comes back as a customers/update webhook the app takes, and 1,500 of those were two thirds
    // of this file's CPU. Volume belongs to `npm run bench` (its installs group: five shops of 10,000 orders).
    shops: SHOPS.map((domain, i) => ({ domain, customers: 100, orders: 3_000, seed: 60 + i, plan: "enterprise" as const })),
  });
});
// The first write-back after each backfill is a bulk mutation run (decision 024) polled on real time, five
// shops one after another per shop's queue: waiting for them has taken over a minute on a loaded machine.
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
  await webhooks?.close();
});

async function openApp(shop: string): Promise<number> {
  const { token } = await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
  const url = new URL(`${TEST_APP_URL}/app`);
  url.search = new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), id_token: token }).toString();
  const request = new Request(url, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" } });
  try {
    return ((await dashboardLoader({ request, params: {}, context: {} })) as Response).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("five shops installing at once", () => {
  it("all end imported, equal to Shopify and scored, and no webhook is answered 5xx", async () => {
    expect(await Promise.all(SHOPS.map(openApp))).toEqual(SHOPS.map(() => 200));
    // Each shop's import and scoring run in the background after its finish webhook.
    await waitFor(
      async () => (await db.syncRun.count({ where: { shop: { in: SHOPS }, status: { in: ["completed", "failed"] } } })) === SHOPS.length,
      "five backfills to end",
      240_000,
    );
    await settled();
    // The five backfills were under way together: each began before any of them ended.
    const runs = await db.syncRun.findMany({ where: { shop: { in: SHOPS }, kind: "backfill" } });
    const lastStart = Math.max(...runs.map((r) => r.startedAt.getTime()));
    expect(runs.every((r) => r.finishedAt !== null && r.finishedAt.getTime() > lastStart)).toBe(true);

    for (const shop of SHOPS) {
      const run = await db.syncRun.findFirstOrThrow({ where: { shop, kind: "backfill" } });
      expect({ shop, status: run.status, error: run.error }).toEqual({ shop, status: "completed", error: null });
      const result = await compareWithTruth(emulator, shop);
      expect(result.mismatches).toEqual([]);
      expect(result.shopOrders.db).toBe(result.shopOrders.shopify);
      expect(await db.customer.count({ where: { shop } })).toBeGreaterThan(60);
      // Scored: every customer with a purchase that counts has a lifecycle group (a customer whose only
      // orders were fully refunded has no purchase day, see app/retention/clv/summary.ts).
      const ungrouped = (await db.customer.findMany({ where: { shop, lifecycle: null }, select: { shopifyId: true } })).map(
        (c) => c.shopifyId,
      );
      const buyersUnscored = await db.order.count({
        where: { shop, customerShopifyId: { in: ungrouped }, netTotal: { gt: 0 }, cancelledAt: null, test: false },
      });
      expect({ shop, buyersUnscored }).toEqual({ shop, buyersUnscored: 0 });
    }
    // One backfill (bulk query) per shop; the first write-back's bulk mutations (decision 024) send their own finish.
    for (const shop of SHOPS) {
      expect(
        emulator
          .shop(shop)
          .bulk.all()
          .filter((op) => op.type === "QUERY"),
      ).toHaveLength(1);
      expect(
        webhooks.answers.filter((a) => a.topic === "bulk_operations/finish" && a.shop === emulator.shop(shop).domain).length,
      ).toBeGreaterThanOrEqual(1);
    }
    expect(webhooks.answers.filter((a) => a.status >= 500)).toEqual([]);
  }, 300_000);
});
