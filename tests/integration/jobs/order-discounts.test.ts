import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { settled } from "../../../app/jobs/background.server";
import { pollBackfill, startBackfill } from "../../../app/jobs/backfill.server";
import type { Emulator } from "../../emulator/server";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop, waitFor } from "../../support/sync-helpers";

// Issue #18 (money, not points): each order's codes and total discount, from the backfill's JSONL and
// from the order webhooks, so a rule can report what its redeemed codes cost.
const SHOP = "order-discounts.myshopify.com";
let emulator: Emulator;
let webhooks: Awaited<ReturnType<typeof startAppWebhookServer>>;

beforeAll(async () => {
  webhooks = await startAppWebhookServer();
  emulator = await startEmulatedShopify({ appUrl: webhooks.url, shops: [{ domain: SHOP, size: "tiny", seed: 18 }] });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
  await webhooks.close();
});
beforeEach(resetDatabase);
afterEach(settled);

async function backfill() {
  const client = await installShop(emulator, SHOP);
  emulator.setAppUrl(null);
  try {
    await startBackfill(SHOP, client);
    const run = await waitFor(
      async () => {
        const current = await pollBackfill(SHOP, client);
        return current?.status === "completed" || current?.status === "failed" ? current : null;
      },
      "backfill",
      120_000,
    );
    expect(run.status).toBe("completed");
  } finally {
    emulator.setAppUrl(webhooks.url);
  }
}

describe("order discounts", () => {
  it("the backfill stores every order's discount codes and total discount as Shopify holds them", async () => {
    await backfill();
    const data = emulator.shop(SHOP).data;
    const rows = await db.order.findMany({ where: { shop: SHOP }, select: { shopifyId: true, discountCodes: true, totalDiscounts: true } });
    expect(rows.length).toBe(data.orderCount);
    let discounted = 0;
    for (const row of rows) {
      const truth = data.order(data.findOrder(Number(row.shopifyId.split("/").pop())));
      expect({ id: row.shopifyId, codes: row.discountCodes, amount: row.totalDiscounts }).toEqual({
        id: row.shopifyId,
        codes: truth.discountCodes.map((d) => d.code).join(","),
        amount: truth.totalDiscountsCents / 100,
      });
      if (truth.totalDiscountsCents > 0) discounted++;
    }
    expect(discounted).toBeGreaterThan(0);
  });

  it("an order webhook stores the code and the amount it took off, and an update keeps them", async () => {
    await backfill();
    const customer = await db.customer.findFirstOrThrow({ where: { shop: SHOP, orderCount: { gt: 0 } } });
    const created = emulator.mutate(SHOP).createOrder({
      customerId: customer.shopifyId,
      total: "54.00",
      discountCode: { code: "KIN-7QX2", amountCents: 600, type: "percentage" },
    });
    const key = { shop_shopifyId: { shop: SHOP, shopifyId: `gid://shopify/Order/${created.record.id}` } };
    await settled();
    const row = await waitFor(() => db.order.findUnique({ where: key }), "order webhook");
    expect({ codes: row.discountCodes, amount: row.totalDiscounts, total: row.totalPrice }).toEqual({
      codes: "KIN-7QX2",
      amount: 6,
      total: 54,
    });

    emulator.mutate(SHOP).refundOrder(created.record.id, 1_000);
    await settled();
    const updated = await waitFor(async () => {
      const current = await db.order.findUniqueOrThrow({ where: key });
      return current.totalRefunded > 0 && current;
    }, "refund webhook");
    expect({ codes: updated.discountCodes, amount: updated.totalDiscounts }).toEqual({ codes: "KIN-7QX2", amount: 6 });
  });
});
