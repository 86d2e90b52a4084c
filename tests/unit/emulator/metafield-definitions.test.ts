import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator/server";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

const SHOP = "definitions.myshopify.com";

const CREATE = `mutation Create($definition: MetafieldDefinitionInput!) {
  metafieldDefinitionCreate(definition: $definition) {
    createdDefinition { id namespace key name type { name } validations { name value } capabilities { analyticsQueryable { enabled eligible } } }
    userErrors { field message code }
  }
}`;
const UPDATE = `mutation Update($definition: MetafieldDefinitionUpdateInput!) {
  metafieldDefinitionUpdate(definition: $definition) { updatedDefinition { name validations { name value } } userErrors { field message code } }
}`;
const DELETE = `mutation Delete($identifier: MetafieldDefinitionIdentifierInput!, $all: Boolean) {
  metafieldDefinitionDelete(identifier: $identifier, deleteAllAssociatedMetafields: $all) {
    deletedDefinitionId deletedDefinition { namespace key } userErrors { field message code }
  }
}`;
const LIST = `query List($namespace: String) {
  metafieldDefinitions(ownerType: CUSTOMER, namespace: $namespace, first: 10) { nodes { key name validations { name value } } }
}`;
const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { key value } userErrors { field message code elementIndex } }
}`;
const SEGMENT_CREATE = `mutation Seg($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) { segment { id } userErrors { field message } }
}`;
const MEMBERS = `query Members($segmentId: ID, $query: String) {
  customerSegmentMembers(segmentId: $segmentId, query: $query, first: 50) { totalCount edges { node { id } } }
}`;

type Errors = { field: string[] | null; message: string; code?: string }[];

describe("metafield definitions and segments over customer metafields", () => {
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, shops: [{ domain: SHOP, size: "tiny", seed: 5 }] });
    gql = graphqlFor(emulator, emulator.issueAccessToken(SHOP).accessToken);
  });
  afterAll(() => emulator.close());

  const customer = (i: number) => emulator.shop(SHOP).data.customerGid(i);
  const definition = (key: string, type: string, validations: { name: string; value: string }[] = []) => ({
    namespace: "kinship",
    key,
    name: `Kinship ${key}`,
    ownerType: "CUSTOMER",
    type,
    validations,
    capabilities: { analyticsQueryable: { enabled: true } },
  });
  const create = async (input: Record<string, unknown>) =>
    (
      await gql<{ metafieldDefinitionCreate: { createdDefinition: Record<string, unknown> | null; userErrors: Errors } }>(CREATE, {
        definition: input,
      })
    ).body.data!.metafieldDefinitionCreate;
  const set = async (entries: { ownerId: string; key: string; value: string; type?: string }[]) =>
    (
      await gql<{ metafieldsSet: { metafields: unknown[]; userErrors: Errors } }>(SET, {
        metafields: entries.map((e) => ({ namespace: "kinship", type: e.type, ownerId: e.ownerId, key: e.key, value: e.value })),
      })
    ).body.data!.metafieldsSet;
  const members = async (args: { segmentId?: string; query?: string }) =>
    (await gql<{ customerSegmentMembers: { totalCount: number; edges: { node: { id: string } }[] } }>(MEMBERS, args)).body;

  it("creates a typed definition with validations and the analytics capability, once (TAKEN the second time)", async () => {
    const first = await create(
      definition("lifecycle", "single_line_text_field", [{ name: "choices", value: '["new","loyal","regular","lapsed"]' }]),
    );
    expect(first.userErrors).toEqual([]);
    expect(first.createdDefinition).toMatchObject({
      namespace: "kinship",
      key: "lifecycle",
      type: { name: "single_line_text_field" },
      validations: [{ name: "choices", value: '["new","loyal","regular","lapsed"]' }],
      capabilities: { analyticsQueryable: { enabled: true, eligible: true } },
    });
    const again = await create(definition("lifecycle", "single_line_text_field"));
    expect(again.createdDefinition).toBeNull();
    expect(again.userErrors).toEqual([expect.objectContaining({ code: "TAKEN" })]);
    // Shopify's cost model: a mutation costs 10 points, whatever it selects.
    const cost = (await gql(CREATE, { definition: definition("tier", "single_line_text_field") })).body.extensions?.cost as {
      actualQueryCost: number;
    };
    expect(cost.actualQueryCost).toBe(10);
  });

  it("refuses what Shopify refuses: unknown type, option not for the type, bad choices, reserved namespace, short key", async () => {
    expect((await create(definition("x1", "no_such_type"))).userErrors).toEqual([expect.objectContaining({ code: "INCLUSION" })]);
    expect((await create(definition("x2", "number_decimal", [{ name: "choices", value: '["a"]' }]))).userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_OPTION" }),
    ]);
    expect((await create(definition("x3", "single_line_text_field", [{ name: "choices", value: "a,b" }]))).userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_OPTION" }),
    ]);
    expect((await create({ ...definition("x4", "boolean"), namespace: "shopify--x" })).userErrors).toEqual([
      expect.objectContaining({ code: "RESERVED_NAMESPACE_KEY" }),
    ]);
    expect((await create(definition("x", "boolean"))).userErrors).toEqual([
      expect.objectContaining({ code: "TOO_SHORT", field: ["definition", "key"] }),
    ]);
  });

  it("checks values against the definition in metafieldsSet: choices, min and max, decimals; the call is atomic", async () => {
    expect(
      (
        await create(
          definition("p_alive", "number_decimal", [
            { name: "min", value: "0" },
            { name: "max", value: "1" },
          ]),
        )
      ).userErrors,
    ).toEqual([]);
    expect((await create(definition("predicted_clv", "number_decimal", [{ name: "min", value: "0" }]))).userErrors).toEqual([]);
    const refused = await set([
      { ownerId: customer(0), key: "lifecycle", value: "loyal" },
      { ownerId: customer(1), key: "lifecycle", value: "sleepy" },
      { ownerId: customer(2), key: "p_alive", value: "1.5" },
      { ownerId: customer(3), key: "predicted_clv", value: "-3" },
      { ownerId: customer(4), key: "predicted_clv", value: "12,50" },
    ]);
    expect(refused.metafields).toEqual([]);
    expect(refused.userErrors.map((e) => [e.code, (e as { elementIndex?: number }).elementIndex])).toEqual([
      ["INVALID_VALUE", 1],
      ["INVALID_VALUE", 2],
      ["INVALID_VALUE", 3],
      ["INVALID_VALUE", 4],
    ]);
    expect(refused.userErrors[0].message).toContain("choices");
    // The type comes from the definition when the input gives none.
    const ok = await set([
      { ownerId: customer(0), key: "lifecycle", value: "lapsed" },
      { ownerId: customer(0), key: "p_alive", value: "0.120" },
      { ownerId: customer(0), key: "predicted_clv", value: "900.00" },
      { ownerId: customer(1), key: "lifecycle", value: "lapsed" },
      { ownerId: customer(1), key: "p_alive", value: "0.800" },
      { ownerId: customer(1), key: "predicted_clv", value: "950.00" },
      { ownerId: customer(2), key: "lifecycle", value: "lapsed" },
      { ownerId: customer(2), key: "p_alive", value: "0.050" },
      { ownerId: customer(2), key: "predicted_clv", value: "40.00" },
      { ownerId: customer(3), key: "lifecycle", value: "loyal" },
    ]);
    expect(ok.userErrors).toEqual([]);
    expect(ok.metafields).toHaveLength(10);
  });

  it("evaluates segment queries over customer metafields: text equality, number bounds, AND, IS NULL, BETWEEN", async () => {
    const ids = async (query: string) => {
      const body = await members({ query });
      expect(body.errors).toBeUndefined();
      return body.data!.customerSegmentMembers.edges.map((e) => e.node.id.split("/").pop()).sort();
    };
    const id = (i: number) => customer(i).split("/").pop();
    expect(await ids("metafields.kinship.lifecycle = 'lapsed'")).toEqual([id(0), id(1), id(2)].sort());
    expect(await ids("metafields.kinship.p_alive < 0.3 AND metafields.kinship.predicted_clv >= 500")).toEqual([id(0)]);
    expect(await ids("metafields.kinship.predicted_clv BETWEEN 800 AND 1000")).toEqual([id(0), id(1)].sort());
    expect(await ids("metafields.kinship.lifecycle = 'loyal' AND metafields.kinship.p_alive IS NULL")).toEqual([id(3)]);
    const count = (await members({ query: "metafields.kinship.lifecycle IS NOT NULL" })).data!.customerSegmentMembers.totalCount;
    expect(count).toBe(4);
  });

  it("accepts a metafield filter only where a customer definition exists, with its type's operators and values", async () => {
    const problem = async (query: string) =>
      (await gql<{ segmentCreate: { userErrors: Errors } }>(SEGMENT_CREATE, { name: `q ${query}`, query })).body.data!.segmentCreate
        .userErrors;
    expect(await problem("metafields.kinship.unknown = 'x'")).toEqual([
      { field: ["query"], message: "Query Line 1 Column 0: 'metafields.kinship.unknown' filter cannot be found." },
    ]);
    expect(await problem("metafields.kinship.lifecycle > 'a'")).toEqual([
      { field: ["query"], message: expect.stringContaining("cannot be used") },
    ]);
    expect(await problem("metafields.kinship.p_alive < '0.3'")).toEqual([
      { field: ["query"], message: expect.stringContaining("takes a number") },
    ]);
    expect(await problem("metafields.kinship.lifecycle = 'lapsed'")).toEqual([]);
    // A saved segment is evaluated with the same rules.
    const saved = await gql<{ segmentCreate: { segment: { id: string } } }>(SEGMENT_CREATE, {
      name: "Kinship · At-risk high value",
      query: "metafields.kinship.p_alive < 0.3 AND metafields.kinship.predicted_clv >= 500",
    });
    expect((await members({ segmentId: saved.body.data!.segmentCreate.segment.id })).data!.customerSegmentMembers.totalCount).toBe(1);
  });

  it("updates a definition's name and validations, and deletes it (its values stay unless asked)", async () => {
    const update = await gql<{ metafieldDefinitionUpdate: { updatedDefinition: unknown; userErrors: Errors } }>(UPDATE, {
      definition: { namespace: "kinship", key: "predicted_clv", ownerType: "CUSTOMER", name: "Predicted CLV", validations: [] },
    });
    expect(update.body.data!.metafieldDefinitionUpdate).toEqual({
      updatedDefinition: { name: "Predicted CLV", validations: [] },
      userErrors: [],
    });
    const missing = await gql<{ metafieldDefinitionUpdate: { userErrors: Errors } }>(UPDATE, {
      definition: { namespace: "kinship", key: "nope", ownerType: "CUSTOMER", name: "x" },
    });
    expect(missing.body.data!.metafieldDefinitionUpdate.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND" })]);
    const list = await gql<{ metafieldDefinitions: { nodes: { key: string }[] } }>(LIST, { namespace: "kinship" });
    expect(list.body.data!.metafieldDefinitions.nodes.map((n) => n.key).sort()).toEqual(["lifecycle", "p_alive", "predicted_clv", "tier"]);

    const deleted = await gql<{ metafieldDefinitionDelete: { deletedDefinition: unknown; userErrors: Errors } }>(DELETE, {
      identifier: { ownerType: "CUSTOMER", namespace: "kinship", key: "predicted_clv" },
    });
    expect(deleted.body.data!.metafieldDefinitionDelete).toMatchObject({
      deletedDefinition: { namespace: "kinship", key: "predicted_clv" },
      userErrors: [],
    });
    expect(emulator.shop(SHOP).metafields.get(customer(0), "kinship", "predicted_clv")?.value).toBe("900.00");
    // Without a definition the metafield is no longer a segment filter.
    expect((await members({ query: "metafields.kinship.predicted_clv >= 1" })).errors).toBeDefined();

    await gql(DELETE, { identifier: { ownerType: "CUSTOMER", namespace: "kinship", key: "p_alive" }, all: true });
    expect(emulator.shop(SHOP).metafields.get(customer(0), "kinship", "p_alive")).toBeNull();
  });
});
