import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { recomputeShop } from "../../../app/jobs/recompute.server";
import { writeBackTags } from "../../../app/jobs/write-back-tags.server";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop, waitFor } from "../../support/sync-helpers";
import { pollBackfill, startBackfill } from "../../../app/jobs/backfill.server";

const SHOP = "tags-shop.myshopify.com";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, size: "tiny", seed: 31 }], apiWritesEmitWebhooks: false });
});
afterAll(() => stopEmulatedShopify(emulator));
beforeEach(resetDatabase);

function shopifyTags(gid: string): string[] {
  const shop = emulator.shop(SHOP);
  return shop.data.customer(emulator.mutate(SHOP).customerIndex(gid)).tags;
}

describe("write-back to Shopify", () => {
  it("adds and removes only kinship: tags, and leaves the merchant's own tags alone", async () => {
    const client = await installShop(emulator, SHOP);
    // The merchant's tags, including one that merely looks like ours.
    const first = emulator.shop(SHOP).data.customer(0);
    emulator.mutate(SHOP).updateCustomer(first.id, { tags: ["VIP", "kinshipish", "kinship:loyal"] }, { deliver: false });
    await startBackfill(SHOP, client);
    await waitFor(async () => (await pollBackfill(SHOP, client))?.status === "completed", "backfill");
    await recomputeShop(SHOP);

    const result = await writeBackTags(SHOP, client);
    expect(result.failures).toEqual([]);
    const customers = await db.customer.findMany({ where: { shop: SHOP, lifecycle: { not: null } } });
    expect(customers.length).toBeGreaterThan(5);
    for (const customer of customers) {
      const tags = shopifyTags(customer.shopifyId);
      expect(tags.filter((t) => t.startsWith("kinship:"))).toEqual([`kinship:${customer.lifecycle}`]);
    }
    const firstGid = `gid://shopify/Customer/${first.id}`;
    expect(shopifyTags(firstGid)).toEqual(expect.arrayContaining(["VIP", "kinshipish"]));

    // Group changes move the tag; a second run with nothing changed writes nothing.
    const mover = customers.find((c) => c.lifecycle !== "regular")!;
    await db.customer.update({ where: { id: mover.id }, data: { lifecycle: "regular" } });
    const second = await writeBackTags(SHOP, client);
    expect(second).toMatchObject({ customersChanged: 1, tagsAdded: 1, tagsRemoved: 1 });
    expect(shopifyTags(mover.shopifyId).filter((t) => t.startsWith("kinship:"))).toEqual(["kinship:regular"]);
    expect(await writeBackTags(SHOP, client)).toMatchObject({ customersChanged: 0 });
  });
});
