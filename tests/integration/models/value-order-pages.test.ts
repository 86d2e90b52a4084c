import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { valueOrderPages, type ValueOrder } from "../../../app/models/customer-scores.server";
import { upsertOrders } from "../../../app/models/orders.server";
import type { OrderRecord } from "../../../app/sync/records";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "pages-shop.myshopify.com";

function order(n: number, at: string, extra: Partial<OrderRecord> = {}): OrderRecord {
  return {
    shopifyId: `gid://shopify/Order/${n}`,
    customerShopifyId: `gid://shopify/Customer/${n % 4}`,
    name: null,
    processedAt: new Date(at),
    shopifyUpdatedAt: null,
    totalPrice: n,
    totalRefunded: 0,
    currencyCode: "EUR",
    cancelledAt: null,
    test: false,
    discountCodes: [],
    totalDiscounts: 0,
    ...extra,
  };
}

async function collect(pageSize: number, customers?: string[]) {
  const pages: ValueOrder[][] = [];
  for await (const page of valueOrderPages(SHOP, customers, pageSize)) pages.push(page);
  return pages;
}

describe("valueOrderPages", () => {
  beforeEach(resetDatabase);

  it("reads every value order once, oldest first, across pages that split runs of equal timestamps", async () => {
    // 17 orders, 9 of them at one instant, so page boundaries (every 4 rows) fall inside that run.
    const orders = [
      ...Array.from({ length: 9 }, (_, i) => order(i + 1, "2026-03-01T10:00:00Z")),
      ...Array.from({ length: 8 }, (_, i) => order(i + 20, `2026-0${(i % 3) + 1}-15T0${i}:30:00.250Z`)),
      order(90, "2026-01-01T00:00:00Z", { test: true }),
      order(91, "2026-01-01T00:00:00Z", { cancelledAt: new Date("2026-01-02T00:00:00Z") }),
      order(92, "2026-01-01T00:00:00Z", { customerShopifyId: null }),
    ];
    await upsertOrders(SHOP, orders);

    const pages = await collect(4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 1]);
    const read = pages.flat();
    const valueOrders = orders.filter((o) => !o.test && !o.cancelledAt && o.customerShopifyId);
    // Each order exactly once (the totals are distinct), none of the excluded ones.
    expect(read.map((o) => o.netTotal).sort((a, b) => a - b)).toEqual(valueOrders.map((o) => o.totalPrice).sort((a, b) => a - b));
    const times = read.map((o) => o.processedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(read.find((o) => o.netTotal === 21)?.processedAt.toISOString()).toBe("2026-02-15T01:30:00.250Z");

    // One page when it fits; the customer filter still applies.
    expect((await collect(100)).map((p) => p.length)).toEqual([valueOrders.length]);
    const one = (await collect(2, ["gid://shopify/Customer/1"])).flat();
    expect(one.map((o) => o.netTotal).sort((a, b) => a - b)).toEqual(
      valueOrders
        .filter((o) => o.customerShopifyId === "gid://shopify/Customer/1")
        .map((o) => o.totalPrice)
        .sort((a, b) => a - b),
    );
  });

  it("yields nothing for a shop without value orders", async () => {
    await upsertOrders(SHOP, [order(1, "2026-01-01T00:00:00Z", { test: true })]);
    expect(await collect(4)).toEqual([]);
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(1);
  });
});
