import { beforeAll, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import {
  COVERING_LIST_INDEX,
  forgetCustomerIndexes,
  listCustomers,
  parseCustomerListSearch,
  type CustomerListParams,
  type CustomerListRow,
} from "../../../app/models/views/customer-index.server";
import { CUSTOMER_SORTS, type CustomerSort } from "../../../app/models/views/customer-index-options";
import { computeDashboardFigures, storedTierNames } from "../../../app/models/views/dashboard-views.server";
import { resetDatabase } from "../../support/fixtures";
import { dialect } from "../../../app/models/sql/sql.server";

const SHOP = "index-shop.myshopify.com";
const OTHER = "other-index-shop.myshopify.com";

const GROUPS = ["new", "loyal", "regular", "lapsed", null] as const;
const SEGMENTS = ["champions", "at_risk", "hibernating", null] as const;
const TIERS = ["Gold", "Silver", null] as const;

/**
 * 137 customers whose sort values repeat a lot (ties across page boundaries) and are sometimes missing
 * (NULLs must come last in both directions), plus a second shop that must never show up.
 */
function seedRows(shop: string, n: number) {
  const day = (d: number) => new Date(Date.UTC(2026, 0, 1) - d * 86_400_000);
  return Array.from({ length: n }, (_, i) => ({
    shop,
    // Ids deliberately not in insertion order, so "by id" is a real tie-break.
    id: `c-${shop.slice(0, 5)}-${String((i * 37) % n).padStart(4, "0")}`,
    shopifyId: `gid://shopify/Customer/${5000 + i}`,
    email: i % 11 === 0 ? null : `buyer${i}@${i % 2 ? "example.com" : "mail.test"}`,
    firstName: ["Ana", "Ivan", "Olena", "Petar", "Mary"][i % 5],
    lastName: ["Horvat", "Shevchenko", "Smith", "O'Brien_%"][i % 4],
    lastOrderAt: i % 9 === 0 ? null : day(i % 7),
    orderCount: i % 4,
    totalSpent: (i % 6) * 25,
    predictedClv: i % 5 === 0 ? null : (i % 3) * 100,
    pAlive: i % 5 === 0 ? null : [0.1, 0.5, 0.9][i % 3],
    lifecycle: GROUPS[i % GROUPS.length],
    rfmSegment: SEGMENTS[i % SEGMENTS.length],
    tier: TIERS[i % TIERS.length],
    birthday: i % 3 === 0 ? `19${80 + (i % 20)}-0${1 + (i % 9)}-15` : null,
  }));
}

type Seeded = ReturnType<typeof seedRows>[number];
let rows: Seeded[];

beforeAll(async () => {
  await resetDatabase();
  rows = seedRows(SHOP, 137);
  await db.customer.createMany({ data: rows });
  await db.customer.createMany({ data: seedRows(OTHER, 20) });
});

function sortValue(row: Seeded, sort: CustomerSort): number | null {
  const value = row[sort];
  if (value === null) return null;
  return value instanceof Date ? value.getTime() : value;
}

/** The order the index promises: by value in the direction, ties by id in the same direction, NULLs last. */
function expectedOrder(candidates: Seeded[], sort: CustomerSort, direction: "asc" | "desc"): string[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...candidates]
    .sort((a, b) => {
      const [va, vb] = [sortValue(a, sort), sortValue(b, sort)];
      if (va === null || vb === null) {
        if (va !== vb) return va === null ? 1 : -1;
      } else if (va !== vb) {
        return sign * (va - vb);
      }
      return sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    })
    .map((r) => r.id);
}

async function allPagesForward(
  params: CustomerListParams,
): Promise<{ ids: string[]; pages: number; totals: (number | null)[]; lastCursor: string | null }> {
  const ids: string[] = [];
  let lastCursor: string | null = null;
  const totals: (number | null)[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page = await listCustomers(SHOP, { ...params, after, withTotal: true });
    pages++;
    totals.push(page.total);
    ids.push(...page.customers.map((c) => c.id));
    lastCursor = page.pageInfo.endCursor ?? lastCursor;
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
    if (pages > 100) throw new Error("pagination does not terminate");
  }
  return { ids, pages, totals, lastCursor };
}

async function allPagesBackward(params: CustomerListParams, lastCursor: string): Promise<string[]> {
  // Start from the row after the last one: walk back with `before` from the final page's end.
  const ids: string[] = [];
  let before: string | null = lastCursor;
  for (let guard = 0; guard < 100; guard++) {
    const page = await listCustomers(SHOP, { ...params, before });
    ids.unshift(...page.customers.map((c) => c.id));
    if (!page.pageInfo.hasPreviousPage) return ids;
    before = page.pageInfo.startCursor;
  }
  throw new Error("backward pagination does not terminate");
}

describe("listCustomers keyset pagination", () => {
  for (const sort of CUSTOMER_SORTS) {
    for (const direction of ["desc", "asc"] as const) {
      it(`visits every customer exactly once in order by ${sort} ${direction}, across ties and NULLs`, async () => {
        const params: CustomerListParams = { sort, direction, limit: 10 };
        const { ids, pages, totals, lastCursor } = await allPagesForward(params);
        expect(ids).toEqual(expectedOrder(rows, sort, direction));
        expect(pages).toBe(14);
        expect(totals.every((t) => t === 137)).toBe(true);
        // Walking back from the last row gives everything before it, in the same order.
        const back = await allPagesBackward(params, lastCursor!);
        expect(back).toEqual(ids.slice(0, 136));
      });
    }
  }

  it("pages forward and backward through a filtered list the same way (filtered plan)", async () => {
    const params: CustomerListParams = { sort: "predictedClv", direction: "desc", limit: 7, lifecycle: ["loyal", "lapsed"] };
    const expected = expectedOrder(
      rows.filter((r) => r.lifecycle === "loyal" || r.lifecycle === "lapsed"),
      "predictedClv",
      "desc",
    );
    const { ids, totals, lastCursor } = await allPagesForward(params);
    expect(ids).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([expected.length]));
    const back = await allPagesBackward(params, lastCursor!);
    expect(back).toEqual(expected.slice(0, -1));
  });

  it("past the last match, returns an empty page that still knows the total", async () => {
    const params: CustomerListParams = { lifecycle: ["loyal"], limit: 100 };
    const all = await listCustomers(SHOP, params);
    const page = await listCustomers(SHOP, { ...params, after: all.pageInfo.endCursor, withTotal: true });
    expect(page.customers).toEqual([]);
    expect(page.total).toBe(all.customers.length);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("a cursor made for another sort restarts the list instead of returning a wrong page", async () => {
    const first = await listCustomers(SHOP, { sort: "orderCount", limit: 5 });
    const page = await listCustomers(SHOP, { sort: "totalSpent", limit: 5, after: first.pageInfo.endCursor });
    expect(page.customers.map((c) => c.id)).toEqual(expectedOrder(rows, "totalSpent", "desc").slice(0, 5));
    expect(page.pageInfo.hasPreviousPage).toBe(false);
  });

  it("ignores garbage cursors", async () => {
    for (const after of ["not-a-cursor", "W10", Buffer.from('["lastOrderAt","desc",{"x":1},"a"]').toString("base64url")]) {
      const page = await listCustomers(SHOP, { after, limit: 3 });
      expect(page.customers.map((c) => c.id)).toEqual(expectedOrder(rows, "lastOrderAt", "desc").slice(0, 3));
    }
  });

  it("never returns another shop's customers", async () => {
    const page = await listCustomers(SHOP, { limit: 100, query: "buyer" });
    expect(page.customers.length).toBeGreaterThan(0);
    const shops = await db.customer.findMany({ where: { id: { in: page.customers.map((c) => c.id) } }, select: { shop: true } });
    expect(new Set(shops.map((s) => s.shop))).toEqual(new Set([SHOP]));
  });
});

describe("listCustomers filters", () => {
  async function ids(params: CustomerListParams): Promise<{ ids: string[]; total: number | null }> {
    const page = await listCustomers(SHOP, { limit: 100, ...params, withTotal: true });
    expect(page.pageInfo.hasNextPage).toBe(false);
    return { ids: page.customers.map((c) => c.id), total: page.total };
  }
  async function expectFilter(params: CustomerListParams, predicate: (r: Seeded) => boolean) {
    const expected = expectedOrder(rows.filter(predicate), "lastOrderAt", "desc");
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(rows.length);
    const result = await ids(params);
    expect(result.ids).toEqual(expected);
    expect(result.total).toBe(expected.length);
  }

  it("by lifecycle group", () => expectFilter({ lifecycle: ["lapsed", "new"] }, (r) => r.lifecycle === "lapsed" || r.lifecycle === "new"));
  it("by RFM segment", () => expectFilter({ rfmSegment: ["at_risk"] }, (r) => r.rfmSegment === "at_risk"));
  it("by tier", () => expectFilter({ tier: ["Gold"] }, (r) => r.tier === "Gold"));
  it("by P(alive) range (inclusive; unscored customers excluded)", () =>
    expectFilter({ pAliveMin: 0.5, pAliveMax: 0.9 }, (r) => r.pAlive !== null && r.pAlive >= 0.5 && r.pAlive <= 0.9));
  it("by CLV range", () => expectFilter({ clvMin: 50 }, (r) => r.predictedClv !== null && r.predictedClv >= 50));
  it("by CLV upper bound only", () => expectFilter({ clvMax: 100 }, (r) => r.predictedClv !== null && r.predictedClv <= 100));
  it("with a birthday", () => expectFilter({ hasBirthday: true }, (r) => r.birthday !== null));
  it("without a birthday", () => expectFilter({ hasBirthday: false }, (r) => r.birthday === null));
  it("combined", () =>
    expectFilter(
      { lifecycle: ["loyal"], tier: ["Silver", "Gold"], hasBirthday: false },
      (r) => r.lifecycle === "loyal" && (r.tier === "Silver" || r.tier === "Gold") && r.birthday === null,
    ));

  it("ignores unknown lifecycle groups and segments instead of failing", async () => {
    const page = await listCustomers(SHOP, { lifecycle: ["nonsense"], rfmSegment: ["'; DROP TABLE Customer; --"], withTotal: true });
    expect(page.total).toBe(137);
  });

  it("returns an empty page with total 0 when nothing matches", async () => {
    const page = await listCustomers(SHOP, { tier: ["Platinum"], withTotal: true });
    expect(page.customers).toEqual([]);
    expect(page.total).toBe(0);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it("lists the shop's tier names (the tier filter's choices, from the stored dashboard figures)", async () => {
    expect(storedTierNames(await computeDashboardFigures(SHOP))).toEqual(["Gold", "Silver"]);
  });
});

describe("listCustomers search", () => {
  const match = (r: Seeded, term: string) =>
    [r.email, r.firstName, r.lastName].some((v) => v !== null && v.toLowerCase().includes(term.toLowerCase()));

  async function search(query: string): Promise<CustomerListRow[]> {
    const page = await listCustomers(SHOP, { query, limit: 100 });
    return page.customers;
  }

  it("finds by part of the email, case-insensitively", async () => {
    const found = await search("BUYER12@");
    expect(found.map((c) => c.email)).toEqual(["buyer12@mail.test"]);
  });

  it("finds by name; every word must match some field", async () => {
    const found = await search("olena smith");
    const expected = rows.filter((r) => match(r, "olena") && match(r, "smith"));
    expect(expected.length).toBeGreaterThan(0);
    expect(found.map((c) => c.id).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it("treats % and _ literally", async () => {
    const found = await search("_%");
    const expected = rows.filter((r) => match(r, "_%"));
    expect(found.map((c) => c.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(found.length).toBeLessThan(rows.length);
    expect(await search("%")).toHaveLength(expected.length);
  });

  it("finds a customer by pasted numeric Shopify id", async () => {
    const found = await search("5003");
    expect(found.map((c) => c.shopifyId)).toContain("gid://shopify/Customer/5003");
  });

  it("combines with filters and sorts", async () => {
    const page = await listCustomers(SHOP, {
      query: "example.com",
      tier: ["Gold"],
      sort: "totalSpent",
      direction: "asc",
      limit: 100,
      withTotal: true,
    });
    const expected = expectedOrder(
      rows.filter((r) => match(r, "example.com") && r.tier === "Gold"),
      "totalSpent",
      "asc",
    );
    expect(page.customers.map((c) => c.id)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });
});

describe("parseCustomerListSearch", () => {
  it("accepts the UI's parameters and converts P(alive) from percent", () => {
    const parsed = parseCustomerListSearch(
      new URLSearchParams(
        "sort=pAlive&direction=asc&lifecycle=lapsed,new&tier=Gold&pAliveMin=10&pAliveMax=55.5&clvMin=20&hasBirthday=yes&query=%20ana%20",
      ),
    );
    expect(parsed.invalid).toEqual([]);
    expect(parsed.params).toMatchObject({
      sort: "pAlive",
      direction: "asc",
      lifecycle: ["lapsed", "new"],
      tier: ["Gold"],
      pAliveMin: 0.1,
      pAliveMax: 0.555,
      clvMin: 20,
      clvMax: null,
      hasBirthday: true,
      query: "ana",
    });
  });

  it("drops and reports malformed values without failing the rest", () => {
    const parsed = parseCustomerListSearch(
      new URLSearchParams("sort=email&pAliveMin=abc&pAliveMax=150&clvMin=-5&lifecycle=vip&hasBirthday=maybe&tier=Gold"),
    );
    expect(parsed.invalid.sort()).toEqual(["clvMin", "hasBirthday", "lifecycle", "pAliveMax", "pAliveMin", "sort"]);
    expect(parsed.params).toMatchObject({ sort: "lastOrderAt", tier: ["Gold"], pAliveMin: null, lifecycle: [] });
  });

  it("swaps an upside-down range", () => {
    const parsed = parseCustomerListSearch(new URLSearchParams("clvMin=500&clvMax=100"));
    expect(parsed.params).toMatchObject({ clvMin: 100, clvMax: 500 });
  });
});

// On SQLite the filtered pass then reads through the index (a plan hint); PostgreSQL plans it itself.
describe(`listCustomers with the proposed covering index (${dialect})`, () => {
  beforeAll(async () => {
    await db.$executeRawUnsafe(
      `CREATE INDEX IF NOT EXISTS "${COVERING_LIST_INDEX}" ON "Customer"("shop","lifecycle","rfmSegment","tier","pAlive","predictedClv","lastOrderAt","orderCount","totalSpent","birthday","email","firstName","lastName","id")`,
    );
    forgetCustomerIndexes();
    return async () => {
      await db.$executeRawUnsafe(`DROP INDEX IF EXISTS "${COVERING_LIST_INDEX}"`);
      forgetCustomerIndexes();
    };
  });

  it("returns the same pages through the covering index", async () => {
    const params: CustomerListParams = { sort: "pAlive", direction: "asc", limit: 9, lifecycle: ["lapsed", "new"], query: "a" };
    const expected = expectedOrder(
      rows.filter(
        (r) =>
          (r.lifecycle === "lapsed" || r.lifecycle === "new") &&
          [r.email, r.firstName, r.lastName].some((v) => v?.toLowerCase().includes("a")),
      ),
      "pAlive",
      "asc",
    );
    const { ids, totals } = await allPagesForward(params);
    expect(ids).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([expected.length]));
  });
});
