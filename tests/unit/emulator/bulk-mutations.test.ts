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

    // One bulk mutation at a time per shop, while a bulk query may still start.
    const second = await stage();
    await upload(second, JSON.stringify({ id: customers[0], tags: ["x"] }));
    expect((await run(TAGS_ADD, key(second))).userErrors[0]).toMatchObject({ code: "OPERATION_IN_PROGRESS" });

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

  it("refuses a mutation not supported in bulk, a file that is not JSONL, and an unknown path", async () => {
    const target = await stage();
    await upload(target, JSON.stringify({ handle: "kinship-reward-issued", payload: {} }));
    expect((await run(FLOW, key(target))).userErrors[0]).toMatchObject({ code: "INVALID_MUTATION" });
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
