/**
 * Durable birthdays (issue #15) against the emulator, on either database: the one birthday writer puts
 * a birthday in Shopify's facts.birth_date as well as the local row, backfills never erase a known
 * birthday, the nightly refresh brings a birthday the merchant edits in Shopify and resumes after an
 * interruption, and a birthday set shortly before it falls earns no code that year.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { pollBackfill, startBackfill } from "../../../app/jobs/backfill.server";
import { settled } from "../../../app/jobs/background.server";
import { importBirthdays } from "../../../app/jobs/birthdays.server";
import { refreshCustomers, REFRESH_KIND } from "../../../app/jobs/customer-refresh.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { saveShopSettings } from "../../../app/models/shop-settings.server";
import { addDays, localDateAt } from "../../../app/retention/rewards";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { installShop, waitFor } from "../../support/sync-helpers";
import { addRule } from "../../support/rules";

const SHOP = "birthdays-durable.myshopify.com";
const TZ = "Europe/Kyiv";
let emulator: Emulator;
let client: AdminClient;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    apiWritesEmitWebhooks: false,
    shops: [{ domain: SHOP, size: "tiny", seed: 31, currency: "UAH", timeZone: TZ }],
  });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
});
beforeEach(async () => {
  await resetDatabase();
  client = await installShop(emulator, SHOP);
  await backfill();
});
afterEach(settled);

async function backfill() {
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
}

/** Shopify's own copy, read back through the Admin API. */
async function shopifyBirthday(customerId: string): Promise<string | null> {
  const data = await client.request<{ customer: { birthDate: { value: string } | null } | null }>(
    `query ($id: ID!) { customer(id: $id) { birthDate: metafield(namespace: "facts", key: "birth_date") { value } } }`,
    { id: customerId },
  );
  return data.customer?.birthDate?.value ?? null;
}

async function localBirthday(customerId: string) {
  return (await db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: customerId } } })).birthday;
}

/** Synced customers Shopify has no birthday for (the ones a CSV would fill in). */
async function customersWithoutBirthday(count: number) {
  const rows = await db.customer.findMany({
    where: { shop: SHOP, birthday: null, email: { not: null } },
    orderBy: { shopifyId: "asc" },
    take: count,
  });
  expect(rows).toHaveLength(count);
  return rows;
}

const today = () => localDateAt(new Date(), TZ);

describe("one birthday writer, durable birthdays", () => {
  it("a CSV birthday is written to Shopify's facts.birth_date and survives two backfills", async () => {
    const [a, b] = await customersWithoutBirthday(2);
    expect(await shopifyBirthday(a.shopifyId)).toBeNull();
    const result = await importBirthdays(SHOP, client, `email,birthday\n${a.email},1985-06-15\n${b.shopifyId},1979-11-02\n`, today());
    expect(result).toMatchObject({ updated: 2, errors: [], refused: [] });
    expect(await shopifyBirthday(a.shopifyId)).toBe("1985-06-15");
    expect(await shopifyBirthday(b.shopifyId)).toBe("1979-11-02");

    await backfill();
    await backfill();
    expect(await localBirthday(a.shopifyId)).toBe("1985-06-15");
    expect(await localBirthday(b.shopifyId)).toBe("1979-11-02");
  });

  it("a backfill never replaces a birthday Kinship knows with Shopify's null", async () => {
    const [c] = await customersWithoutBirthday(1);
    // A birthday kept only locally (as an older version's CSV import did).
    await db.customer.updateMany({ where: { shop: SHOP, shopifyId: c.shopifyId }, data: { birthday: "1991-09-09" } });
    await backfill();
    expect(await localBirthday(c.shopifyId)).toBe("1991-09-09");
  });

  it("a birthday, consent and tags the merchant changes in Shopify reach Kinship at the next refresh", async () => {
    const [d] = await customersWithoutBirthday(1);
    const mutate = emulator.mutate(SHOP);
    mutate.setCustomerBirthday(d.shopifyId, "1970-02-14", { deliver: false });
    mutate.updateCustomer(d.shopifyId, { marketingState: "UNSUBSCRIBED", tags: ["vip-from-admin"] }, { deliver: false });
    expect(await localBirthday(d.shopifyId)).toBeNull();

    // The night after: the emulator moves a customer's updatedAt a second per edit, so "now" is a little later.
    const outcome = await refreshCustomers(SHOP, client, { now: new Date(Date.now() + 60_000) });
    expect(outcome).toMatchObject({ status: "completed", customers: expect.any(Number) });
    const row = await db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: d.shopifyId } } });
    expect(row).toMatchObject({ birthday: "1970-02-14", marketingState: "UNSUBSCRIBED", tags: "vip-from-admin" });
    expect(row.birthdayChangedAt).not.toBeNull();
    // Nightly: the next one waits for its night.
    expect(await refreshCustomers(SHOP, client, { now: new Date(Date.now() + 2 * 60_000) })).toMatchObject({ status: "notDue" });
  });

  it("an interrupted refresh resumes at the page it was on", async () => {
    const edited = await customersWithoutBirthday(5);
    edited.forEach((c, i) => emulator.mutate(SHOP).setCustomerBirthday(c.shopifyId, `1980-01-0${i + 1}`, { deliver: false }));
    let stopped = false;
    await expect(
      refreshCustomers(SHOP, client, {
        pageSize: 2,
        afterPage: () => {
          stopped = true;
          throw new Error("instance stopped");
        },
      }),
    ).rejects.toThrow("instance stopped");
    expect(stopped).toBe(true);
    const birthdays = async () => Promise.all(edited.map((c) => localBirthday(c.shopifyId)));
    // Only the first page (two customers) was written.
    expect((await birthdays()).filter(Boolean).length).toBeLessThanOrEqual(2);
    const run = await db.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: REFRESH_KIND } });
    expect(run).toMatchObject({ status: "running", customersCount: 2 });

    // The next tick goes on from the stored cursor: one page fewer than reading the window again.
    const resumed = await refreshCustomers(SHOP, client, { pageSize: 2 });
    expect(resumed).toMatchObject({ status: "completed" });
    expect(resumed.customers).toBeGreaterThanOrEqual(5);
    expect(resumed.pages).toBe(Math.ceil(resumed.customers / 2) - 1);
    expect(await birthdays()).toEqual(edited.map((_, i) => `1980-01-0${i + 1}`));
  });
});

describe("anti-gaming", () => {
  it("a birthday set fewer than 30 days before it falls earns no code that year; the setting turns the wait off", async () => {
    await addRule(SHOP, { kind: "birthday", name: "Birthday", reward: { type: "percentage", percentage: 15 } });
    const [e] = await customersWithoutBirthday(1);
    await db.customer.updateMany({ where: { shop: SHOP, shopifyId: e.shopifyId }, data: { marketingState: "SUBSCRIBED" } });
    // In five days: inside the code's window (7 days before), set today.
    const birthday = `1990-${addDays(today(), 5).slice(5)}`;
    await importBirthdays(SHOP, client, `${e.shopifyId},${birthday}`, today());
    const birthdayCodes = () => db.issuedDiscount.count({ where: { shop: SHOP, customerShopifyId: e.shopifyId, kind: "issue" } });

    await runIssuance(SHOP, today(), { client });
    expect(await birthdayCodes()).toBe(0);

    await saveShopSettings(SHOP, { birthdays: { minNoticeDays: 0, sendHour: 9 } });
    await runIssuance(SHOP, today(), { client });
    expect(await birthdayCodes()).toBe(1);
  });
});
