// The write-back as bulk mutations (decision 024): tags and value metafields reach Shopify through staged JSONL
// files run by the emulator on its own clock; the result files update what Kinship stores; a process that dies
// after any step resumes without writing any customer twice. No wall-clock assertion: waits advance the clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { driveBulkMutationRuns, SimulatedCrash, type BulkCrashPoint } from "../../../app/jobs/bulk-mutations.server";
import { writeBackTags } from "../../../app/jobs/write-back-tags.server";
import { createBulkMutationRun } from "../../../app/models/bulk-mutation-runs.server";
import { parseValuesWritten } from "../../../app/models/customer-tags.server";
import { createAdminClient, type AdminClient } from "../../../app/shopify/admin-client.server";
import { stageBulkVariables, startBulkMutation } from "../../../app/shopify/bulk-mutations.server";
import { TAGS_ADD } from "../../../app/shopify/queries/tags";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "bulk-write-back.myshopify.com";
const CUSTOMERS = 23;
const GROUPS = ["new", "regular", "loyal", "lapsed"];
const clock = fakeClock(Date.now());
const sleep = async (ms: number) => clock.advance(ms);
const now = () => new Date(clock.now());
let emulator: Emulator;
let client: AdminClient;
let directCalls: string[];
let ids: string[];

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    shops: [{ domain: SHOP, size: "empty", seed: 4 }],
    clock: clock.now,
    apiWritesEmitWebhooks: false,
  });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  await resetDatabase();
  directCalls = [];
  client = createAdminClient(
    { shop: SHOP, accessToken: emulator.issueAccessToken(SHOP).accessToken },
    { sleep, log: (entry) => void (entry.waitMs === undefined && directCalls.push(entry.operation)) },
  );
  await db.shop.create({ data: { shop: SHOP, name: "Bulk", ianaTimezone: "UTC", currencyCode: "EUR" } });
  const mutate = emulator.mutate(SHOP);
  ids = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const { record } = mutate.createCustomer({ tags: i === 0 ? ["VIP"] : [] }, { deliver: false });
    const shopifyId = `gid://shopify/Customer/${record.id}`;
    ids.push(shopifyId);
    await db.customer.create({
      data: {
        shop: SHOP,
        shopifyId,
        tags: i === 0 ? "VIP" : "",
        lifecycle: GROUPS[i % 4],
        predictedClv: 10 + i,
        pAlive: i % 5 === 0 ? null : 0.5,
        rfmSegment: "champions",
        tier: i % 2 ? "Gold" : null,
      },
    });
  }
});

const shopState = () => emulator.shop(SHOP);
const tagsOf = (gid: string) => shopState().data.customer(emulator.mutate(SHOP).customerIndex(gid)).tags;
const metafield = (gid: string, key: string) => shopState().metafields.get(gid, "kinship", key)?.value ?? null;
/** Lines each bulk mutation of this test ran, by mutation (tagsAdd / metafieldsSet). */
function bulkLines(since: number) {
  const counts: Record<string, number> = {};
  for (const op of shopState().bulk.all()) {
    if (op.type !== "MUTATION" || op.id < since) continue;
    const field = /\{\s*(\w+)\s*\(/.exec(op.query.slice(op.query.indexOf("{")))![1];
    counts[field] = (counts[field] ?? 0) + op.objectCount;
  }
  return counts;
}
const firstOpId = () =>
  Math.max(
    0,
    ...shopState()
      .bulk.all()
      .map((op) => op.id),
  ) + 1;

/** The most bulk mutations of this test that ran at once (an operation counts from its creation until it ended). */
function mostAtOnce(since: number) {
  const ops = shopState()
    .bulk.all()
    .filter((op) => op.type === "MUTATION" && op.id >= since);
  return Math.max(0, ...ops.map((a) => ops.filter((b) => b.createdAt <= a.createdAt && a.createdAt < (b.completedAt ?? Infinity)).length));
}

/** Runs `work` with bulk lines so slow (one per 500 s of the clock) that operations started together overlap. */
async function withSlowLines<T>(work: () => Promise<T>): Promise<T> {
  const controls = shopState().bulk.controls;
  const rate = controls.mutationLinesPerSecond;
  controls.mutationLinesPerSecond = 1 / 500;
  try {
    return await work();
  } finally {
    controls.mutationLinesPerSecond = rate;
  }
}

async function expectAllWrittenOnce(since: number) {
  // Every customer's tags in one tagsAdd line, their values in ceil(23 / 5) metafieldsSet lines, nothing direct.
  expect(bulkLines(since)).toEqual({ metafieldsSet: Math.ceil(CUSTOMERS / 5), tagsAdd: CUSTOMERS });
  expect(directCalls.filter((op) => /TagsAdd|MetafieldsSet/.test(op))).toEqual([]);
  const rows = await db.customer.findMany({ where: { shop: SHOP }, orderBy: { shopifyId: "asc" } });
  for (const row of rows) {
    const kinship = tagsOf(row.shopifyId).filter((t) => t.startsWith("kinship:"));
    expect(kinship.sort()).toEqual([`kinship:${row.lifecycle}`, ...(row.tier ? [`kinship:tier-${row.tier.toLowerCase()}`] : [])].sort());
    expect(
      row.tags
        .split(", ")
        .filter((t) => t.startsWith("kinship:"))
        .sort(),
    ).toEqual(kinship.sort());
    expect(metafield(row.shopifyId, "lifecycle")).toBe(row.lifecycle);
    expect(metafield(row.shopifyId, "predicted_clv")).toBe(row.predictedClv!.toFixed(2));
    expect(metafield(row.shopifyId, "p_alive")).toBe(row.pAlive === null ? null : "0.500");
    expect(parseValuesWritten(row.valuesWritten)).toMatchObject({ lifecycle: row.lifecycle, predicted_clv: row.predictedClv!.toFixed(2) });
  }
  expect(tagsOf(ids[0])).toContain("VIP");
  expect(await db.bulkMutationRun.count({ where: { shop: SHOP, status: { not: "recorded" } } })).toBe(0);
}

describe("write-back in bulk", () => {
  it("writes tags and value metafields as bulk mutations, records them from the result files, then writes only changes", async () => {
    const since = firstOpId();
    const result = await writeBackTags(SHOP, client, { mode: "bulk", sleep });
    expect(result).toMatchObject({ mode: "bulk", customersChanged: CUSTOMERS, bulkLinesFailed: 0, failures: [] });
    await expectAllWrittenOnce(since);
    // Variables are dropped once recorded.
    expect(await db.bulkMutationRun.findMany({ where: { shop: SHOP } })).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: "recorded", variables: "", failed: 0 })]),
    );

    // Nothing changed: nothing is written. One customer's value and group change: only that goes, directly.
    directCalls = [];
    expect(await writeBackTags(SHOP, client, { sleep })).toMatchObject({ customersChanged: 0, mode: "direct" });
    expect(directCalls.filter((op) => /TagsAdd|MetafieldsSet|MetafieldsDelete/.test(op))).toEqual([]);
    await db.customer.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: ids[3] } }, data: { lifecycle: "loyal", pAlive: null } });
    const small = await writeBackTags(SHOP, client, { sleep });
    expect(small).toMatchObject({ mode: "direct", customersChanged: 1, valuesWritten: 1, valuesDeleted: 1 });
    expect(metafield(ids[3], "lifecycle")).toBe("loyal");
    expect(metafield(ids[3], "p_alive")).toBeNull();
    expect(bulkLines(since).tagsAdd).toBe(CUSTOMERS);
  });

  it("retries lines Shopify refused, directly", async () => {
    const since = firstOpId();
    // A customer deleted in Shopify since the sync: its lines fail in the bulk run and again when retried.
    const gone = ids[7];
    emulator.mutate(SHOP).deleteCustomer(gone, { deliver: false });
    const result = await writeBackTags(SHOP, client, { mode: "bulk", sleep });
    expect(result.bulkLinesFailed).toBeGreaterThan(0);
    expect(result.failures.map((f) => f.customer)).toContain(gone);
    // Its metafieldsSet line (shared with four others) failed as a whole and was sent again per customer.
    const retried = directCalls.filter((op) => op === "KinshipMetafieldsSet").length;
    expect(retried).toBeGreaterThanOrEqual(4);
    for (const id of ids.filter((i) => i !== gone)) expect(metafield(id, "lifecycle")).not.toBeNull();
    expect(bulkLines(since).tagsAdd).toBe(CUSTOMERS);
  });

  for (const crashAt of ["afterUpload", "afterStart", "afterResult", "beforeRecord"] as BulkCrashPoint[]) {
    it(`resumes after the process dies ${crashAt}, writing no customer twice`, async () => {
      const since = firstOpId();
      await expect(writeBackTags(SHOP, client, { mode: "bulk", sleep, crashAt })).rejects.toBeInstanceOf(SimulatedCrash);
      // The next run (the nightly one, say) finishes the interrupted run first; the rest of the plan follows.
      const resumed = await writeBackTags(SHOP, client, { mode: "bulk", sleep });
      expect(resumed.failures).toEqual([]);
      await expectAllWrittenOnce(since);
    });
  }

  it("finds the operation it started when the process died before saving its id", async () => {
    // Operations of earlier tests (whose runs this test's fresh database no longer holds) are older than a minute.
    clock.advance(10 * 60_000);
    const since = firstOpId();
    await expect(writeBackTags(SHOP, client, { mode: "bulk", sleep, now, crashAt: "afterStart" })).rejects.toBeInstanceOf(SimulatedCrash);
    // As if the answer to bulkOperationRunMutation was lost: the run says `starting`, without an id.
    await db.bulkMutationRun.updateMany({ where: { shop: SHOP, status: "started" }, data: { status: "starting", bulkOperationId: null } });
    await writeBackTags(SHOP, client, { mode: "bulk", sleep, now });
    await expectAllWrittenOnce(since);
  });

  /** Eight operations since `since`, five at most at once, each asked for once: Kinship waited for its own slots. */
  function expectEightOperationsFiveAtOnce(since: number) {
    expect(
      shopState()
        .bulk.all()
        .filter((op) => op.id >= since),
    ).toHaveLength(8);
    expect(mostAtOnce(since)).toBe(5);
    expect(directCalls.filter((op) => op === "KinshipBulkMutationRun")).toHaveLength(8);
  }

  it("splits a large write into shards run side by side, never more than five bulk mutations at once", async () => {
    const since = firstOpId();
    // Four lines a shard: 5 metafieldsSet lines in 2 shards, 23 tagsAdd lines in 6; eight runs, eight operations.
    const result = await withSlowLines(() => writeBackTags(SHOP, client, { mode: "bulk", sleep, shardLines: 4 }));
    expect(result).toMatchObject({ mode: "bulk", customersChanged: CUSTOMERS, bulkLinesFailed: 0, failures: [] });
    await expectAllWrittenOnce(since);
    expect(await db.bulkMutationRun.count({ where: { shop: SHOP, status: "recorded" } })).toBe(8);
    expectEightOperationsFiveAtOnce(since);
  });

  it("shares the shop's five with the other bulk runs of the process (a campaign's delivery)", async () => {
    const since = firstOpId();
    const delivery: string[] = [];
    for (let i = 0; i < 3; i++) {
      const lines = [{ id: ids[i], tags: [`campaign-${i}`] }];
      delivery.push((await createBulkMutationRun(SHOP, { purpose: "rewardDelivery", mutation: TAGS_ADD, lines })).id);
    }
    await withSlowLines(() =>
      Promise.all([
        driveBulkMutationRuns(SHOP, delivery, { client, sleep }, async () => undefined),
        writeBackTags(SHOP, client, { mode: "bulk", sleep, shardLines: 6 }),
      ]),
    );
    // Three delivery runs and five write-back shards, never more than five at once, none refused by Shopify.
    expectEightOperationsFiveAtOnce(since);
    for (let i = 0; i < 3; i++) expect(tagsOf(ids[i])).toContain(`campaign-${i}`);
    expect(await db.bulkMutationRun.count({ where: { shop: SHOP, status: { not: "recorded" } } })).toBe(0);
  });

  it("waits out LIMIT_REACHED when another process's bulk mutation holds one of the five", async () => {
    const other = firstOpId();
    // Ten lines (the same harmless one) at 500 s each: the other process's run holds its slot for 5,000 s of the
    // clock. With one line, the first shards' polls (5 s each) sometimes moved the clock past it before the
    // fifth shard had asked, on a loaded machine, and nothing was refused.
    const line = JSON.stringify({ id: ids[0], tags: ["VIP"] });
    const path = await stageBulkVariables(client, `${Array.from({ length: 10 }, () => line).join("\n")}\n`);
    await withSlowLines(async () => {
      await startBulkMutation(client, TAGS_ADD, path);
      const since = firstOpId();
      // Five shards (one metafieldsSet, four tagsAdd): the fifth is refused while the other process's runs.
      const result = await writeBackTags(SHOP, client, { mode: "bulk", sleep, shardLines: 6 });
      expect(result).toMatchObject({ customersChanged: CUSTOMERS, bulkLinesFailed: 0, failures: [] });
      await expectAllWrittenOnce(since);
    });
    expect(directCalls.filter((op) => op === "KinshipBulkMutationRun").length).toBeGreaterThan(1 + 5);
    expect(mostAtOnce(other)).toBe(5);
    expect(await db.bulkMutationRun.count({ where: { shop: SHOP, status: "recorded" } })).toBe(5);
  });

  it("resumes shards started before the process died, none written twice, none lost", async () => {
    const since = firstOpId();
    await withSlowLines(async () => {
      // The first shard to finish dies before its result is read: the others have started, three wait for a slot.
      await expect(writeBackTags(SHOP, client, { mode: "bulk", sleep, shardLines: 4, crashAt: "afterResult" })).rejects.toBeInstanceOf(
        SimulatedCrash,
      );
      const runs = await db.bulkMutationRun.findMany({ where: { shop: SHOP } });
      expect(runs.filter((r) => r.status === "started")).toHaveLength(5);
      expect(runs.filter((r) => r.status === "recorded")).toHaveLength(0);
      const resumed = await writeBackTags(SHOP, client, { mode: "bulk", sleep, shardLines: 4 });
      expect(resumed.failures).toEqual([]);
    });
    await expectAllWrittenOnce(since);
    expect(mostAtOnce(since)).toBeLessThanOrEqual(5);
  });

  it("finds a shard's operation when the process died before saving its id, among its siblings", async () => {
    clock.advance(10 * 60_000);
    const since = firstOpId();
    await withSlowLines(async () => {
      await expect(writeBackTags(SHOP, client, { mode: "bulk", sleep, now, shardLines: 4, crashAt: "afterStart" })).rejects.toBeInstanceOf(
        SimulatedCrash,
      );
      // One shard is between start and saved id at a time: that one lost the answer.
      expect(await db.bulkMutationRun.count({ where: { shop: SHOP, status: "started" } })).toBe(1);
      await db.bulkMutationRun.updateMany({
        where: { shop: SHOP, status: "started" },
        data: { status: "starting", bulkOperationId: null },
      });
      await writeBackTags(SHOP, client, { mode: "bulk", sleep, now, shardLines: 4 });
    });
    await expectAllWrittenOnce(since);
  });

  it("a re-score during a bulk run leaves that run's customers to it", async () => {
    await expect(writeBackTags(SHOP, client, { mode: "bulk", sleep, crashAt: "afterStart" })).rejects.toBeInstanceOf(SimulatedCrash);
    directCalls = [];
    const rescore = await writeBackTags(SHOP, client, { only: [ids[1], ids[2]], sleep });
    expect(rescore.customersChanged).toBe(0);
    expect(directCalls.filter((op) => /TagsAdd|MetafieldsSet/.test(op))).toEqual([]);
  });
});
