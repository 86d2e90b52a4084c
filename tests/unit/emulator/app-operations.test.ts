// Conformance: every GraphQL document in app/ is EXECUTED against the emulator with the variables the app
// builds, and must be served (no errors, no missing resolvers, no empty payloads). A new document in app/
// fails here until it has a scenario below and the emulator implements what it asks for.
import { readFileSync } from "node:fs";
import { getOperationAST, Kind, parse, type OperationDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_TRIGGER_HANDLE, flowPayloadProblems, type FlowTriggerPayload, type Reward } from "../../../app/retention/rewards";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { METAFIELDS_PER_CALL, rewardMetafieldInputs, setBirthdayMetafields } from "../../../app/shopify/customer-metafields.server";
import { updatedBetweenQuery } from "../../../app/shopify/customers.server";
import type { CustomersPage } from "../../../app/shopify/queries/customers";
import { definitionValidations } from "../../../app/shopify/value-segments.server";
import { kinshipSegments } from "../../../app/retention/segments/kinship-segments";
import { KINSHIP_METAFIELD_DEFINITIONS, VALUE_METAFIELDS } from "../../../app/retention/segments/value-metafields";
import { TAGS_ADD } from "../../../app/shopify/queries/tags";
import { discountCreateRequest, type RewardDiscountSpec } from "../../../app/shopify/discounts.server";
import { storeCreditInput, type StoreCreditGrant } from "../../../app/shopify/store-credit.server";
import { adminGraphql, type GraphqlAnswer } from "../../emulator/client";
import { NOT_IMPLEMENTED } from "../../emulator/graphql/registry";
import { startEmulator, type Emulator } from "../../emulator/server";
import { appDocuments, type AppDocument } from "../../support/app-documents";
import { API_KEY, API_SECRET } from "../../support/emulator-helpers";

const SHOP = "conformance.myshopify.com";

/** The scopes the app asks for (shopify.app.toml), so a scope the app lacks fails here too. */
function appScopes(): string[] {
  const toml = readFileSync("shopify.app.toml", "utf8");
  const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(toml)?.[1];
  if (!scopes) throw new Error("shopify.app.toml declares no access_scopes.scopes");
  return scopes.split(",").map((s) => s.trim());
}

interface Fixture {
  emulator: Emulator;
  token: string;
  customerId: string;
  /** Filled as scenarios run: what later operations refer to. */
  bulkOperationId?: string;
  discounts: Array<{ kind: Reward["type"]; code: string; id: string }>;
  bulkCreationId?: string;
  creditId?: string;
  segmentId?: string;
  stagedUploadPath?: string;
  bulkMutationId?: string;
}

interface Scenario {
  /** Runs the operation (once or more) and returns its answers; each must be clean. */
  run(fx: Fixture, source: string): Promise<Array<GraphqlAnswer["body"]>>;
  /** What the answers must show beyond "no errors". */
  check?(answers: Array<GraphqlAnswer["body"]>, fx: Fixture): void;
}

const call = async (fx: Fixture, source: string, variables: Record<string, unknown> = {}) =>
  (await adminGraphql(fx.emulator.url, fx.token, source, variables)).body;

const once =
  (variables: (fx: Fixture) => Record<string, unknown>): Scenario["run"] =>
  async (fx, source) => [await call(fx, source, variables(fx))];

function rewardSpec(fx: Fixture, reward: Reward, code: string): RewardDiscountSpec {
  return {
    code,
    title: `Kinship · Conformance · ${reward.type}`,
    customerId: fx.customerId,
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: "2036-01-01T00:00:00Z",
    reward,
    minimumSubtotal: 25,
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  };
}

function createScenario(reward: Reward, code: string): Scenario {
  return {
    run: once((fx) => discountCreateRequest(rewardSpec(fx, reward, code)).variables),
    check: ([answer], fx) => {
      const key = discountCreateRequest(rewardSpec(fx, reward, code)).payloadKey;
      const payload = (answer.data as Record<string, { codeDiscountNode: { id: string } | null }>)[key];
      expect(payload.codeDiscountNode?.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
      fx.discounts.push({ kind: reward.type, code, id: payload.codeDiscountNode!.id });
    },
  };
}

const creditGrant = (fx: Fixture): StoreCreditGrant => ({
  customerId: fx.customerId,
  amount: 12.5,
  currencyCode: "USD",
  expiresAt: "2036-01-01T00:00:00Z",
});

const flowPayload = (fx: Fixture): FlowTriggerPayload => ({
  customer_id: Number(fx.customerId.split("/").pop()),
  code: "CONF-PCT-1",
  reason: "birthday",
  expiresAt: "2036-01-01T00:00:00.000Z",
  moment: "issued",
  ruleName: "Birthday",
  offer: "15% off",
});

/**
 * Keyed by operation name; an anonymous query is a bulk query (the app only sends those through
 * bulkOperationRunQuery) keyed `bulk:<root field>`. Listed in the order they run.
 */
const SCENARIOS: Record<string, Scenario> = {
  KinshipShopInfo: {
    run: once(() => ({})),
    check: ([a]) => expect((a.data as { shop: { currencyCode: string } }).shop.currencyCode).toBe("USD"),
  },
  KinshipShopLocales: {
    run: once(() => ({})),
    check: ([a]) => {
      const { shopLocales } = a.data as { shopLocales: Array<{ locale: string; primary: boolean }> };
      expect(shopLocales.filter((l) => l.primary)).toHaveLength(1);
    },
  },
  KinshipBulkRun: {
    run: once(() => ({ query: BACKFILL_SOURCE() })),
    check: ([a], fx) => {
      const op = (a.data as { bulkOperationRunQuery: { bulkOperation: { id: string } | null } }).bulkOperationRunQuery.bulkOperation;
      expect(op?.id).toBeTruthy();
      fx.bulkOperationId = op!.id;
    },
  },
  "bulk:orders": {
    // Executing the backfill document means running it as the bulk query it is, to completion.
    run: async (fx) => {
      const record = await fx.emulator.waitForBulkOperation(SHOP, fx.bulkOperationId!);
      return [{ data: { status: record.status, errorCode: record.errorCode ?? null, objectCount: record.objectCount } as never }];
    },
    check: ([a]) => {
      expect(a.data).toMatchObject({ status: "COMPLETED", errorCode: null });
      expect((a.data as { objectCount: number }).objectCount).toBeGreaterThan(0);
    },
  },
  KinshipBulkStatus: {
    run: once((fx) => ({ id: fx.bulkOperationId })),
    check: ([a]) =>
      expect((a.data as { bulkOperation: { status: string; url: string | null } }).bulkOperation).toMatchObject({
        status: "COMPLETED",
        url: expect.any(String),
      }),
  },
  KinshipDiscountCodeBasicCreate: createScenario({ type: "percentage", percentage: 15 }, "CONF-PCT-1"),
  KinshipDiscountCodeFreeShippingCreate: createScenario({ type: "freeShipping" }, "CONF-SHIP-1"),
  KinshipCodeDiscountByCode: {
    run: async (fx, source) =>
      Promise.all([...fx.discounts.map((d) => call(fx, source, { code: d.code })), call(fx, source, { code: "NO-SUCH-CODE" })]),
    check: (answers, fx) => {
      const nodes = answers.map(
        (a) => (a.data as { codeDiscountNodeByCode: { id: string; codeDiscount: Record<string, unknown> } | null }).codeDiscountNodeByCode,
      );
      expect(nodes.at(-1)).toBeNull();
      for (const [k, discount] of fx.discounts.entries()) {
        expect(nodes[k]?.id).toBe(discount.id);
        expect(nodes[k]?.codeDiscount).toMatchObject({
          __typename: discount.kind === "freeShipping" ? "DiscountCodeFreeShipping" : "DiscountCodeBasic",
          status: "ACTIVE",
          usageLimit: 1,
          appliesOncePerCustomer: true,
          context: { __typename: "DiscountCustomers", customers: [{ id: fx.customerId }] },
          minimumRequirement: {
            __typename: "DiscountMinimumSubtotal",
            greaterThanOrEqualToSubtotal: { amount: "25.0", currencyCode: "USD" },
          },
        });
      }
    },
  },
  KinshipDiscountAddCustomers: {
    run: once((fx) => ({ id: fx.discounts[0].id, basicCodeDiscount: { context: { customers: { add: [fx.customerId] } } } })),
    check: ([a], fx) =>
      expect(
        (a.data as { discountCodeBasicUpdate: { codeDiscountNode: { id: string } } }).discountCodeBasicUpdate.codeDiscountNode.id,
      ).toBe(fx.discounts[0].id),
  },
  KinshipRedeemCodeBulkAdd: {
    run: once((fx) => ({
      discountId: fx.discounts[0].id,
      codes: [{ code: "CONF-BULK-1" }, { code: "CONF-BULK-2" }, { code: "CONF-PCT-1" }],
    })),
    check: ([a], fx) => {
      const creation = (a.data as { discountRedeemCodeBulkAdd: { bulkCreation: { id: string; done: boolean } } }).discountRedeemCodeBulkAdd
        .bulkCreation;
      // Asynchronous, as in Shopify: queued when the mutation answers.
      expect(creation.done).toBe(false);
      fx.bulkCreationId = creation.id;
    },
  },
  KinshipRedeemCodeBulkCreation: {
    run: async (fx, source) => {
      await new Promise((resolve) => setImmediate(resolve));
      return [await call(fx, source, { id: fx.bulkCreationId })];
    },
    check: ([a]) =>
      expect(a.data).toMatchObject({ discountRedeemCodeBulkCreation: { done: true, codesCount: 3, importedCount: 2, failedCount: 1 } }),
  },
  KinshipRedeemCodeBulkCreationCodes: {
    run: once((fx) => ({ id: fx.bulkCreationId, after: null })),
    check: ([a]) => {
      const nodes = (
        a.data as { discountRedeemCodeBulkCreation: { codes: { nodes: Array<{ code: string; errors: Array<{ code: string }> }> } } }
      ).discountRedeemCodeBulkCreation.codes.nodes;
      // The discount's own code is taken: that one code fails, the others are created.
      expect(nodes.map((n) => [n.code, n.errors.map((e) => e.code)])).toEqual([
        ["CONF-BULK-1", []],
        ["CONF-BULK-2", []],
        ["CONF-PCT-1", ["TAKEN"]],
      ]);
    },
  },
  KinshipCodeDiscountCodes: {
    run: once((fx) => ({ id: fx.discounts[0].id, before: null })),
    check: ([a]) => {
      const codes = (a.data as { codeDiscountNode: { codeDiscount: { codes: { nodes: Array<{ code: string }> } } } }).codeDiscountNode
        .codeDiscount.codes.nodes;
      expect(codes.map((c) => c.code)).toEqual(["CONF-PCT-1", "CONF-BULK-1", "CONF-BULK-2"]);
    },
  },
  KinshipDiscountCodeDeactivate: {
    run: async (fx, source) => Promise.all(fx.discounts.map((d) => call(fx, source, { id: d.id }))),
    check: (answers) => expect(answers).toHaveLength(2),
  },
  KinshipStoreCreditAccountCredit: {
    run: once((fx) => storeCreditInput(creditGrant(fx))),
    check: ([a], fx) => {
      const created = (a.data as { storeCreditAccountCredit: { storeCreditAccountTransaction: Record<string, unknown> } })
        .storeCreditAccountCredit.storeCreditAccountTransaction;
      expect(created).toMatchObject({
        id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\/\d+$/),
        amount: { amount: "12.5", currencyCode: "USD" },
        expiresAt: "2036-01-01T00:00:00Z",
      });
      // notify: true — Shopify emails the customer itself.
      expect(fx.emulator.shop(SHOP).storeCredit.notifications).toHaveLength(1);
      fx.creditId = created.id as string;
    },
  },
  KinshipStoreCreditCredits: {
    run: once((fx) => ({ customerId: fx.customerId, currencyQuery: "currency_code:USD", after: null })),
    check: ([a], fx) => {
      const account = (a.data as { customer: { storeCreditAccounts: { nodes: Array<{ transactions: { nodes: unknown[] } }> } } }).customer
        .storeCreditAccounts.nodes[0];
      expect(account.transactions.nodes).toEqual([
        {
          __typename: "StoreCreditAccountCreditTransaction",
          id: fx.creditId,
          createdAt: expect.any(String),
          amount: { amount: "12.5", currencyCode: "USD" },
          expiresAt: "2036-01-01T00:00:00Z",
        },
      ]);
    },
  },
  KinshipStoreCreditBalance: {
    run: once((fx) => ({ customerId: fx.customerId, currencyQuery: "currency_code:USD" })),
    check: ([a]) => {
      const account = (
        a.data as {
          customer: { storeCreditAccounts: { nodes: Array<{ balance: unknown; transactions: { nodes: unknown[] } }> } };
        }
      ).customer.storeCreditAccounts.nodes[0];
      expect(account.balance).toEqual({ amount: "12.5", currencyCode: "USD" });
      expect(account.transactions.nodes).toEqual([
        {
          __typename: "StoreCreditAccountCreditTransaction",
          expiresAt: "2036-01-01T00:00:00Z",
          remainingAmount: { amount: "12.5", currencyCode: "USD" },
        },
      ]);
    },
  },
  KinshipMetafieldsSet: {
    // The reward fields, then a full batch of 25 birthdays (facts.birth_date), as the birthday writer sends them.
    run: async (fx, source) => {
      const customers = Array.from({ length: METAFIELDS_PER_CALL }, (_, i) => fx.emulator.shop(SHOP).data.customerGid(i));
      const sent: unknown[] = [];
      const recorder = {
        shop: SHOP,
        mutate: async (_doc: string, variables: Record<string, unknown>) => (sent.push(variables), {}),
      } as unknown as AdminClient;
      await setBirthdayMetafields(
        recorder,
        customers.map((customerId, i) => ({ customerId, birthDate: `1990-01-${String(i + 1).padStart(2, "0")}` })),
      );
      expect(sent).toHaveLength(1);
      return [
        await call(fx, source, {
          metafields: rewardMetafieldInputs(fx.customerId, {
            code: "CONF-PCT-1",
            expiresAt: "2036-01-01T00:00:00Z",
            offer: "15% off",
            reason: "birthday",
          }),
        }),
        await call(fx, source, sent[0] as Record<string, unknown>),
      ];
    },
    check: ([rewards, birthdays], fx) => {
      expect((rewards.data as { metafieldsSet: { metafields: unknown[] } }).metafieldsSet.metafields).toHaveLength(4);
      expect((birthdays.data as { metafieldsSet: { metafields: unknown[] } }).metafieldsSet.metafields).toHaveLength(METAFIELDS_PER_CALL);
      const shop = fx.emulator.shop(SHOP);
      expect(shop.metafields.get(shop.data.customerGid(24), "facts", "birth_date")).toMatchObject({ type: "date", value: "1990-01-25" });
    },
  },
  KinshipMetafieldsDelete: {
    // The customer takes the birthday back: written above, deleted; deleting one that is gone answers null.
    run: async (fx, source) => {
      const variables = { metafields: [{ ownerId: fx.emulator.shop(SHOP).data.customerGid(24), namespace: "facts", key: "birth_date" }] };
      return [await call(fx, source, variables), await call(fx, source, variables)];
    },
    check: ([first, again], fx) => {
      const owner = fx.emulator.shop(SHOP).data.customerGid(24);
      expect((first.data as { metafieldsDelete: { deletedMetafields: unknown[] } }).metafieldsDelete.deletedMetafields).toEqual([
        { ownerId: owner, namespace: "facts", key: "birth_date" },
      ]);
      expect((again.data as { metafieldsDelete: { deletedMetafields: unknown[] } }).metafieldsDelete.deletedMetafields).toEqual([null]);
      expect(fx.emulator.shop(SHOP).metafields.get(owner, "facts", "birth_date")).toBeNull();
    },
  },
  KinshipCustomersUpdatedSince: {
    // The refresh's window over a birthday the merchant set in the admin, read back in two pages of one.
    run: async (fx, source) => {
      const mutate = fx.emulator.mutate(SHOP);
      const edited = mutate.setCustomerBirthday(fx.customerId, "1988-04-09", { deliver: false }).record;
      mutate.setCustomerBirthday(fx.emulator.shop(SHOP).data.customerGid(4), "1979-12-01", { deliver: false });
      const query = updatedBetweenQuery(new Date(edited.updatedAt - 1), new Date(edited.updatedAt + 86_400_000));
      const first = await call(fx, source, { first: 1, after: null, query });
      const after = (first.data as unknown as CustomersPage).customers.pageInfo.endCursor;
      return [first, await call(fx, source, { first: 1, after, query })];
    },
    check: (answers, fx) => {
      const nodes = answers.flatMap((a) => (a.data as unknown as CustomersPage).customers.nodes);
      expect(nodes.find((n) => n.id === fx.customerId)?.birthDate).toMatchObject({
        value: "1988-04-09",
        updatedAt: expect.stringMatching(/Z$/),
      });
      expect(nodes.map((n) => n.birthDate?.value)).toEqual(["1988-04-09", "1979-12-01"]);
    },
  },
  KinshipStandardMetafieldDefinitionEnable: {
    run: once(() => ({ ownerType: "CUSTOMER", namespace: "facts", key: "birth_date" })),
    check: ([a]) =>
      expect(a.data).toMatchObject({ standardMetafieldDefinitionEnable: { createdDefinition: { namespace: "facts", key: "birth_date" } } }),
  },
  KinshipFlowTriggerReceive: {
    run: async (fx, source) => {
      expect(flowPayloadProblems(flowPayload(fx))).toEqual([]);
      return [await call(fx, source, { handle: FLOW_TRIGGER_HANDLE, payload: flowPayload(fx) })];
    },
    check: (_answers, fx) => expect(fx.emulator.shop(SHOP).flowTriggers.map((t) => t.handle)).toEqual([FLOW_TRIGGER_HANDLE]),
  },
  KinshipTagsAdd: {
    run: once((fx) => ({ id: fx.customerId, tags: ["kinship:loyal", "kinship:tier:gold"] })),
    check: (_a, fx) => expect(customerTags(fx)).toEqual(expect.arrayContaining(["kinship:loyal", "kinship:tier:gold"])),
  },
  KinshipTagsRemove: {
    run: once((fx) => ({ id: fx.customerId, tags: ["kinship:tier:gold"] })),
    check: (_a, fx) => expect(customerTags(fx)).not.toContain("kinship:tier:gold"),
  },
  KinshipValueDefinitions: {
    run: once(() => ({ namespace: "kinship" })),
    check: ([a]) => expect(a.data).toEqual({ metafieldDefinitions: { nodes: [] } }),
  },
  KinshipMetafieldDefinitionCreate: {
    run: async (fx, source) => {
      const answers = [];
      for (const definition of KINSHIP_METAFIELD_DEFINITIONS) {
        answers.push(
          await call(fx, source, {
            definition: {
              namespace: "kinship",
              key: definition.key,
              name: `Kinship ${definition.key}`,
              description: "Written by Kinship.",
              ownerType: "CUSTOMER",
              type: definition.type,
              validations: definitionValidations(definition),
              capabilities: { analyticsQueryable: { enabled: true } },
            },
          }),
        );
      }
      return answers;
    },
    check: (answers) =>
      expect(
        answers.map(
          (a) =>
            (a.data as { metafieldDefinitionCreate: { createdDefinition: { key: string } } }).metafieldDefinitionCreate.createdDefinition
              .key,
        ),
      ).toEqual([
        "predicted_clv",
        "p_alive",
        "lifecycle",
        "rfm_segment",
        "tier",
        // The latest reward's metafields (decision 024), so a segment can filter on them.
        "reward_code",
        "reward_expires_at",
        "reward_offer",
        "reward_reason",
      ]),
  },
  KinshipMetafieldDefinitionUpdate: {
    run: once(() => ({
      definition: {
        namespace: "kinship",
        key: "lifecycle",
        ownerType: "CUSTOMER",
        name: "Kinship lifecycle group",
        description: "Renamed.",
        validations: definitionValidations(VALUE_METAFIELDS.find((d) => d.key === "lifecycle")!),
        capabilities: { analyticsQueryable: { enabled: true } },
      },
    })),
    check: ([a]) => expect(a.data).toMatchObject({ metafieldDefinitionUpdate: { updatedDefinition: { key: "lifecycle" } } }),
  },
  KinshipStagedUploadsCreate: {
    // Staged as the transport stages a write-back's variables, then uploaded as its multipart form.
    run: async (fx, source) => {
      const answer = await call(fx, source, {
        input: [
          { resource: "BULK_MUTATION_VARIABLES", filename: "kinship-bulk-variables.jsonl", mimeType: "text/jsonl", httpMethod: "POST" },
        ],
      });
      const target = (
        answer.data as {
          stagedUploadsCreate: { stagedTargets: Array<{ url: string; parameters: Array<{ name: string; value: string }> }> };
        }
      ).stagedUploadsCreate.stagedTargets[0];
      const form = new FormData();
      for (const { name, value } of target.parameters) form.append(name, value);
      form.append("file", new Blob([`${JSON.stringify({ id: fx.customerId, tags: ["kinship:regular"] })}\n`]), "vars.jsonl");
      expect((await fetch(target.url, { method: "POST", body: form })).status).toBe(201);
      fx.stagedUploadPath = target.parameters.find((p) => p.name === "key")!.value;
      return [answer];
    },
  },
  KinshipBulkMutationRun: {
    run: once((fx) => ({ mutation: TAGS_ADD, stagedUploadPath: fx.stagedUploadPath })),
    check: ([a], fx) => {
      const op = (a.data as { bulkOperationRunMutation: { bulkOperation: { id: string } | null } }).bulkOperationRunMutation.bulkOperation;
      expect(op?.id).toBeTruthy();
      fx.bulkMutationId = op!.id;
    },
  },
  KinshipBulkMutationsSince: {
    run: async (fx, source) => {
      await fx.emulator.waitForBulkOperation(SHOP, fx.bulkMutationId!);
      return [await call(fx, source, { query: "operation_type:mutation created_at:>='2000-01-01T00:00:00Z'" })];
    },
    check: ([a], fx) => {
      expect((a.data as { bulkOperations: { nodes: Array<{ id: string; status: string }> } }).bulkOperations.nodes).toEqual([
        expect.objectContaining({ id: fx.bulkMutationId, status: "COMPLETED" }),
      ]);
      expect(customerTags(fx)).toContain("kinship:regular");
    },
  },
  KinshipSegmentCreate: {
    run: async (fx, source) => {
      const segment = kinshipSegments({ pAliveThreshold: 0.3, clvHighValueThreshold: 500, tierNames: ["Gold"] }).find(
        (s) => s.kind === "atRiskHighValue",
      )!;
      const answer = await call(fx, source, { name: "Kinship · At-risk high value", query: segment.query });
      fx.segmentId = (answer.data as { segmentCreate: { segment: { id: string } } }).segmentCreate.segment.id;
      return [answer];
    },
    check: ([a]) =>
      expect(a.data).toMatchObject({
        segmentCreate: {
          segment: {
            name: "Kinship · At-risk high value",
            query: "metafields.kinship.p_alive < 0.3 AND metafields.kinship.predicted_clv >= 500",
          },
        },
      }),
  },
  KinshipSegmentNodes: {
    run: once((fx) => ({ ids: [fx.segmentId, "gid://shopify/Segment/999999999"] })),
    check: ([a], fx) =>
      expect(a.data).toEqual({ nodes: [{ id: fx.segmentId, name: "Kinship · At-risk high value", query: expect.any(String) }, null] }),
  },
  KinshipSegmentsByName: {
    run: once(() => ({ query: 'name:"Kinship · At-risk high value"' })),
    check: ([a], fx) => expect(a.data).toMatchObject({ segments: { nodes: [{ id: fx.segmentId }] } }),
  },
  KinshipSegmentUpdate: {
    run: once((fx) => ({ id: fx.segmentId, name: "Kinship · Lapsed", query: "metafields.kinship.lifecycle = 'lapsed'" })),
    check: ([a]) => expect(a.data).toMatchObject({ segmentUpdate: { segment: { name: "Kinship · Lapsed" } } }),
  },
  KinshipSegmentDelete: {
    run: once((fx) => ({ id: fx.segmentId })),
    check: ([a], fx) => expect(a.data).toEqual({ segmentDelete: { deletedSegmentId: fx.segmentId, userErrors: [] } }),
  },
};

function customerTags(fx: Fixture): string[] {
  const data = fx.emulator.shop(SHOP).data;
  return data.customer(data.findCustomer(Number(fx.customerId.split("/").pop()))).tags;
}

const documents = appDocuments();
const keyOf = (doc: AppDocument): string => {
  const operation = getOperationAST(parse(doc.source)) as OperationDefinitionNode;
  if (operation.name) return operation.name.value;
  const root = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return `bulk:${root && root.kind === Kind.FIELD ? root.name.value : "?"}`;
};
const byKey = new Map(documents.map((d) => [keyOf(d), d]));
const BACKFILL_SOURCE = () => byKey.get("bulk:orders")!.source;

/** Mutation payloads must exist and carry no userErrors; no answer may carry errors. */
function expectClean(answer: GraphqlAnswer["body"], source: string) {
  const errors = Array.isArray(answer.errors) ? answer.errors : answer.errors ? [{ message: answer.errors }] : [];
  expect(errors.map((e) => `${e.message}${"extensions" in e && e.extensions?.code ? ` (${String(e.extensions.code)})` : ""}`)).toEqual([]);
  expect(answer.data).toBeTruthy();
  if (getOperationAST(parse(source))?.operation !== "mutation") return;
  for (const [field, payload] of Object.entries(answer.data as Record<string, { userErrors?: unknown[] } | null>)) {
    expect(payload, `${field} payload`).not.toBeNull();
    expect(payload?.userErrors ?? [], `${field} userErrors`).toEqual([]);
  }
}

describe("every Admin API operation in app/ runs on the emulator", () => {
  const fx = { discounts: [] } as unknown as Fixture;

  beforeAll(async () => {
    fx.emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      shops: [{ domain: SHOP, size: "tiny", seed: 11, currency: "USD" }],
    });
    fx.token = fx.emulator.issueAccessToken(SHOP, appScopes()).accessToken;
    fx.customerId = fx.emulator.shop(SHOP).data.customerGid(3);
  });
  afterAll(() => fx.emulator?.close());

  it("has a scenario for each document in app/ and no scenario without one", () => {
    expect([...byKey.keys()].sort()).toEqual(Object.keys(SCENARIOS).sort());
    expect(byKey.size).toBe(documents.length);
  });

  for (const [key, scenario] of Object.entries(SCENARIOS)) {
    it(`serves ${key}`, async () => {
      const doc = byKey.get(key);
      expect(doc, `no document in app/ is ${key}`).toBeDefined();
      const answers = await scenario.run(fx, doc!.source);
      for (const answer of answers) expectClean(answer, doc!.source);
      scenario.check?.(answers, fx);
    });
  }

  it("answers a root field it does not implement with an error, never a silent null", async () => {
    const answer = await call(fx, "{ shopifyPaymentsAccount { id } }");
    expect(answer.errors).toEqual([expect.objectContaining({ extensions: { code: NOT_IMPLEMENTED } })]);
  });
});
