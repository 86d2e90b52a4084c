/**
 * Kinship's values as customer metafield definitions and Kinship's segments in Shopify (issue 21 items 3–4,
 * decision 025), against the emulator on either database: the definitions are created on install once and in
 * the shop's language; the Settings card creates the segments, keeps them in step when the lifecycle threshold
 * or a tier name changes, finds them again after a lost answer or a merchant's deletion, and removes them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { settled } from "../../../app/jobs/background.server";
import {
  afterRuleChange,
  ensureKinshipDefinitions,
  kinshipSegmentId,
  syncKinshipSegments,
} from "../../../app/jobs/kinship-segments.server";
import { onInstall } from "../../../app/jobs/on-install.server";
import { updateRule } from "../../../app/models/rules.server";
import { getShopSettings, saveShopSettings } from "../../../app/models/shop-settings.server";
import { loader as settingsLoader, action as settingsAction } from "../../../app/routes/app.settings";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { rewardMetafieldInputs } from "../../../app/shopify/customer-metafields.server";
import { METAFIELDS_SET } from "../../../app/shopify/queries/metafields";
import { createSegment } from "../../../app/shopify/value-segments.server";
import type { Emulator } from "../../emulator/server";
import { appRequest, call } from "../../support/admin-routes";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addRule } from "../../support/rules";
import { installShop } from "../../support/sync-helpers";

const SHOP = "kinship-segments.myshopify.com";
let emulator: Emulator;
let client: AdminClient;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    apiWritesEmitWebhooks: false,
    shops: [{ domain: SHOP, size: "tiny", seed: 21, currency: "EUR", locales: ["uk", "en"] }],
  });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
});
beforeEach(async () => {
  await resetDatabase();
  const state = emulator.shop(SHOP);
  state.segments.clear();
  state.metafieldDefinitions.clear();
  client = await installShop(emulator, SHOP);
  await seedScores();
});
afterEach(settled);

const LIFECYCLES = ["new", "loyal", "regular", "lapsed"] as const;

/** Ten scored customers (CLV 100…1000, P(alive) falling), and Kinship's values written to Shopify as write-back would. */
async function seedScores() {
  const data = emulator.shop(SHOP).data;
  for (let i = 0; i < 10; i++) {
    const shopifyId = data.customerGid(i);
    const values = { lifecycle: LIFECYCLES[i % 4], predictedClv: 100 * (i + 1), pAlive: 1 - i / 10 };
    await db.customer.create({ data: { shop: SHOP, shopifyId, ...values } });
  }
}

/** Writes the seeded values to Shopify (needs the definitions: their types come from them). */
async function writeValues() {
  const data = emulator.shop(SHOP).data;
  const rows = await db.customer.findMany({ where: { shop: SHOP } });
  const inputs = rows.flatMap((c) => [
    { ownerId: c.shopifyId, namespace: "kinship", key: "lifecycle", value: c.lifecycle! },
    { ownerId: c.shopifyId, namespace: "kinship", key: "predicted_clv", value: c.predictedClv!.toFixed(2) },
    { ownerId: c.shopifyId, namespace: "kinship", key: "p_alive", value: c.pAlive!.toFixed(3) },
  ]);
  for (let i = 0; i < inputs.length; i += 25) {
    await client.mutate(
      `mutation KinshipTestSet($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { field message code } } }`,
      { metafields: inputs.slice(i, i + 25) },
      "metafieldsSet",
    );
  }
  expect(data.customerCount).toBeGreaterThanOrEqual(10);
}

const kinshipDefinitions = () => [...emulator.shop(SHOP).metafieldDefinitions.values()].filter((d) => d.namespace === "kinship");
const shopifySegments = () => [...emulator.shop(SHOP).segments.values()];
const segmentOf = (name: string) => shopifySegments().find((s) => s.name === name);

async function memberCount(segmentId: string): Promise<number> {
  const data = await client.request<{ customerSegmentMembers: { totalCount: number } }>(
    `query KinshipTestMembers($id: ID!) { customerSegmentMembers(segmentId: $id, first: 1) { totalCount } }`,
    { id: segmentId },
  );
  return data.customerSegmentMembers.totalCount;
}

const settingsPost = async (form: Record<string, string>) =>
  call<{ intent: string; ok: boolean; message?: string }>(settingsAction, await appRequest(SHOP, "/app/settings?locale=en", { form }));

describe("definitions on install", () => {
  it("creates the nine kinship.* definitions (values and the latest reward) once, typed, validated, analytics-queryable, named in the shop's language", async () => {
    const { accessToken } = emulator.issueAccessToken(SHOP);
    await onInstall({ shop: SHOP, accessToken });
    await settled();
    const first = kinshipDefinitions();
    expect(first.map((d) => [d.key, d.type]).sort()).toEqual([
      ["lifecycle", "single_line_text_field"],
      ["p_alive", "number_decimal"],
      ["predicted_clv", "number_decimal"],
      ["reward_code", "single_line_text_field"],
      ["reward_expires_at", "date_time"],
      ["reward_offer", "single_line_text_field"],
      ["reward_reason", "single_line_text_field"],
      ["rfm_segment", "single_line_text_field"],
      ["tier", "single_line_text_field"],
    ]);
    // The shop's primary language is Ukrainian: the names every staff member sees are Ukrainian.
    expect(first.find((d) => d.key === "lifecycle")?.name).toBe("Kinship: група життєвого циклу");
    expect(first.find((d) => d.key === "lifecycle")?.validations).toEqual([
      { name: "choices", value: '["new","loyal","regular","lapsed"]' },
    ]);
    expect(first.find((d) => d.key === "p_alive")?.validations).toEqual([
      { name: "min", value: "0" },
      { name: "max", value: "1" },
    ]);
    expect(first.find((d) => d.key === "reward_code")?.name).toBe("Kinship: код винагороди");
    expect(first.find((d) => d.key === "reward_expires_at")?.validations).toEqual([]);
    expect(first.every((d) => d.analyticsQueryable)).toBe(true);

    // A reinstall changes nothing: same nine, same ids, and the ensure step reports nothing created.
    await onInstall({ shop: SHOP, accessToken });
    await settled();
    expect(
      kinshipDefinitions()
        .map((d) => d.id)
        .sort(),
    ).toEqual(first.map((d) => d.id).sort());
    const again = await ensureKinshipDefinitions(client);
    expect(again).toMatchObject({ created: [], updated: [], conflicts: [] });
    expect(again.unchanged).toHaveLength(9);
  });

  it("lets a merchant segment on the reward code a bulk-delivered campaign wrote (decision 024)", async () => {
    await ensureKinshipDefinitions(client, "en");
    const data = emulator.shop(SHOP).data;
    // As bulk delivery writes them: the same inputs, so the types must pass the definitions' checks.
    const metafields = [0, 1, 2].flatMap((i) =>
      rewardMetafieldInputs(data.customerGid(i), {
        code: `KIN-${i}`,
        expiresAt: "2026-07-01T00:00:00Z",
        offer: "15% off",
        reason: "Campaign",
      }),
    );
    const set = await client.request<{ metafieldsSet: { userErrors: unknown[] } }>(METAFIELDS_SET, { metafields });
    expect(set.metafieldsSet.userErrors).toEqual([]);
    const withCode = await createSegment(client, "Campaign codes", "metafields.kinship.reward_code IS NOT NULL");
    expect(await memberCount(withCode)).toBe(3);
  });

  it("puts back a definition the merchant renamed, and reports one someone defined with another type", async () => {
    await ensureKinshipDefinitions(client, "en");
    const lifecycle = kinshipDefinitions().find((d) => d.key === "lifecycle")!;
    emulator.shop(SHOP).metafieldDefinitions.set("CUSTOMER:kinship.lifecycle", { ...lifecycle, name: "Renamed", validations: [] });
    const tier = kinshipDefinitions().find((d) => d.key === "tier")!;
    emulator.shop(SHOP).metafieldDefinitions.set("CUSTOMER:kinship.tier", { ...tier, type: "number_integer" });
    const result = await ensureKinshipDefinitions(client, "en");
    expect(result.updated).toEqual(["lifecycle"]);
    expect(result.conflicts).toEqual([{ key: "tier", type: "number_integer" }]);
    expect(kinshipDefinitions().find((d) => d.key === "lifecycle")).toMatchObject({
      id: lifecycle.id,
      name: "Kinship lifecycle group",
      validations: [{ name: "choices", value: '["new","loyal","regular","lapsed"]' }],
    });
    // Segments are not built on a metafield Kinship cannot write: the card says why (409).
    const answer = await settingsPost({ intent: "shopifySegments", operation: "sync" });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain("kinship.tier (number_integer)");
    expect(shopifySegments()).toEqual([]);
  });
});

describe("segments through the Settings page", () => {
  it("creates Kinship's segments over the metafields, and Shopify's members are the customers Kinship put there", async () => {
    await addRule(SHOP, {
      kind: "loyaltyTiers",
      name: "Club",
      metric: "netSpend",
      graceDays: 10,
      tiers: [
        { name: "Silver", threshold: 500, reward: null },
        { name: "Gold", threshold: 1000, reward: null },
      ],
    });
    const before = await call<{ shopifySegments: { created: boolean; rows: { key: string; status: string }[] } }>(
      settingsLoader,
      await appRequest(SHOP, "/app/settings?locale=en"),
    );
    expect(before.body.shopifySegments.created).toBe(false);
    expect(before.body.shopifySegments.rows.every((r) => r.status === "notCreated")).toBe(true);

    const answer = await settingsPost({ intent: "shopifySegments", operation: "sync" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, message: "Segments in Shopify: 15 created, 0 updated, 0 removed." });
    // Names in the shop's language (Ukrainian), queries over kinship.* metafields.
    expect(shopifySegments()).toHaveLength(15);
    expect(segmentOf("Kinship · Втрачені")?.query).toBe("metafields.kinship.lifecycle = 'lapsed'");
    expect(segmentOf("Kinship · RFM Чемпіони")?.query).toBe("metafields.kinship.rfm_segment = 'champions'");
    const atRisk = shopifySegments().find((s) => s.query.startsWith("metafields.kinship.p_alive"))!;
    // P(alive) below the lifecycle threshold (0.3), CLV at the shop's 80th percentile (800 of 100…1000).
    expect(atRisk.query).toBe("metafields.kinship.p_alive < 0.3 AND metafields.kinship.predicted_clv >= 800");
    expect(
      shopifySegments()
        .filter((s) => s.query.startsWith("metafields.kinship.tier"))
        .map((s) => s.query),
    ).toEqual(["metafields.kinship.tier = 'Silver'", "metafields.kinship.tier = 'Gold'"]);
    const stored = (await getShopSettings(SHOP)).segments;
    expect(Object.keys(stored)).toHaveLength(15);
    expect(stored["value:at_risk_high_value"].id).toBe(`gid://shopify/Segment/${atRisk.id}`);
    // A campaign audience id names its segment (lifecycle groups and RFM cells share the keys).
    expect(await kinshipSegmentId(SHOP, "lifecycle:lapsed")).toBe(stored["lifecycle:lapsed"].id);
    expect(await kinshipSegmentId(SHOP, "rfm:new")).toBeNull();

    await writeValues();
    // lapsed: customers 3 and 7; at risk and high value: P(alive) 0.2 / 0.1 with CLV 900 / 1000 → 8 and 9.
    expect(await memberCount(stored["lifecycle:lapsed"].id)).toBe(2);
    expect(await memberCount(stored["value:at_risk_high_value"].id)).toBe(2);

    const after = await call<{ shopifySegments: { created: boolean; rows: { status: string }[] } }>(
      settingsLoader,
      await appRequest(SHOP, "/app/settings?locale=en"),
    );
    expect(after.body.shopifySegments.created).toBe(true);
    expect(after.body.shopifySegments.rows.every((r) => r.status === "inShopify")).toBe(true);

    // Nothing changed: a second press sends no segment mutation.
    expect((await settingsPost({ intent: "shopifySegments", operation: "sync" })).body.message).toBe(
      "Segments in Shopify: 0 created, 0 updated, 0 removed.",
    );
    expect(shopifySegments()).toHaveLength(15);
  });

  it("keeps them in step: a new P(alive) threshold and a renamed tier update the same segments", async () => {
    const { id: ruleId, rule } = await addRule(SHOP, {
      kind: "loyaltyTiers",
      name: "Club",
      metric: "netSpend",
      graceDays: 10,
      tiers: [{ name: "Silver", threshold: 500, reward: null }],
    });
    await syncKinshipSegments(SHOP, client);
    const stored = (await getShopSettings(SHOP)).segments;
    const idOf = (key: string) => Number(stored[key].id.split("/").pop());

    const saved = await settingsPost({
      intent: "lifecycle",
      pAliveThreshold: "15",
      intervalMultiple: "3",
      defaultIntervalDays: "90",
      regularMinOrders: "3",
      regularMinFrequencyScore: "4",
    });
    expect(saved.body.ok).toBe(true);
    expect(emulator.shop(SHOP).segments.get(idOf("value:at_risk_high_value"))?.query).toBe(
      "metafields.kinship.p_alive < 0.15 AND metafields.kinship.predicted_clv >= 800",
    );

    await updateRule(SHOP, ruleId, { ...rule, tiers: [{ name: "Platinum", threshold: 500, reward: null }] } as typeof rule);
    await afterRuleChange(SHOP, "loyaltyTiers", async () => client);
    const tier = emulator.shop(SHOP).segments.get(idOf("tier:1"));
    expect(tier?.query).toBe("metafields.kinship.tier = 'Platinum'");
    expect(tier?.name).toContain("Platinum");
    expect(shopifySegments()).toHaveLength(14);
  });

  it("finds a segment again after a lost answer, and recreates one the merchant deleted, without duplicates", async () => {
    await syncKinshipSegments(SHOP, client);
    const stored = { ...(await getShopSettings(SHOP)).segments };
    const lostId = stored["rfm:champions"].id;
    // The create went through but the id never reached the settings.
    delete stored["rfm:champions"];
    await saveShopSettings(SHOP, { segments: stored });
    // The merchant deleted another one in Shopify.
    emulator.shop(SHOP).segments.delete(Number(stored["lifecycle:new"].id.split("/").pop()));
    // And the segment's definition changed meanwhile (threshold), so it needs an update.
    await saveShopSettings(SHOP, { lifecycle: { pAliveThreshold: 0.2 } });

    const result = await syncKinshipSegments(SHOP, client);
    expect(result).toMatchObject({ created: 2, updated: 1, removed: 0 });
    const now = (await getShopSettings(SHOP)).segments;
    expect(now["rfm:champions"].id).toBe(lostId);
    expect(now["lifecycle:new"].id).not.toBe(stored["lifecycle:new"].id);
    expect(shopifySegments()).toHaveLength(13);
    expect(new Set(shopifySegments().map((s) => s.name)).size).toBe(13);
  });

  it("stay in Shopify after an uninstall (the app can no longer reach the shop); a reinstall takes them back without duplicates", async () => {
    await syncKinshipSegments(SHOP, client);
    const ids = Object.values((await getShopSettings(SHOP)).segments).map((s) => s.id);
    emulator.mutate(SHOP).uninstallApp({ deliver: false });
    // Shopify's documented uninstall cleanup is webhooks, script tags and admin links: segments remain.
    expect(shopifySegments()).toHaveLength(13);
    await expect(syncKinshipSegments(SHOP, client)).rejects.toThrow();

    emulator.shop(SHOP).installed = true;
    const { accessToken } = emulator.issueAccessToken(SHOP);
    client = await installShop(emulator, SHOP);
    await saveShopSettings(SHOP, { lifecycle: { pAliveThreshold: 0.25 } });
    await onInstall({ shop: SHOP, accessToken });
    await settled();
    expect(shopifySegments()).toHaveLength(13);
    expect(Object.values((await getShopSettings(SHOP)).segments).map((s) => s.id)).toEqual(ids);
    expect(shopifySegments().find((s) => s.query.startsWith("metafields.kinship.p_alive"))?.query).toContain("< 0.25 AND");
  });

  it("removes them on request; the values stay; bad input is a 400", async () => {
    await syncKinshipSegments(SHOP, client);
    expect(shopifySegments()).toHaveLength(13);
    const removed = await settingsPost({ intent: "shopifySegments", operation: "remove" });
    expect(removed.status).toBe(200);
    expect(removed.body.message).toBe("13 segments removed from Shopify. The values on your customers stay.");
    expect(shopifySegments()).toEqual([]);
    expect((await getShopSettings(SHOP)).segments).toEqual({});
    expect(kinshipDefinitions()).toHaveLength(9);

    // Removing again (nothing stored) removes nothing; keep-in-step leaves a shop without segments alone.
    expect((await settingsPost({ intent: "shopifySegments", operation: "remove" })).body.message).toBe(
      "0 segments removed from Shopify. The values on your customers stay.",
    );
    await settingsPost({
      intent: "lifecycle",
      pAliveThreshold: "25",
      intervalMultiple: "3",
      defaultIntervalDays: "90",
      regularMinOrders: "3",
      regularMinFrequencyScore: "4",
    });
    expect(shopifySegments()).toEqual([]);

    const badForms: Record<string, string>[] = [
      { intent: "shopifySegments" },
      { intent: "shopifySegments", operation: "__proto__" },
      { intent: "segmentz" },
    ];
    for (const form of badForms) {
      const bad = await settingsPost(form);
      expect(bad.status).toBe(400);
      expect(bad.body.ok).toBe(false);
    }
    expect(shopifySegments()).toEqual([]);
  });
});
