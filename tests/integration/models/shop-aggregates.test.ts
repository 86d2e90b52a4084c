import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { refreshCustomerAggregates, upsertCustomers } from "../../../app/models/customers.server";
import { openImportWriter } from "../../../app/models/import-batch.server";
import { resetDatabase } from "../../support/fixtures";
import { customerRecord } from "../../support/sync-records";

const postgres = process.env.KINSHIP_TEST_DB === "PostgreSQL";
/** PostgreSQL: each row's version (xmin changes whenever the row is rewritten, even with equal values). */
async function rowVersions(shop: string): Promise<Record<string, string>> {
  const rows = await db.$queryRawUnsafe<{ id: string; v: string }[]>(
    `SELECT "shopifyId" AS "id", xmin::text AS "v" FROM "Customer" WHERE "shop" = $1`,
    shop,
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.v]));
}

const A = "aggregates-a.myshopify.com";
const B = "aggregates-b.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;
let orderNumber = 0;

async function order(shop: string, customer: number | null, net: number, day: string, extra: { test?: boolean; cancelled?: boolean } = {}) {
  orderNumber += 1;
  await db.order.create({
    data: {
      shop,
      shopifyId: `gid://shopify/Order/${orderNumber}`,
      customerShopifyId: customer === null ? null : gid(customer),
      processedAt: new Date(`${day}T12:00:00Z`),
      totalPrice: net,
      netTotal: net,
      currencyCode: "EUR",
      test: extra.test ?? false,
      cancelledAt: extra.cancelled ? new Date(`${day}T13:00:00Z`) : null,
    },
  });
}

/** Stale aggregates on purpose: the refresh must replace every one of them from the orders. */
async function customer(shop: string, n: number) {
  await db.customer.create({
    data: {
      shop,
      shopifyId: gid(n),
      orderCount: 9,
      totalSpent: 999,
      firstOrderAt: new Date("2020-01-01T00:00:00Z"),
      lastOrderAt: new Date("2020-01-02T00:00:00Z"),
    },
  });
}

const aggregates = (shop: string) =>
  db.customer.findMany({
    where: { shop },
    orderBy: { shopifyId: "asc" },
    select: { shopifyId: true, orderCount: true, totalSpent: true, firstOrderAt: true, lastOrderAt: true },
  });

describe("shop-wide customer aggregates (after a backfill)", () => {
  beforeEach(async () => {
    await resetDatabase();
    for (const shop of [A, B]) for (const n of [1, 2, 3]) await customer(shop, n);
    // Customer 1: two value orders, plus a test and a cancelled one that count for nothing.
    await order(A, 1, 40, "2026-03-01");
    await order(A, 1, 60.5, "2026-05-10");
    await order(A, 1, 500, "2026-04-01", { test: true });
    await order(A, 1, 700, "2026-06-01", { cancelled: true });
    // Customer 2: only a cancelled order left, so zeros. Customer 3: no orders at all.
    await order(A, 2, 80, "2026-02-01", { cancelled: true });
    await order(A, null, 25, "2026-02-02"); // a guest order belongs to nobody
    // The other shop has a customer with the same Shopify id and orders of its own.
    await order(B, 1, 5, "2026-01-05");
  });

  it.each([
    ["on the app's connection", (shop: string) => refreshCustomerAggregates(shop)],
    [
      "by the import writer",
      async (shop: string) => {
        const writer = openImportWriter();
        try {
          await writer.refreshAggregates(shop);
        } finally {
          await writer.close();
        }
      },
    ],
  ])("recounts every customer of the shop from its value orders %s, and leaves other shops alone", async (_how, refresh) => {
    const otherBefore = await aggregates(B);
    await refresh(A);
    expect(await aggregates(A)).toEqual([
      {
        shopifyId: gid(1),
        orderCount: 2,
        totalSpent: 100.5,
        firstOrderAt: new Date("2026-03-01T12:00:00Z"),
        lastOrderAt: new Date("2026-05-10T12:00:00Z"),
      },
      { shopifyId: gid(2), orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null },
      { shopifyId: gid(3), orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null },
    ]);
    expect(await aggregates(B)).toEqual(otherBefore);
  });
});

describe("writes that change nothing leave the rows alone (issue 23: an Import again of the same shop)", () => {
  beforeEach(async () => {
    await resetDatabase();
    for (const n of [1, 2]) await customer(A, n);
    await order(A, 1, 40, "2026-03-01");
    await order(A, 2, 10, "2026-03-02");
  });

  it("a second aggregate refresh keeps the figures, rewrites no customer, and a new order still counts", async () => {
    await refreshCustomerAggregates(A);
    const first = await aggregates(A);
    const versions = postgres ? await rowVersions(A) : null;
    await refreshCustomerAggregates(A);
    expect(await aggregates(A)).toEqual(first);
    if (versions) expect(await rowVersions(A)).toEqual(versions);

    await order(A, 2, 15.25, "2026-04-01");
    await refreshCustomerAggregates(A);
    expect(await aggregates(A)).toEqual([
      first[0],
      { ...first[1], orderCount: 2, totalSpent: 25.25, lastOrderAt: new Date("2026-04-01T12:00:00Z") },
    ]);
    if (versions) {
      const after = await rowVersions(A);
      expect(after[gid(1)]).toBe(versions[gid(1)]);
      expect(after[gid(2)]).not.toBe(versions[gid(2)]);
    }
  });

  it("an equal customer snapshot is not written again; a changed one is, and a birthday is never erased", async () => {
    const at = new Date("2026-05-01T00:00:00Z");
    const snapshot = (n: number, fields = {}) =>
      customerRecord(gid(n), `c${n}@example.com`, { firstName: "Ann", shopifyUpdatedAt: at, birthday: "1990-02-03", ...fields });
    await upsertCustomers(A, [snapshot(1), snapshot(2)]);
    const read = () =>
      db.customer.findMany({
        where: { shop: A },
        orderBy: { shopifyId: "asc" },
        select: { shopifyId: true, email: true, firstName: true, birthday: true, birthdayChangedAt: true, updatedAt: true },
      });
    const before = await read();
    const versions = postgres ? await rowVersions(A) : null;
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The same snapshots again, and one without a birthday (the source does not carry it): nothing to write.
    await upsertCustomers(A, [snapshot(1), snapshot(2, { birthday: null })]);
    expect(await read()).toEqual(before);
    if (versions) expect(await rowVersions(A)).toEqual(versions);

    const later = new Date("2026-06-01T00:00:00Z");
    await upsertCustomers(A, [snapshot(1, { firstName: "Anna" }), snapshot(2, { birthday: "1991-02-03", shopifyUpdatedAt: later })]);
    const after = await read();
    expect(after.map((c) => [c.firstName, c.birthday])).toEqual([
      ["Anna", "1990-02-03"],
      ["Ann", "1991-02-03"],
    ]);
    expect(after[0].updatedAt.getTime()).toBeGreaterThan(before[0].updatedAt.getTime());
    expect(after[0].birthdayChangedAt).toEqual(before[0].birthdayChangedAt);
    expect(after[1].birthdayChangedAt).toEqual(later);
  });
});
