// The emulator's staged uploads and bulkOperationRunMutation, driven over HTTP as an app would: stage, upload a
// multipart form, run, wait on the emulator's clock, read the result file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonl } from "../../emulator/client";
import { fakeClock } from "../../emulator/clock";
import { startEmulator, type Emulator } from "../../emulator/server";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

const SHOP = "bulk-mutation-shop";
const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`;
const RUN = `mutation Run($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) { bulkOperation { id status type } userErrors { field message code } }
}`;
const STATUS = `query Status($id: ID!) { bulkOperation(id: $id) { id status type errorCode objectCount url partialDataUrl } }`;
const TAGS_ADD = `mutation Tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { field message } } }`;
const FLOW = `mutation Flow($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;

type Target = { url: string; resourceUrl: string | null; parameters: { name: string; value: string }[] };
type RunPayload = { bulkOperation: { id: string; status: string; type: string } | null; userErrors: { message: string; code: string }[] };
type Status = {
  id: string;
  status: string;
  type: string;
  errorCode: string | null;
  objectCount: string;
  url: string | null;
  partialDataUrl: string | null;
};

describe("bulk mutations", () => {
  const clock = fakeClock(Date.parse("2026-12-01T10:00:00Z"));
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;
  let customers: string[];

  beforeAll(async () => {
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      clock: clock.now,
      shops: [{ domain: SHOP, size: "tiny", seed: 5 }],
    });
    gql = graphqlFor(emulator, emulator.issueAccessToken(SHOP).accessToken);
    const shop = emulator.shop(SHOP);
    customers = [0, 1, 2].map((i) => `gid://shopify/Customer/${shop.data.customer(i).id}`);
  });
  afterAll(() => emulator.close());

  const stage = async () =>
    (
      await gql<{ stagedUploadsCreate: { stagedTargets: Target[] } }>(STAGE, {
        input: [{ resource: "BULK_MUTATION_VARIABLES", filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: "POST" }],
      })
    ).body.data!.stagedUploadsCreate.stagedTargets[0];
  const upload = async (target: Target, text: string, tamper = false) => {
    const form = new FormData();
    for (const { name, value } of target.parameters) form.append(name, tamper && name === "key" ? `${value}x` : value);
    form.append("file", new Blob([text]), "vars.jsonl");
    return fetch(target.url, { method: "POST", body: form });
  };
  const key = (target: Target) => target.parameters.find((p) => p.name === "key")!.value;
  const run = async (mutation: string, path: string) =>
    (await gql<{ bulkOperationRunMutation: RunPayload }>(RUN, { mutation, path })).body.data!.bulkOperationRunMutation;
  const status = async (id: string) => (await gql<{ bulkOperation: Status }>(STATUS, { id })).body.data!.bulkOperation;
  const tagsOf = (gid: string) => emulator.shop(SHOP).data.customer(emulator.mutate(SHOP).customerIndex(gid)).tags;

  it("stages a file, runs each line as the mutation on the emulator's clock, and answers line by line", async () => {
    const target = await stage();
    expect(target.resourceUrl).toBeNull();
    expect(target.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["key", "policy", "x-goog-signature", "success_action_status"]),
    );
    expect((await upload(target, "{}", true)).status).toBe(403);
    const lines = [
      { id: customers[0], tags: ["kinship:loyal"] },
      { id: "gid://shopify/Customer/999999999", tags: ["kinship:new"] },
      { id: customers[1], tags: 7 },
      { id: customers[2], tags: ["kinship:lapsed"] },
    ];
    const uploaded = await upload(target, lines.map((l) => JSON.stringify(l)).join("\n"));
    expect(uploaded.status).toBe(201);
    expect(await uploaded.text()).toContain(`<Key>${key(target)}</Key>`);

    const started = await run(TAGS_ADD, key(target));
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation).toMatchObject({ status: "RUNNING", type: "MUTATION" });
    const id = started.bulkOperation!.id;

    // Nothing is written until the emulator's clock passes the lines' time (100 lines/s by default).
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tagsOf(customers[0])).not.toContain("kinship:loyal");
    expect((await status(id)).status).toBe("RUNNING");
    clock.advance(20);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await status(id)).objectCount).toBe("2");
    clock.advance(1_000);
    await emulator.waitForBulkOperation(SHOP, id);
    const done = await status(id);
    expect(done).toMatchObject({ status: "COMPLETED", objectCount: "4", errorCode: null });
    expect(tagsOf(customers[0])).toContain("kinship:loyal");
    expect(tagsOf(customers[2])).toContain("kinship:lapsed");

    const result = parseJsonl(await (await fetch(done.url!)).text()) as Array<Record<string, unknown>>;
    expect(result.map((l) => l.__lineNumber)).toEqual([0, 1, 2, 3]);
    expect(result[0]).toEqual({ data: { tagsAdd: { userErrors: [] } }, __lineNumber: 0 });
    // An unknown customer is the mutation's own answer; variables that do not fit are top-level errors.
    expect(result[1]).toMatchObject({ data: { tagsAdd: {} } });
    expect(result[2]).toMatchObject({ errors: [expect.objectContaining({ message: expect.stringContaining("tags") })] });
    expect(result[2].data).toBeUndefined();

    // The staged file is consumed: a second run on the same path finds nothing.
    expect((await run(TAGS_ADD, key(target))).userErrors[0]).toMatchObject({ code: "NO_SUCH_FILE" });
  });

  it("runs up to five bulk mutations at once per shop, each at its own rate; the sixth is LIMIT_REACHED", async () => {
    const staged = async (tag: string) => {
      const target = await stage();
      await upload(target, customers.map((id) => JSON.stringify({ id, tags: [tag] })).join("\n"));
      return key(target);
    };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const started = await run(TAGS_ADD, await staged(`parallel-${i}`));
      expect(started.userErrors).toEqual([]);
      ids.push(started.bulkOperation!.id);
    }
    const sixth = await staged("parallel-5");
    expect((await run(TAGS_ADD, sixth)).userErrors[0]).toMatchObject({ code: "LIMIT_REACHED", message: expect.stringContaining("limit") });
    // Bulk queries have their own five.
    const query = await gql<{ bulkOperationRunQuery: RunPayload }>(
      `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { id } userErrors { code message } } }`,
    );
    expect(query.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
    await emulator.waitForBulkOperation(SHOP, query.body.data!.bulkOperationRunQuery.bulkOperation!.id);

    // Each runs its three lines at 100 lines/s of the clock, independently of the others: 30 ms ends all five.
    clock.advance(30);
    for (const id of ids) await emulator.waitForBulkOperation(SHOP, id);
    for (const id of ids) expect(await status(id)).toMatchObject({ status: "COMPLETED", objectCount: "3" });
    for (let i = 0; i < 5; i++) expect(tagsOf(customers[2])).toContain(`parallel-${i}`);
    // Once one has ended, the sixth starts (its staged file was not consumed by the refusal).
    const later = await run(TAGS_ADD, sixth);
    expect(later.userErrors).toEqual([]);
    clock.advance(30);
    await emulator.waitForBulkOperation(SHOP, later.bulkOperation!.id);

    // Before 2026-01 one ran at a time: with the limit at 1 the second is OPERATION_IN_PROGRESS.
    const shop = emulator.shop(SHOP);
    shop.bulk.controls.concurrency = 1;
    try {
      const first = await run(TAGS_ADD, await staged("one-at-a-time"));
      expect((await run(TAGS_ADD, await staged("one-at-a-time"))).userErrors[0]).toMatchObject({ code: "OPERATION_IN_PROGRESS" });
      clock.advance(30);
      await emulator.waitForBulkOperation(SHOP, first.bulkOperation!.id);
    } finally {
      shop.bulk.controls.concurrency = 5;
    }
  });

  it("runs any mutation it serves in bulk, such as a Flow trigger per line", async () => {
    const shop = emulator.shop(SHOP);
    const before = shop.flowTriggers.length;
    const target = await stage();
    const lines = customers.map((id) => JSON.stringify({ handle: "kinship-reward-issued", payload: { customer_id: id } }));
    await upload(target, lines.join("\n"));
    const started = await run(FLOW, key(target));
    expect(started.userErrors).toEqual([]);
    clock.advance(30);
    await emulator.waitForBulkOperation(SHOP, started.bulkOperation!.id);
    const done = await status(started.bulkOperation!.id);
    expect(done).toMatchObject({ status: "COMPLETED", objectCount: "3" });
    const result = parseJsonl(await (await fetch(done.url!)).text()) as Array<Record<string, unknown>>;
    expect(result.map((l) => l.__lineNumber)).toEqual([0, 1, 2]);
    expect(result[0]).toMatchObject({ data: { flowTriggerReceive: { userErrors: [] } } });
    expect(shop.flowTriggers.length).toBe(before + 3);
  });

  it("refuses a nested bulk operation, a file that is not JSONL, and an unknown path", async () => {
    const target = await stage();
    await upload(target, JSON.stringify({ query: "{ shop { id } }" }));
    const nested = `mutation Nested($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { message } } }`;
    expect((await run(nested, key(target))).userErrors[0]).toMatchObject({ code: "INVALID_MUTATION" });
    expect((await run("query { shop { id } }", key(target))).userErrors[0]).toMatchObject({ code: "INVALID_MUTATION" });
    const broken = await stage();
    await upload(broken, `${JSON.stringify({ id: customers[0], tags: ["a"] })}\nnot json`);
    expect((await run(TAGS_ADD, key(broken))).userErrors[0]).toMatchObject({ code: "INVALID_STAGED_UPLOAD_FILE" });
    expect((await run(TAGS_ADD, "tmp/1/bulk/none/bulk_op_vars")).userErrors[0]).toMatchObject({ code: "NO_SUCH_FILE" });
  });

  it("fails with partial data, and times out after 24 hours of the clock", async () => {
    const shop = emulator.shop(SHOP);
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: customers[i % 3], tags: [`batch-${i}`] })).join("\n");
    let target = await stage();
    await upload(target, lines);
    shop.bulk.controls.failNext = "INTERNAL_SERVER_ERROR";
    const failing = (await run(TAGS_ADD, key(target))).bulkOperation!.id;
    clock.advance(60_000);
    await emulator.waitForBulkOperation(SHOP, failing);
    const failed = await status(failing);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
    expect(parseJsonl(await (await fetch(failed.partialDataUrl!)).text())).toHaveLength(5);

    shop.bulk.controls.mutationLinesPerSecond = 10 / (25 * 3600); // 10 lines would take 25 hours
    target = await stage();
    await upload(target, lines);
    const slow = (await run(TAGS_ADD, key(target))).bulkOperation!.id;
    clock.advance(24 * 3_600_000);
    await emulator.waitForBulkOperation(SHOP, slow);
    expect(await status(slow)).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", objectCount: "9" });
    shop.bulk.controls.mutationLinesPerSecond = 100;
  });
});
