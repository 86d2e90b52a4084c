import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { afterBackfill } from "../../../app/jobs/after-backfill.server";
import { pollBackfill, startBackfill } from "../../../app/jobs/backfill.server";
import { settled } from "../../../app/jobs/background.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import type { PreparedEvent } from "../../emulator/mutations";
import type { Emulator } from "../../emulator/server";
import { startAppWebhookServer } from "../../support/app-webhook-server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { compareWithTruth, installShop, waitFor } from "../../support/sync-helpers";

// Issue #14: at 2026-04 no customer payload carries tags or consent. A webhook writes only the
// columns its payload carries, so consent, tags and birthday stay what Shopify holds.
const SHOP = "payloads-2026.myshopify.com";
let emulator: Emulator;
let webhooks: Awaited<ReturnType<typeof startAppWebhookServer>>;

beforeAll(async () => {
  webhooks = await startAppWebhookServer();
  emulator = await startEmulatedShopify({ appUrl: webhooks.url, shops: [{ domain: SHOP, size: "tiny", seed: 31 }] });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
  await webhooks.close();
});
beforeEach(resetDatabase);
afterEach(settled);

/** Installs the shop and imports it with webhooks off (the state every live-webhook test starts from). */
async function importShop(): Promise<AdminClient> {
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
  return client;
}

/** A customer with orders, an email and a birthday, as the import stored it. */
async function pickCustomer() {
  return db.customer.findFirstOrThrow({ where: { shop: SHOP, orderCount: { gt: 0 }, birthday: { not: null }, email: { not: null } } });
}

async function deliver(events: PreparedEvent[], copies = 1) {
  for (const event of events)
    await emulator.deliverWebhook(SHOP, event.topic, event.payload, { webhookId: event.webhookId, duplicate: copies - 1 });
  await settled();
}

async function expectAsShopifyHolds(shopifyId: string) {
  const state = emulator.shop(SHOP);
  const truth = state.data.customer(state.data.findCustomer(Number(shopifyId.split("/").pop())));
  const row = await db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId } } });
  const tags = row.tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .sort();
  expect({ marketingState: row.marketingState, tags, birthday: row.birthday, firstName: row.firstName, email: row.email }).toEqual({
    marketingState: truth.marketingState,
    tags: [...truth.tags].sort(),
    birthday: truth.birthDate,
    firstName: truth.firstName,
    email: truth.email,
  });
  return row;
}

/** Consent given, a tag added, an order placed, a rename, then a tag swapped and consent withdrawn. */
function merchantChanges(shopifyId: string): PreparedEvent[] {
  const mutate = emulator.mutate(SHOP);
  const current = emulator.shop(SHOP).data.customer(mutate.customerIndex(shopifyId));
  const steps = [
    mutate.updateCustomer(shopifyId, { marketingState: "SUBSCRIBED", tags: [...current.tags, "vip"] }, { deliver: false }),
    mutate.createOrder({ customerId: shopifyId, total: "42.00" }, { deliver: false }),
    mutate.updateCustomer(shopifyId, { firstName: "Renamed" }, { deliver: false }),
    mutate.updateCustomer(shopifyId, { marketingState: "UNSUBSCRIBED", tags: [...current.tags, "gold"] }, { deliver: false }),
  ];
  return steps.flatMap((step) => step.events).map((event, i) => ({ ...event, webhookId: `${shopifyId}-${i}` }));
}

describe("2026-04 webhook payloads", () => {
  it("sends customer and order payloads without tags or consent, and the topics that carry them", async () => {
    await importShop();
    const customer = await pickCustomer();
    const events = merchantChanges(customer.shopifyId);
    const topics = events.map((e) => e.topic);
    expect(topics).toEqual(
      expect.arrayContaining(["customer.tags_added", "customer.tags_removed", "customers_email_marketing_consent/update"]),
    );
    for (const event of events.filter((e) => e.topic === "customers/update" || e.topic === "orders/create")) {
      const body = (event.topic === "orders/create" ? (event.payload as { customer: object }).customer : event.payload) as object;
      for (const removed of ["tags", "email_marketing_consent", "sms_marketing_consent"]) expect(body).not.toHaveProperty(removed);
    }
  });

  it("keeps consent, tags and birthday as Shopify holds them after order and customer webhooks in order", async () => {
    await importShop();
    const customer = await pickCustomer();
    await deliver(merchantChanges(customer.shopifyId));
    const row = await expectAsShopifyHolds(customer.shopifyId);
    expect(row.marketingState).toBe("UNSUBSCRIBED");
    expect((await compareWithTruth(emulator, SHOP)).mismatches).toEqual([]);
  });

  it("ends the same when every delivery comes twice and newest first", async () => {
    await importShop();
    const customer = await pickCustomer();
    await deliver([...merchantChanges(customer.shopifyId)].reverse(), 2);
    await expectAsShopifyHolds(customer.shopifyId);
    expect((await compareWithTruth(emulator, SHOP)).mismatches).toEqual([]);
  });

  it("an order webhook alone leaves consent, tags and birthday untouched", async () => {
    await importShop();
    const customer = await pickCustomer();
    await deliver(emulator.mutate(SHOP).createOrder({ customerId: customer.shopifyId, total: "10.00" }, { deliver: false }).events);
    const row = await expectAsShopifyHolds(customer.shopifyId);
    expect({ marketingState: row.marketingState, tags: row.tags, birthday: row.birthday }).toEqual({
      marketingState: customer.marketingState,
      tags: customer.tags,
      birthday: customer.birthday,
    });
  });

  it("deletes orders and customers Shopify deletes, and merges customers onto the one kept, re-scoring it", async () => {
    const client = await importShop();
    await afterBackfill(SHOP, client);
    const mutate = emulator.mutate(SHOP);
    const [kept, merged] = await db.customer.findMany({ where: { shop: SHOP, orderCount: { gt: 0 } }, orderBy: { id: "asc" }, take: 2 });

    const order = await db.order.findFirstOrThrow({
      where: { shop: SHOP, customerShopifyId: kept.shopifyId, cancelledAt: null, test: false },
    });
    await deliver(mutate.deleteOrder(order.shopifyId, { deliver: false }).events);
    expect(await db.order.count({ where: { shop: SHOP, shopifyId: order.shopifyId } })).toBe(0);

    const created = mutate.createCustomer({}, { deliver: false });
    await deliver(created.events);
    const createdId = `gid://shopify/Customer/${created.record.id}`;
    expect(await db.customer.count({ where: { shop: SHOP, shopifyId: createdId } })).toBe(1);
    await deliver(mutate.deleteCustomer(created.record.id, { deliver: false }).events);
    expect(await db.customer.count({ where: { shop: SHOP, shopifyId: createdId } })).toBe(0);

    const scoredBefore = (await db.customer.findUniqueOrThrow({ where: { id: kept.id } })).scoredAt!;
    await deliver(mutate.mergeCustomers(kept.shopifyId, merged.shopifyId, { deliver: false }).events);
    expect(await db.customer.count({ where: { shop: SHOP, shopifyId: merged.shopifyId } })).toBe(0);
    expect(await db.order.count({ where: { shop: SHOP, customerShopifyId: merged.shopifyId } })).toBe(0);
    const after = await db.customer.findUniqueOrThrow({ where: { id: kept.id } });
    expect(after.scoredAt!.getTime()).toBeGreaterThan(scoredBefore.getTime());
    const check = await compareWithTruth(emulator, SHOP);
    expect(check.mismatches).toEqual([]);
    expect(check.shopOrders.db).toBe(check.shopOrders.shopify);
  });
});
