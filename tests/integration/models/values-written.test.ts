import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { recordValuesWritten } from "../../../app/models/customer-tags.server";
import { resetDatabase } from "../../support/fixtures";

// A write-back's bulk shards (metafields in one, tags in others) finish side by side and record the same
// customers. On PostgreSQL two such records read each row before either wrote it: one shard's keys were lost,
// or the two locked rows in opposite orders and one died of a deadlock (seen in the full suite).
const SHOP = "values-written.myshopify.com";
const ids = Array.from({ length: 400 }, (_, i) => `gid://shopify/Customer/${9_000 + i}`);

describe("recordValuesWritten", () => {
  beforeEach(async () => {
    await resetDatabase();
    await db.customer.createMany({ data: ids.map((shopifyId) => ({ shop: SHOP, shopifyId, orderCount: 1, totalSpent: 1 })) });
  });

  it("keeps every shard's keys when shards record the same customers at once, in opposite orders", async () => {
    const shard = (key: string, order: string[]) =>
      recordValuesWritten(
        SHOP,
        order.map((shopifyId) => ({ shopifyId, set: { [key]: `${key}-value` }, removed: [] })),
      );
    const reversed = [...ids].reverse();
    await Promise.all([
      shard("kinship.lifecycle", ids),
      shard("tag:kinship:loyal", reversed),
      shard("kinship.p_alive", ids),
      shard("tag:kinship:tier", reversed),
    ]);
    const rows = await db.customer.findMany({ where: { shop: SHOP }, select: { valuesWritten: true } });
    const keys = rows.map((r) =>
      Object.keys(JSON.parse(r.valuesWritten ?? "{}") as object)
        .sort()
        .join(","),
    );
    expect(new Set(keys)).toEqual(new Set(["kinship.lifecycle,kinship.p_alive,tag:kinship:loyal,tag:kinship:tier"]));
  });
});
