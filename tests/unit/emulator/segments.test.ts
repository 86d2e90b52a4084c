import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_IMPLEMENTED } from "../../emulator/graphql/registry";
import { startEmulator, type Emulator } from "../../emulator/server";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

const SHOP = "segments.myshopify.com";

const CREATE = `mutation Create($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } }
}`;

const MEMBERS = `query Members($segmentId: ID, $query: String, $queryId: ID, $first: Int, $after: String, $sortKey: String, $reverse: Boolean) {
  customerSegmentMembers(segmentId: $segmentId, query: $query, queryId: $queryId, first: $first, after: $after, sortKey: $sortKey, reverse: $reverse) {
    totalCount
    statistics { attributeStatistics(attributeName: "amount_spent") { sum average } }
    edges { cursor node { id displayName numberOfOrders amountSpent { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Members = {
  customerSegmentMembers: {
    totalCount: number;
    statistics: { attributeStatistics: { sum: number; average: number } };
    edges: { cursor: string; node: { id: string; numberOfOrders: string; amountSpent: { amount: string } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe("customer segments (segmentCreate, customerSegmentMembers)", () => {
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, shops: [{ domain: SHOP, size: "tiny", seed: 8 }] });
    gql = graphqlFor(emulator, emulator.issueAccessToken(SHOP).accessToken);
  });
  afterAll(() => emulator.close());

  const data = () => emulator.shop(SHOP).data;
  const memberId = (index: number) => `gid://shopify/CustomerSegmentMember/${data().customer(index).id}`;

  it("validates the segment query language on create", async () => {
    const bad = async (query: string) =>
      (await gql<{ segmentCreate: { userErrors: { field: string[]; message: string }[] } }>(CREATE, { name: `n ${query}`, query })).body
        .data!.segmentCreate.userErrors;
    expect(await bad("customer_tagz CONTAINS 'x'")).toEqual([
      { field: ["query"], message: "Query Line 1 Column 0: 'customer_tagz' filter cannot be found." },
    ]);
    expect(await bad("customer_tags CONTAINS 'x")).toEqual([{ field: ["query"], message: "Query Line 1: unterminated string literal." }]);
    expect(await bad("number_of_orders >=")).toEqual([{ field: ["query"], message: expect.stringMatching(/value is expected/) }]);
    expect(await bad("(number_of_orders > 1")).toEqual([{ field: ["query"], message: expect.stringMatching(/'\)' expected/) }]);
    const ok = await gql<{ segmentCreate: { segment: { query: string } | null; userErrors: unknown[] } }>(CREATE, {
      name: "Loyal regulars",
      query: "customer_tags CONTAINS 'kinship:loyal' AND (number_of_orders >= 2 OR amount_spent > 100)",
    });
    expect(ok.body.data!.segmentCreate).toMatchObject({ segment: { query: expect.stringContaining("kinship:loyal") }, userErrors: [] });
  });

  it("lists exactly the customers a saved segment's query selects", async () => {
    const tagged = [1, 4, 9];
    for (const index of tagged) {
      const answer = await gql(
        `mutation { tagsAdd(id: "${data().customerGid(index)}", tags: ["kinship:new"]) { userErrors { message } } }`,
      );
      expect(answer.body.errors).toBeUndefined();
    }
    const created = await gql<{ segmentCreate: { segment: { id: string } } }>(CREATE, {
      name: "Kinship: new",
      query: "customer_tags CONTAINS 'kinship:new'",
    });
    const segmentId = created.body.data!.segmentCreate.segment.id;
    const answer = await gql<Members>(MEMBERS, { segmentId, first: 50 });
    expect(answer.body.errors).toBeUndefined();
    const members = answer.body.data!.customerSegmentMembers;
    expect(members.totalCount).toBe(3);
    expect(members.edges.map((e) => e.node.id).sort()).toEqual(tagged.map(memberId).sort());
  });

  it("pages an ad-hoc query's members once each, sorted as asked, with statistics over all of them", async () => {
    const query = "number_of_orders >= 1";
    const expected: number[] = [];
    for (let index = 0; index < data().customerCount; index++) if (data().customerStats(index).numberOfOrders >= 1) expected.push(index);
    expect(expected.length).toBeGreaterThan(10);

    const seen: string[] = [];
    let after: string | null = null;
    let amounts: number[] = [];
    let statistics = { sum: 0, average: 0 };
    do {
      const answer: { body: { data?: Members | null; errors?: unknown } } = await gql<Members>(MEMBERS, {
        query,
        first: 7,
        after,
        sortKey: "amount_spent",
        reverse: true,
      });
      expect(answer.body.errors).toBeUndefined();
      const page = answer.body.data!.customerSegmentMembers;
      expect(page.totalCount).toBe(expected.length);
      seen.push(...page.edges.map((e) => e.node.id));
      amounts = [...amounts, ...page.edges.map((e) => Number(e.node.amountSpent.amount))];
      statistics = page.statistics.attributeStatistics;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen.sort()).toEqual(expected.map(memberId).sort());
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    const sum = expected.reduce((total, index) => total + data().customerStats(index).amountSpentCents, 0) / 100;
    expect(statistics.sum).toBeCloseTo(sum, 6);
    expect(statistics.average).toBeCloseTo(sum / expected.length, 6);
  });

  it("refuses what Shopify refuses, and says what it does not implement", async () => {
    const code = async (variables: Record<string, unknown>) => {
      const errors = (await gql(MEMBERS, variables)).body.errors as { message: string; extensions: { code: string } }[];
      return errors.map((e) => e.extensions.code);
    };
    expect(await code({ query: "nonsense = 1", first: 5 })).toEqual(["BAD_REQUEST"]);
    expect(await code({ first: 5 })).toEqual(["BAD_REQUEST"]);
    expect(await code({ segmentId: "gid://shopify/Segment/1", first: 5 })).toEqual(["BAD_REQUEST"]);
    expect(await code({ query: "rfm_group = 'CHAMPIONS'", first: 5 })).toEqual([NOT_IMPLEMENTED]);
    expect(await code({ queryId: "gid://shopify/CustomerSegmentMembersQuery/1", first: 5 })).toEqual([NOT_IMPLEMENTED]);
    // Pages may be larger than the usual 250 (Shopify documents 1,000; the query cost limit bites first).
    const large = await gql<Members>(
      `{ customerSegmentMembers(query: "number_of_orders >= 0", first: 300) { totalCount edges { node { id } } } }`,
    );
    expect(large.body.errors).toBeUndefined();
    expect(large.body.data!.customerSegmentMembers.edges).toHaveLength(Math.min(300, data().customerCount));
  });
});
