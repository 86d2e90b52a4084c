// A large audience campaign (decision 024): codes added to one shared discount in batches (021), then delivered as
// one bulk mutation of reward metafields, recorded from the result file. A process that dies at any step of the
// bulk delivery resumes on the next run: no code lost, none duplicated, no customer written twice, no Flow trigger.
// Waits advance the emulator's clock; nothing is timed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { SimulatedCrash, type BulkCrashPoint } from "../../../app/jobs/bulk-mutations.server";
import { runIssuance } from "../../../app/jobs/issuance.server";
import { applyFlowLifecycleNotice } from "../../../app/models/flow-usage.server";
import { createRule } from "../../../app/models/rules.server";
import { addDays, FLOW_TRIGGER_HANDLE, localDateAt, validateRuleInput } from "../../../app/retention/rewards";
import { createAdminClient, type AdminClient } from "../../../app/shopify/admin-client.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "bulk-campaign.myshopify.com";
const CUSTOMERS = 64;
const TZ = "UTC";
const clock = fakeClock(Date.now());
const sleep = async (ms: number) => clock.advance(ms);
const now = () => new Date(clock.now());
let emulator: Emulator;
let client: AdminClient;
let directCalls: string[];

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    shops: [{ domain: SHOP, size: "empty", seed: 9, currency: "EUR", timeZone: TZ }],
    clock: clock.now,
    apiWritesEmitWebhooks: false,
  });
});
afterAll(() => stopEmulatedShopify(emulator));

beforeEach(async () => {
  await resetDatabase();
  // Each test's operations and discounts are its own: a new day, and more than a minute after the last test's.
  clock.advance(2 * 86_400_000);
  directCalls = [];
  client = createAdminClient(
    { shop: SHOP, accessToken: emulator.issueAccessToken(SHOP).accessToken },
    { sleep, log: (entry) => void (entry.waitMs === undefined && directCalls.push(entry.operation)) },
  );
  await db.shop.create({ data: { shop: SHOP, name: "Campaign", ianaTimezone: TZ, currencyCode: "EUR" } });
  await applyFlowLifecycleNotice(SHOP, { flowTriggerDefinitionId: FLOW_TRIGGER_HANDLE, hasEnabledFlow: true, timestamp: new Date(0) });
  const today = localDateAt(now(), TZ);
  const rule = validateRuleInput(
    {
      kind: "holidayCampaign",
      name: `Campaign ${today}`,
      startsAt: today,
      endsAt: addDays(today, 3),
      audience: { type: "everyoneWithConsent" },
      reward: { type: "percentage", percentage: 10 },
    },
    { knownTiers: [] },
  );
  if (!rule.ok) throw new Error(JSON.stringify(rule.fieldErrors));
  await createRule(SHOP, rule.rule);
  const mutate = emulator.mutate(SHOP);
  const rows = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const { record } = mutate.createCustomer({ marketingState: "SUBSCRIBED" }, { deliver: false });
    rows.push({ shop: SHOP, shopifyId: `gid://shopify/Customer/${record.id}`, email: record.email, marketingState: "SUBSCRIBED" });
  }
  await db.customer.createMany({ data: rows });
});

const run = (bulkCrashAt?: BulkCrashPoint) =>
  runIssuance(SHOP, localDateAt(now(), TZ), { client, now, sleep, bulkDeliveryMinCodes: 10, bulkPollMs: 2_000, bulkCrashAt });

async function expectCampaignDeliveredOnce(sinceOp: number, flowTriggersBefore: number) {
  const rows = await db.issuedDiscount.findMany({ where: { shop: SHOP, kind: "issue" } });
  expect(rows).toHaveLength(CUSTOMERS);
  expect(rows.every((r) => r.status === "delivered")).toBe(true);
  const codes = rows.map((r) => r.code!);
  expect(new Set(codes).size).toBe(CUSTOMERS);
  // Every code is on the one shared discount, once.
  const discountIds = new Set(rows.map((r) => r.shopifyDiscountId));
  expect(discountIds.size).toBe(1);
  const discount = emulator.shop(SHOP).discounts.byId.get(Number([...discountIds][0]!.split("/").pop()))!;
  expect(discount.codes.map((c) => c.code).sort()).toEqual([...codes].sort());
  // Each customer's reward metafield holds their own code, written by ceil(64 / 6) bulk lines and nothing else.
  const state = emulator.shop(SHOP);
  for (const row of rows) expect(state.metafields.get(row.customerShopifyId, "kinship", "reward_code")?.value).toBe(row.code);
  const lines = state.bulk
    .all()
    .filter((op) => op.type === "MUTATION" && op.id >= sinceOp)
    .reduce((n, op) => n + op.objectCount, 0);
  expect(lines).toBe(Math.ceil(CUSTOMERS / 6));
  expect(directCalls.filter((op) => op === "KinshipMetafieldsSet")).toEqual([]);
  expect(state.flowTriggers.length - flowTriggersBefore).toBe(0);
  expect(await db.bulkMutationRun.count({ where: { shop: SHOP, status: { not: "recorded" } } })).toBe(0);
}

const nextOpId = () =>
  Math.max(
    0,
    ...emulator
      .shop(SHOP)
      .bulk.all()
      .map((op) => op.id),
  ) + 1;

describe("a large campaign delivered as a bulk mutation", () => {
  it("creates the codes on one discount and delivers them in bulk, without Flow triggers", async () => {
    const since = nextOpId();
    const flows = emulator.shop(SHOP).flowTriggers.length;
    const summary = await run();
    expect(summary).toMatchObject({ created: CUSTOMERS, delivered: CUSTOMERS, deliveredInBulk: CUSTOMERS, flowTriggers: 0, failed: 0 });
    await expectCampaignDeliveredOnce(since, flows);
  });

  for (const crashAt of ["afterUpload", "afterStart", "afterResult", "beforeRecord"] as BulkCrashPoint[]) {
    it(`resumes after the process dies ${crashAt}: no code lost or duplicated, no customer written twice`, async () => {
      const since = nextOpId();
      const flows = emulator.shop(SHOP).flowTriggers.length;
      await expect(run(crashAt)).rejects.toBeInstanceOf(SimulatedCrash);
      const before = await db.issuedDiscount.count({ where: { shop: SHOP, status: "created" } });
      expect(before).toBe(CUSTOMERS);
      const resumed = await run();
      expect(resumed).toMatchObject({ created: 0, delivered: CUSTOMERS, deliveredInBulk: CUSTOMERS, flowTriggers: 0 });
      await expectCampaignDeliveredOnce(since, flows);
    });
  }
});
