import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator/server";
import { DEFAULT_APP_SCOPES } from "../../emulator/tokens";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

const SIXTY_DAYS = 60 * 86_400_000;

describe("orders older than 60 days need read_all_orders", () => {
  let emulator: Emulator;
  let limited: ReturnType<typeof graphqlFor>;
  let full: ReturnType<typeof graphqlFor>;
  let recent: string[];
  let old: string[];

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, shops: [{ domain: "sixty", size: "tiny", seed: 21 }] });
    const scopesWithout = DEFAULT_APP_SCOPES.filter((scope) => scope !== "read_all_orders");
    limited = graphqlFor(emulator, emulator.issueAccessToken("sixty", scopesWithout).accessToken);
    full = graphqlFor(emulator, emulator.issueAccessToken("sixty").accessToken);
    const data = emulator.shop("sixty").data;
    const cutoff = Date.now() - SIXTY_DAYS;
    const all = Array.from({ length: data.orderCount }, (_, i) => i);
    recent = all.filter((i) => data.orderTime(i, "createdAt") >= cutoff).map((i) => data.orderGid(i));
    old = all.filter((i) => data.orderTime(i, "createdAt") < cutoff).map((i) => data.orderGid(i));
  });
  afterAll(() => emulator.close());

  const listIds = async (gql: ReturnType<typeof graphqlFor>) => {
    const answer = await gql<{ orders: { nodes: { id: string }[] } }>(`{ orders(first: 250, sortKey: ID) { nodes { id } } }`);
    return answer.body.data!.orders.nodes.map((n) => n.id);
  };

  it("lists only recent orders without the scope, everything with it", async () => {
    expect(recent.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    expect(await listIds(limited)).toEqual(recent);
    expect(await listIds(full)).toEqual([...old, ...recent].sort());
  });

  it("hides an old order from order(id), node(id) and ordersCount", async () => {
    const one = await limited<{ order: unknown; node: unknown }>(`query($id: ID!) { order(id: $id) { id } node(id: $id) { id } }`, {
      id: old[0],
    });
    expect(one.body.data).toEqual({ order: null, node: null });
    const visible = await full<{ order: { id: string } }>(`query($id: ID!) { order(id: $id) { id } }`, { id: old[0] });
    expect(visible.body.data!.order.id).toBe(old[0]);
    const counted = await limited<{ ordersCount: { count: number; precision: string } }>(`{ ordersCount { count precision } }`);
    expect(counted.body.data!.ordersCount).toEqual({ count: recent.length, precision: "EXACT" });
  });

  it("keeps the customer's aggregates, which Shopify computes over all orders", async () => {
    const data = emulator.shop("sixty").data;
    const customerIndex = Array.from({ length: data.customerCount }, (_, c) => c).find((c) => data.customerStats(c).numberOfOrders > 2)!;
    const query = `query($id: ID!) { customer(id: $id) { numberOfOrders orders(first: 50) { nodes { id } } } }`;
    const answer = await limited<{ customer: { numberOfOrders: string; orders: { nodes: { id: string }[] } } }>(query, {
      id: data.customerGid(customerIndex),
    });
    expect(answer.body.data!.customer.numberOfOrders).toBe(String(data.customerStats(customerIndex).numberOfOrders));
    const expected = data
      .customerOrderIndices(customerIndex)
      .map((i) => data.orderGid(i))
      .filter((id) => recent.includes(id));
    expect(answer.body.data!.customer.orders.nodes.map((n) => n.id)).toEqual(expected);
  });
});
