import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator/server";
import { isoUtc } from "../../emulator/time";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

type OrdersPage = {
  orders: {
    edges: { cursor: string; node: { id: string } }[];
    nodes: { id: string }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};

const PAGE = `query Page($first: Int, $last: Int, $after: String, $before: String, $reverse: Boolean, $query: String, $sortKey: OrderSortKeys) {
  orders(first: $first, last: $last, after: $after, before: $before, reverse: $reverse, query: $query, sortKey: $sortKey) {
    edges { cursor node { id } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe("cursor pagination", () => {
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;
  let allIds: string[];

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, shops: [{ domain: "pages", size: "tiny", seed: 9 }] });
    gql = graphqlFor(emulator, emulator.issueAccessToken("pages").accessToken);
    const data = emulator.shop("pages").data;
    // Default sort is PROCESSED_AT, then id.
    allIds = Array.from({ length: data.orderCount }, (_, i) => i)
      .sort((a, b) => data.orderTime(a, "processedAt") - data.orderTime(b, "processedAt") || a - b)
      .map((i) => data.orderGid(i));
  });
  afterAll(() => emulator.close());

  it("walks every order exactly once with first/after, with consistent edges, nodes and pageInfo", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const answer: Awaited<ReturnType<typeof gql<OrdersPage>>> = await gql<OrdersPage>(PAGE, { first: 37, after });
      const page: OrdersPage["orders"] = answer.body.data!.orders;
      expect(page.nodes).toEqual(page.edges.map((edge) => edge.node));
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...page.nodes.map((n) => n.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(allIds.length / 37));
    expect(seen).toEqual(allIds);
  });

  it("supports reverse, last and before", async () => {
    const reversed = (await gql<OrdersPage>(PAGE, { first: 5, reverse: true })).body.data!.orders;
    expect(reversed.nodes.map((n) => n.id)).toEqual(allIds.slice(-5).reverse());

    const firstTen = (await gql<OrdersPage>(PAGE, { first: 10 })).body.data!.orders;
    const beforeTenth = (await gql<OrdersPage>(PAGE, { last: 3, before: firstTen.edges[9].cursor })).body.data!.orders;
    expect(beforeTenth.nodes.map((n) => n.id)).toEqual(allIds.slice(6, 9));
    expect(beforeTenth.pageInfo.hasPreviousPage).toBe(true);
    expect(beforeTenth.pageInfo.hasNextPage).toBe(true);
  });

  it("filters with the search syntax and sorts by the requested key", async () => {
    const data = emulator.shop("pages").data;
    const updated = Array.from({ length: data.orderCount }, (_, i) => data.orderTime(i, "updatedAt")).sort((a, b) => a - b);
    const since = updated[Math.floor(updated.length * 0.8)];
    const expected = Array.from({ length: data.orderCount }, (_, i) => i)
      .filter((i) => data.orderTime(i, "updatedAt") > since)
      .sort((a, b) => data.orderTime(a, "updatedAt") - data.orderTime(b, "updatedAt") || a - b)
      .map((i) => data.orderGid(i));
    const answer = await gql<OrdersPage>(PAGE, { first: 250, query: `updated_at:>'${isoUtc(since)}'`, sortKey: "UPDATED_AT" });
    expect(answer.body.data!.orders.nodes.map((n) => n.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);

    const tests = await gql<OrdersPage>(PAGE, { first: 250, query: "test:true status:any" });
    const expectedTests = allIds.filter((id) => data.order(data.findOrder(Number(id.split("/").pop()))).test);
    expect(tests.body.data!.orders.nodes.map((n) => n.id)).toEqual(expectedTests);
  });

  it("caps first/last at 250 and requires one of them, like Shopify", async () => {
    const tooMany = await gql(PAGE, { first: 251 });
    expect(tooMany.status).toBe(200);
    expect((tooMany.body.errors as { message: string }[])[0].message).toMatch(/first/);
    const none = await gql(`{ orders { nodes { id } } }`);
    expect((none.body.errors as { message: string }[])[0].message).toBe("you must provide one of first or last");
  });

  it("returns counts as strings and money as decimal strings", async () => {
    const answer = await gql<{
      customers: { nodes: { numberOfOrders: unknown; amountSpent: { amount: unknown; currencyCode: string } }[] };
    }>(`{ customers(first: 50) { nodes { numberOfOrders amountSpent { amount currencyCode } } } }`);
    for (const customer of answer.body.data!.customers.nodes) {
      expect(customer.numberOfOrders).toMatch(/^\d+$/);
      expect(customer.amountSpent.amount).toMatch(/^\d+\.\d{1,2}$/);
      expect(customer.amountSpent.currencyCode).toBe("USD");
    }
  });
});
