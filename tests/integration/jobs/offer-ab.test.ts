/**
 * A/B between two offers in one rule, against the emulated shop (issue #18): the daily run draws each
 * eligible customer once (holdout, offer A, offer B) and creates each code with its own arm's offer in
 * Shopify; the ledger keeps the arm, so a row finished by a later run keeps offer B, and the rule's
 * results compare the offers; and the preview, run over 10,000 synced customers, splits them within
 * ±2 points of the configured shares.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { decisionFromRow, previewForShop, runIssuance } from "../../../app/jobs/issuance.server";
import { ruleResults } from "../../../app/models/reward-results.server";
import { assignArm, localDateAt, type Rule } from "../../../app/retention/rewards";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, ledger, setUpShop, type RewardsShop } from "../../support/rules";

const DOMAIN = "rewards-offer-ab.myshopify.com";
const TZ = "Europe/Berlin";
const clock = fakeClock(Date.parse("2026-05-14T10:00:00Z"));
let emulator: Emulator;
let s: RewardsShop;

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [{ domain: DOMAIN, size: "empty", seed: 81, currency: "EUR", timeZone: TZ }],
  });
});
afterAll(() => stopEmulatedShopify(emulator));
beforeEach(async () => {
  emulator.shop(DOMAIN).discounts.byId.clear();
  await resetDatabase();
  s = await setUpShop(emulator, DOMAIN, { timeZone: TZ, currencyCode: "EUR" });
});

describe("an A/B rule against the emulator", () => {
  it("creates offer A's and offer B's codes for the customers drawn for them, and remembers the arm", async () => {
    const { id, rule } = await addRule(s.shop, {
      kind: "winback",
      name: "Come back",
      reward: { type: "percentage", percentage: 10 },
      holdoutShare: 0.1,
      offerB: { reward: { type: "freeShipping" }, share: 0.45 },
    });
    const customers: string[] = [];
    for (let i = 0; i < 60; i++)
      customers.push(await addCustomer(emulator, s.shop, { lifecycle: "lapsed", lapsedSince: new Date("2026-04-01T08:00:00Z") }));
    const summary = await runIssuance(s.shop, localDateAt(new Date(clock.now()), TZ), {
      client: s.client,
      now: () => new Date(clock.now()),
    });
    expect(summary.failed).toBe(0);

    const expected = new Map(customers.map((c) => [c, assignArm(id, c, 0.1, 0.45)]));
    const rows = await ledger(s.shop);
    expect(rows).toHaveLength(60);
    for (const row of rows) {
      const arm = expected.get(row.customerShopifyId);
      expect([row.kind, row.arm]).toEqual(arm === "holdout" ? ["holdout", null] : ["issue", arm]);
    }
    const values = new Map<string, unknown>();
    for (const d of emulator.shop(DOMAIN).discounts.byId.values()) {
      if (d.context.type === "customers") values.set(d.context.customerIds[0], d.value);
    }
    const arms = [...expected.values()];
    expect(arms.filter((a) => a === "A").length).toBeGreaterThan(0);
    expect(arms.filter((a) => a === "B").length).toBeGreaterThan(0);
    for (const [customer, arm] of expected) {
      if (arm === "holdout") expect(values.has(customer)).toBe(false);
      else if (arm === "B") expect(values.get(customer)).toMatchObject({ type: "freeShipping" });
      else expect(values.get(customer)).toMatchObject({ type: "percentage", percentage: 0.1 });
    }

    // A row a later run finishes is finished with its arm's offer.
    const stored = { ...rule, id } as Rule;
    const bRow = rows.find((r) => r.arm === "B")!;
    expect(decisionFromRow(bRow, stored, TZ)).toMatchObject({ arm: "B", reward: { type: "freeShipping" } });
    const aRow = rows.find((r) => r.arm === "A")!;
    expect(decisionFromRow(aRow, stored, TZ)).toMatchObject({ arm: "A", reward: { type: "percentage", percentage: 10 } });

    // The results know the two offers (nothing measured yet: every window is still open).
    const [result] = await ruleResults(s.shop, [id], new Date(clock.now()));
    expect(result.offers).toMatchObject({
      a: { customers: arms.filter((a) => a === "A").length, complete: 0 },
      b: { customers: arms.filter((a) => a === "B").length, complete: 0 },
      bVersusA: { state: "tooEarly" },
    });
  });

  it("splits 10,000 eligible customers within ±2 points of the configured shares", async () => {
    const { rule } = await addRule(s.shop, {
      kind: "winback",
      name: "Come back",
      reward: { type: "percentage", percentage: 10 },
      holdoutShare: 0.1,
      offerB: { reward: { type: "freeShipping" }, share: 0.45 },
    });
    const N = 10_000;
    for (let from = 0; from < N; from += 2_000) {
      await db.customer.createMany({
        data: Array.from({ length: 2_000 }, (_, i) => ({
          shop: s.shop,
          shopifyId: `gid://shopify/Customer/${900_000 + from + i}`,
          marketingState: "SUBSCRIBED",
          lifecycle: "lapsed",
          lapsedSince: new Date("2026-04-01T08:00:00Z"),
          orderCount: 2,
          totalSpent: 80,
        })),
      });
    }
    const preview = await previewForShop(s.shop, rule, new Date(clock.now()));
    expect(preview.count + preview.heldOut).toBe(N);
    expect(Math.abs(preview.heldOut / N - 0.1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(preview.offerB / N - 0.45)).toBeLessThanOrEqual(0.02);
    expect(Math.abs((preview.count - preview.offerB) / N - 0.45)).toBeLessThanOrEqual(0.02);
  });
});
