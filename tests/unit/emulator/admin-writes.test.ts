import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator/server";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

const SHOP = "writes.myshopify.com";

const CREATE = `mutation Create($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status usageLimit startsAt endsAt
      codes(first: 5) { nodes { code } }
      customerGets { value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } } } }
      context { __typename ... on DiscountCustomers { customers { id } } ... on DiscountBuyerSelectionAll { all } } } } }
    userErrors { field message code }
  }
}`;

type Payload = {
  discountCodeBasicCreate: {
    codeDiscountNode: { id: string; codeDiscount: Record<string, unknown> } | null;
    userErrors: { field: string[]; message: string; code: string }[];
  };
};

describe("Admin API writes Kinship uses", () => {
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;

  beforeAll(async () => {
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      shops: [{ domain: SHOP, size: "tiny", seed: 6, flowTriggerHandles: ["kinship-birthday"] }],
    });
    gql = graphqlFor(emulator, emulator.issueAccessToken(SHOP).accessToken);
  });
  afterAll(() => emulator.close());

  it("creates a per-customer code discount with the 2026-04 `context` input, finds it by code, deactivates and deletes it", async () => {
    const customerId = emulator.shop(SHOP).data.customerGid(2);
    const input = {
      title: "Birthday 15%",
      code: "BDAY-ANNA-7F3K",
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2027-01-01T00:00:00Z",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
      context: { customers: { add: [customerId] } },
    };
    const created = (await gql<Payload>(CREATE, { input })).body.data!.discountCodeBasicCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.codeDiscountNode!.codeDiscount).toMatchObject({
      title: "Birthday 15%",
      status: "ACTIVE",
      usageLimit: 1,
      codes: { nodes: [{ code: "BDAY-ANNA-7F3K" }] },
      customerGets: { value: { percentage: 0.15 } },
      context: { __typename: "DiscountCustomers", customers: [{ id: customerId }] },
    });
    const stored = emulator.shop(SHOP).discounts.discountForCode("bday-anna-7f3k");
    expect(stored?.context).toEqual({ type: "customers", customerIds: [customerId] });

    const duplicate = (await gql<Payload>(CREATE, { input: { ...input, title: "Again" } })).body.data!.discountCodeBasicCreate;
    expect(duplicate.codeDiscountNode).toBeNull();
    expect(duplicate.userErrors).toEqual([
      { field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" },
    ]);

    const byCode = await gql<{ codeDiscountNodeByCode: { id: string } | null }>(
      `{ codeDiscountNodeByCode(code: "BDAY-ANNA-7F3K") { id } }`,
    );
    expect(byCode.body.data!.codeDiscountNodeByCode!.id).toBe(created.codeDiscountNode!.id);

    const id = created.codeDiscountNode!.id;
    const deactivated = await gql<{ discountCodeDeactivate: { codeDiscountNode: { codeDiscount: { status: string } } } }>(
      `mutation($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status } } } userErrors { message } } }`,
      { id },
    );
    expect(deactivated.body.data!.discountCodeDeactivate.codeDiscountNode.codeDiscount.status).toBe("EXPIRED");
    const deleted = await gql<{ discountCodeDelete: { deletedCodeDiscountId: string } }>(
      `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { message } } }`,
      { id },
    );
    expect(deleted.body.data!.discountCodeDelete.deletedCodeDiscountId).toBe(id);
    const gone = await gql<{ codeDiscountNodeByCode: unknown }>(`{ codeDiscountNodeByCode(code: "BDAY-ANNA-7F3K") { id } }`);
    expect(gone.body.data!.codeDiscountNodeByCode).toBeNull();
  });

  it("validates discount input, and still accepts the deprecated customerSelection input as the 2026-04 schema does", async () => {
    const bad = await gql<Payload>(CREATE, {
      input: {
        title: "Bad",
        code: "BAD1",
        startsAt: "2026-01-01T00:00:00Z",
        customerGets: { value: { percentage: 15 }, items: { all: true } },
        context: { all: "ALL" },
      },
    });
    expect(bad.body.data!.discountCodeBasicCreate.userErrors.map((e) => e.code)).toEqual(["VALUE_OUTSIDE_RANGE"]);
    const legacy = await gql(CREATE, {
      input: { title: "Old", code: "OLD1", startsAt: "2026-01-01T00:00:00Z", customerSelection: { all: true } },
    });
    // Deprecated is not removed: Shopify's 2026-04 introspection still lists it (the app's own guard,
    // tests/support/deprecated-inputs.ts, keeps Kinship from sending it).
    expect(legacy.body.errors).toBeUndefined();
  });

  it("adds redeem codes asynchronously in batches of at most 250", async () => {
    const created = (
      await gql<Payload>(CREATE, {
        input: {
          title: "Win-back",
          code: "BACK-0",
          startsAt: "2026-01-01T00:00:00Z",
          customerGets: { value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } }, items: { all: true } },
          context: { all: "ALL" },
        },
      })
    ).body.data!.discountCodeBasicCreate;
    const discountId = created.codeDiscountNode!.id;
    const add = `mutation($id: ID!, $codes: [DiscountRedeemCodeInput!]!) { discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) { bulkCreation { id done } userErrors { field message code } } }`;
    const tooMany = await gql<{ discountRedeemCodeBulkAdd: { userErrors: unknown[] } }>(add, {
      id: discountId,
      codes: Array.from({ length: 251 }, (_, k) => ({ code: `X${k}` })),
    });
    expect(tooMany.body.data!.discountRedeemCodeBulkAdd.userErrors).toHaveLength(1);
    const started = await gql<{ discountRedeemCodeBulkAdd: { bulkCreation: { id: string; done: boolean } } }>(add, {
      id: discountId,
      codes: [{ code: "BACK-1" }, { code: "BACK-2" }, { code: "BACK-0" }],
    });
    expect(started.body.data!.discountRedeemCodeBulkAdd.bulkCreation.done).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    const status = await gql<{ discountRedeemCodeBulkCreation: { done: boolean; importedCount: number; failedCount: number } }>(
      `query($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount } }`,
      { id: started.body.data!.discountRedeemCodeBulkAdd.bulkCreation.id },
    );
    expect(status.body.data!.discountRedeemCodeBulkCreation).toEqual({ done: true, importedCount: 2, failedCount: 1 });
  });

  it("tags customers, writes birthday metafields and enables the standard definition", async () => {
    const customerId = emulator.shop(SHOP).data.customerGid(4);
    const tags = await gql<{ tagsAdd: { node: { tags: string[] } } }>(
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["kinship-gold", "vip, loyal"]) { node { ... on Customer { tags } } userErrors { message } } }`,
      { id: customerId },
    );
    expect(tags.body.data!.tagsAdd.node.tags).toEqual(expect.arrayContaining(["kinship-gold", "vip", "loyal"]));
    const removed = await gql<{ tagsRemove: { node: { tags: string[] } } }>(
      `mutation($id: ID!) { tagsRemove(id: $id, tags: ["VIP"]) { node { ... on Customer { tags } } userErrors { message } } }`,
      { id: customerId },
    );
    expect(removed.body.data!.tagsRemove.node.tags).not.toContain("vip");

    const set = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key value type } userErrors { field message code elementIndex } } }`;
    const untyped = await gql<{ metafieldsSet: { userErrors: { code: string }[] } }>(set, {
      m: [{ ownerId: customerId, namespace: "facts", key: "birth_date", value: "1990-05-17" }],
    });
    expect(untyped.body.data!.metafieldsSet.userErrors[0].code).toBe("BLANK");
    const enabled = await gql<{
      standardMetafieldDefinitionEnable: { createdDefinition: { namespace: string; key: string; type: { name: string } } };
    }>(
      `mutation { standardMetafieldDefinitionEnable(ownerType: CUSTOMER, namespace: "facts", key: "birth_date") { createdDefinition { namespace key type { name } } userErrors { message code } } }`,
    );
    expect(enabled.body.data!.standardMetafieldDefinitionEnable.createdDefinition).toEqual({
      namespace: "facts",
      key: "birth_date",
      type: { name: "date" },
    });
    const written = await gql<{ metafieldsSet: { metafields: unknown[]; userErrors: unknown[] } }>(set, {
      m: [{ ownerId: customerId, namespace: "facts", key: "birth_date", value: "1990-05-17" }],
    });
    expect(written.body.data!.metafieldsSet).toEqual({
      metafields: [{ namespace: "facts", key: "birth_date", value: "1990-05-17", type: "date" }],
      userErrors: [],
    });
    const invalid = await gql<{ metafieldsSet: { userErrors: { code: string; elementIndex: number }[] } }>(set, {
      m: [{ ownerId: customerId, namespace: "facts", key: "birth_date", value: "17/05/1990" }],
    });
    expect(invalid.body.data!.metafieldsSet.userErrors[0]).toMatchObject({ code: "INVALID_VALUE", elementIndex: 0 });
    const read = await gql<{ customer: { metafield: { value: string } } }>(
      `query($id: ID!) { customer(id: $id) { metafield(namespace: "facts", key: "birth_date") { value } } }`,
      { id: customerId },
    );
    expect(read.body.data!.customer.metafield.value).toBe("1990-05-17");
  });

  it("creates segments with a valid query and records Flow triggers", async () => {
    const create = `mutation($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } } }`;
    const ok = await gql<{ segmentCreate: { segment: { id: string; query: string } | null; userErrors: unknown[] } }>(create, {
      name: "Kinship: at risk",
      query: "number_of_orders >= 2 AND last_order_date < -90d",
    });
    expect(ok.body.data!.segmentCreate.userErrors).toEqual([]);
    expect(ok.body.data!.segmentCreate.segment!.id).toMatch(/^gid:\/\/shopify\/Segment\/\d+$/);
    const bad = await gql<{ segmentCreate: { userErrors: { field: string[]; message: string }[] } }>(create, {
      name: "Broken",
      query: "favourite_colour = 'red'",
    });
    expect(bad.body.data!.segmentCreate.userErrors[0]).toMatchObject({
      field: ["query"],
      message: expect.stringContaining("favourite_colour"),
    });
    const taken = await gql<{ segmentCreate: { userErrors: { message: string }[] } }>(create, {
      name: "Kinship: at risk",
      query: "number_of_orders >= 1",
    });
    expect(taken.body.data!.segmentCreate.userErrors[0].message).toBe("Name has already been taken");

    const flow = `mutation($handle: String!, $payload: JSON!) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;
    const payload = { customer_id: 123, "Days until birthday": 7 };
    expect(
      (await gql<{ flowTriggerReceive: { userErrors: unknown[] } }>(flow, { handle: "kinship-birthday", payload })).body.data!
        .flowTriggerReceive.userErrors,
    ).toEqual([]);
    expect(
      (await gql<{ flowTriggerReceive: { userErrors: unknown[] } }>(flow, { handle: "unknown", payload })).body.data!.flowTriggerReceive
        .userErrors,
    ).toHaveLength(1);
    expect(emulator.shop(SHOP).flowTriggers).toEqual([expect.objectContaining({ handle: "kinship-birthday", payload })]);
  });

  it("resolves node and nodes for several types", async () => {
    const data = emulator.shop(SHOP).data;
    const ids = [data.customerGid(0), data.orderGid(0), "gid://shopify/Customer/1"];
    const answer = await gql<{ nodes: ({ __typename: string; id: string } | null)[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
      { ids },
    );
    expect(answer.body.data!.nodes).toEqual([{ __typename: "Customer", id: ids[0] }, { __typename: "Order", id: ids[1] }, null]);
  });
});
