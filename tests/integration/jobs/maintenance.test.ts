import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { startBackfill } from "../../../app/jobs/backfill.server";
import { ensureSchedulerStarted, productionSchedulerHooks, syncTick } from "../../../app/jobs/maintenance.server";
import { runShopDay } from "../../../app/jobs/scheduler.server";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop, waitFor } from "../../support/sync-helpers";

const SHOP = "maintenance-shop.myshopify.com";
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, size: "tiny", seed: 41 }], apiWritesEmitWebhooks: false });
});
afterAll(() => stopEmulatedShopify(emulator));
beforeEach(resetDatabase);

describe("scheduled maintenance", () => {
  it("finishes a backfill whose webhook never came, then scores and tags everyone once a day", async () => {
    const client = await installShop(emulator, SHOP);
    await startBackfill(SHOP, client);
    await waitFor(async () => (await syncTick(SHOP, client))?.status === "completed", "the polling fallback");
    // The tick that completed the import also scored the shop.
    expect(await db.customer.count({ where: { shop: SHOP, lifecycle: null } })).toBe(0);
    expect(await syncTick(SHOP, client)).toBeNull();

    await db.customer.updateMany({ where: { shop: SHOP }, data: { lifecycle: null, scoredAt: null } });
    const deps = { ...productionSchedulerHooks, clientFor: async () => client, owner: "test-instance" };
    const first = await runShopDay(SHOP, deps);
    expect(first.status).toBe("ran");
    expect(await db.customer.count({ where: { shop: SHOP, scoredAt: null } })).toBe(0);
    const tagged = emulator
      .shop(SHOP)
      .data.customer(0)
      .tags.filter((t) => t.startsWith("kinship:"));
    expect(tagged.length).toBeGreaterThan(0);
    expect((await runShopDay(SHOP, deps)).status).toBe("skipped");
  });

  it("does not start a scheduler inside tests or when switched off", () => {
    expect(ensureSchedulerStarted({ NODE_ENV: "production", KINSHIP_SCHEDULER: "off" })).toBeNull();
    expect(ensureSchedulerStarted({ NODE_ENV: "test" })).toBeNull();
  });
});
