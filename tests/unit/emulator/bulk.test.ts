import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonl } from "../../emulator/client";
import { fakeClock } from "../../emulator/clock";
import { startEmulator, type Emulator } from "../../emulator/server";
import { decimalString } from "../../emulator/money";
import { orderRefundedCents } from "../../emulator/store/records";
import { isoUtc } from "../../emulator/time";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

const RUN = `mutation Run($query: String!, $group: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { id status } userErrors { field message code } }
}`;
const STATUS = `query Status($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl type query }
}`;

const NESTED = `{
  customers {
    edges { node {
      id email numberOfOrders
      orders { edges { node { id name lineItems { edges { node { id quantity } } } } } }
    } }
  }
}`;

const ORDERS = `{
  orders(query: "status:any") {
    edges { node {
      id name processedAt cancelledAt test
      customer { id }
      totalPriceSet { shopMoney { amount currencyCode } }
      totalRefundedSet { shopMoney { amount } }
    } }
  }
}`;

type RunAnswer = {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
};
type StatusAnswer = {
  bulkOperation: {
    id: string;
    status: string;
    errorCode: string | null;
    objectCount: string;
    rootObjectCount: string;
    fileSize: string | null;
    url: string | null;
    partialDataUrl: string | null;
  };
};

describe("bulk operations", () => {
  const clock = fakeClock(Date.now());
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;

  const run = async (query: string, group = false) => (await gql<RunAnswer>(RUN, { query, group })).body.data!.bulkOperationRunQuery;
  const finished = async (id: string) => {
    await emulator.waitForBulkOperation("bulk-shop", id);
    return (await gql<StatusAnswer>(STATUS, { id })).body.data!.bulkOperation;
  };
  const download = async (url: string) => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return parseJsonl(await response.text());
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      clock: clock.now,
      shops: [{ domain: "bulk-shop", size: "tiny", seed: 17 }],
    });
    gql = graphqlFor(emulator, emulator.issueAccessToken("bulk-shop").accessToken);
  });
  afterAll(() => emulator.close());

  it("writes nested connections as separate lines with __parentId, children not always after their parent", async () => {
    const started = await run(NESTED);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation?.status).toBe("CREATED");
    const op = await finished(started.bulkOperation!.id);
    expect(op.status).toBe("COMPLETED");
    const lines = await download(op.url!);
    const data = emulator.shop("bulk-shop").data;

    const position = new Map(lines.map((line, k) => [line.id as string, k]));
    const customers = lines.filter((l) => String(l.id).includes("/Customer/"));
    const orders = lines.filter((l) => String(l.id).includes("/Order/"));
    const lineItems = lines.filter((l) => String(l.id).includes("/LineItem/"));
    expect(op.objectCount).toBe(String(lines.length));
    expect(op.rootObjectCount).toBe(String(data.customerCount));
    expect(Number(op.fileSize)).toBeGreaterThan(0);

    expect(customers.map((c) => c.id).sort()).toEqual(Array.from({ length: data.customerCount }, (_, c) => data.customerGid(c)).sort());
    for (const customer of customers) expect(customer).not.toHaveProperty("__parentId");
    for (let c = 0; c < data.customerCount; c += 1) {
      const expected = data.customerOrderIndices(c).map((i) => data.orderGid(i));
      const got = orders.filter((o) => o.__parentId === data.customerGid(c)).map((o) => o.id);
      expect(got).toEqual(expected);
    }
    expect(orders.length).toBe(
      data.orderCount - [...Array(data.orderCount).keys()].filter((i) => data.orderSummary(i).customerIndex < 0).length,
    );
    for (const item of lineItems) expect(position.has(item.__parentId as string)).toBe(true);
    const totalItems = orders.reduce(
      (sum, o) => sum + data.order(data.findOrder(Number(String(o.id).split("/").pop()))).lineItems.length,
      0,
    );
    expect(lineItems.length).toBe(totalItems);

    // groupObjects: false (the 2026-04 default) gives no ordering guarantee: some children precede their parent.
    const childBeforeParent = [...orders, ...lineItems].some(
      (child) => position.get(child.id as string)! < position.get(child.__parentId as string)!,
    );
    expect(childBeforeParent).toBe(true);
    // Keys come in selection order with __parentId last, as in Shopify's files.
    expect(Object.keys(orders[0])).toEqual(["id", "name", "__parentId"]);
  });

  it("keeps children right after their parent with groupObjects: true", async () => {
    const op = await finished((await run(NESTED, true)).bulkOperation!.id);
    const lines = await download(op.url!);
    const position = new Map(lines.map((line, k) => [line.id as string, k]));
    for (const line of lines) {
      if (line.__parentId) expect(position.get(line.__parentId as string)!).toBeLessThan(position.get(line.id as string)!);
    }
  });

  it("exports exactly the seeded orders, money as strings in the shop's currency", async () => {
    const op = await finished((await run(ORDERS)).bulkOperation!.id);
    const lines = await download(op.url!);
    const data = emulator.shop("bulk-shop").data;
    expect(lines.length).toBe(data.orderCount);
    const expected = Array.from({ length: data.orderCount }, (_, i) => {
      const order = data.order(i);
      return {
        id: data.orderGid(i),
        name: order.name,
        processedAt: isoUtc(order.processedAt),
        cancelledAt: order.cancelledAt === null ? null : isoUtc(order.cancelledAt),
        test: order.test,
        customer: order.customerIndex < 0 ? null : { id: data.customerGid(order.customerIndex) },
        totalPriceSet: { shopMoney: { amount: decimalString(order.totalCents), currencyCode: "USD" } },
        totalRefundedSet: { shopMoney: { amount: decimalString(orderRefundedCents(order)) } },
      };
    });
    expect(lines).toEqual(expected);
  });

  it("serves the file from a signed URL that expires", async () => {
    const op = await finished((await run(ORDERS)).bulkOperation!.id);
    expect((await fetch(op.url!)).status).toBe(200);
    const tampered = op.url!.replace(/signature=[0-9a-f]{4}/, "signature=0000");
    const forbidden = await fetch(tampered);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain("<Code>SignatureDoesNotMatch</Code>");

    clock.advance(7 * 86_400_000 + 1000);
    const expired = await fetch(op.url!);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("<Code>ExpiredToken</Code>");
  });

  it("enforces the concurrent bulk query limit with Shopify's userErrors", async () => {
    const shop = emulator.shop("bulk-shop");
    shop.bulk.controls.hold = true;
    const ids: string[] = [];
    for (let k = 0; k < 5; k += 1) {
      const started = await run(ORDERS);
      expect(started.userErrors).toEqual([]);
      ids.push(started.bulkOperation!.id);
    }
    const refused = await run(ORDERS);
    expect(refused.bulkOperation).toBeNull();
    expect(refused.userErrors).toHaveLength(1);
    expect(refused.userErrors[0].code).toBe("LIMIT_REACHED");

    const running = await gql<{ bulkOperations: { nodes: { id: string; status: string }[] } }>(
      `{ bulkOperations(first: 10, query: "status:running") { nodes { id status } } }`,
    );
    expect(running.body.data!.bulkOperations.nodes.map((n) => n.id).sort()).toEqual([...ids].sort());

    shop.bulk.controls.concurrency = 1;
    const single = await run(ORDERS);
    expect(single.userErrors[0].code).toBe("OPERATION_IN_PROGRESS");
    expect(single.userErrors[0].message).toMatch(/already in progress/);

    shop.bulk.release();
    shop.bulk.controls.concurrency = 5;
    for (const id of ids) expect((await finished(id)).status).toBe("COMPLETED");
    const latest = await gql<{ currentBulkOperation: { id: string } }>(`{ currentBulkOperation { id } }`);
    expect(latest.body.data!.currentBulkOperation.id).toBe(ids[ids.length - 1]);
  });

  it("rejects invalid bulk queries with userErrors", async () => {
    expect((await run(`{ shop { name } }`)).userErrors[0].message).toMatch(/connection/);
    expect((await run(`{ orders { edges { node { nope } } } }`)).userErrors[0].message).toBe(
      "Invalid bulk query: Field 'nope' doesn't exist on type 'Order'",
    );
    expect((await run(`{ customers { edges { node { email orders { edges { node { id } } } } } } }`)).userErrors[0].message).toMatch(
      /must select the 'id' field/,
    );
  });

  it("can fail on purpose with partial data, and fails with ACCESS_DENIED without the scope", async () => {
    const shop = emulator.shop("bulk-shop");
    shop.bulk.controls.failNext = "INTERNAL_SERVER_ERROR";
    const failed = await finished((await run(ORDERS)).bulkOperation!.id);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
    expect(failed.partialDataUrl).toMatch(/partial\.jsonl/);
    const partial = await download(failed.partialDataUrl!);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(shop.data.orderCount);

    const noOrders = graphqlFor(emulator, emulator.issueAccessToken("bulk-shop", ["read_customers"]).accessToken);
    const started = (await noOrders<RunAnswer>(RUN, { query: ORDERS, group: false })).body.data!.bulkOperationRunQuery;
    const denied = await emulator.waitForBulkOperation("bulk-shop", started.bulkOperation!.id);
    expect(denied.status).toBe("FAILED");
    expect(denied.errorCode).toBe("ACCESS_DENIED");
  });

  it("mixes malformed lines into the next file when asked (for sync error handling tests)", async () => {
    emulator.shop("bulk-shop").bulk.controls.malformedLinesNext = 2;
    const op = await finished((await run(ORDERS)).bulkOperation!.id);
    const text = await (await fetch(op.url!)).text();
    const broken = text.split("\n").filter((line) => {
      if (!line) return false;
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(2);
  });
});
