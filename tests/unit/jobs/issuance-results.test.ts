import { describe, expect, it } from "vitest";
import { decisionFromRow, decisionInstant } from "../../../app/jobs/issuance.server";
import type { IssuedRow } from "../../../app/models/issued-discounts.server";
import { periodOfKey } from "../../../app/models/issued-discounts.server";
import { buildFlowPayload, flowPayloadProblems, idempotencyKey, validateRuleInput, type Rule } from "../../../app/retention/rewards";

function rule(input: Record<string, unknown>, id = "rule-1"): Rule {
  const result = validateRuleInput(input, { knownTiers: [] });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return { ...result.rule, id } as Rule;
}

function row(partial: Partial<IssuedRow> & Pick<IssuedRow, "idempotencyKey" | "kind">): IssuedRow {
  return {
    id: "row",
    shop: "s.myshopify.com",
    ruleId: "rule-1",
    customerShopifyId: "gid://shopify/Customer/7",
    code: "K7M2QX9TBW4P",
    shopifyDiscountId: null,
    status: "recorded",
    amount: 3,
    rewardType: "percentage",
    startsAt: new Date("2026-05-10T04:00:00Z"),
    endsAt: new Date("2026-05-21T04:00:00Z"),
    redeemedAt: null,
    redeemedOrderId: null,
    redeemedRevenue: null,
    redeemedDiscount: null,
    error: null,
    attemptedAt: null,
    bulkBatch: null,
    withheldReason: null,
    arm: null,
    createdAt: new Date("2026-05-10T12:00:00Z"),
    updatedAt: new Date("2026-05-10T12:00:00Z"),
    ...partial,
  };
}

describe("ledger keys and decision days", () => {
  it("reads the period back from a key whose customer id contains ':'", () => {
    const key = idempotencyKey("r:1", "gid://shopify/Customer/7", "tier:Gold: VIP");
    expect(periodOfKey(key)).toBe("tier:Gold: VIP");
  });

  it("records a run of today at the current instant and a run of another day at that day's start", () => {
    const now = new Date("2026-03-08T02:30:00Z");
    expect(decisionInstant("2026-03-07", now, "America/New_York")).toEqual(now);
    expect(decisionInstant("2026-03-05", now, "America/New_York").toISOString()).toBe("2026-03-05T05:00:00.000Z");
  });
});

describe("decisionFromRow: finishing a row an earlier run recorded", () => {
  const birthday = rule({
    kind: "birthday",
    name: "Birthday",
    reward: { type: "percentage", percentage: 15 },
    lastChance: true,
    windowDaysAfter: 3,
  });

  it("rebuilds a birthday reminder (moment, last chance) that notifies through Flow", () => {
    const key = idempotencyKey("rule-1", "gid://shopify/Customer/7", "2026:remind:+2");
    const d = decisionFromRow(row({ idempotencyKey: key, kind: "remind" }), birthday, "UTC")!;
    expect(d).toMatchObject({
      kind: "remind",
      moment: 2,
      lastChance: true,
      notify: true,
      reason: "birthday",
      reward: { type: "percentage", percentage: 15 },
    });
    const payload = buildFlowPayload(d, "K7M2QX9TBW4P", { ruleName: "Birthday", currencyCode: "EUR" });
    expect(payload.moment).toBe("lastChance");
    expect(flowPayloadProblems(payload)).toEqual([]);
  });

  it("a birthday issue creates the code silently (its reminders carry the message)", () => {
    const key = idempotencyKey("rule-1", "gid://shopify/Customer/7", "2026");
    expect(decisionFromRow(row({ idempotencyKey: key, kind: "issue" }), birthday, "UTC")).toMatchObject({
      notify: false,
      channel: "promotional",
    });
  });

  it("finds a tier's own reward from the period, also for repeatable tier codes", () => {
    const tiers = rule({
      kind: "loyaltyTiers",
      name: "Tiers",
      metric: "netSpend",
      oncePerCustomer: false,
      tiers: [
        { name: "Silver", threshold: 100, reward: { type: "fixedAmount", amount: 5 } },
        { name: "Gold", threshold: 500, reward: { type: "percentage", percentage: 20 }, minimumSubtotal: 50 },
      ],
    });
    const key = idempotencyKey("rule-1", "gid://shopify/Customer/7", "tier:Gold:2026-05-10");
    expect(decisionFromRow(row({ idempotencyKey: key, kind: "issue" }), tiers, "UTC")).toMatchObject({
      reason: "tierUpgrade",
      reward: { type: "percentage", percentage: 20 },
      minimumSubtotal: 50,
      notify: true,
    });
  });

  it("a one-off grant recorded outside the daily run (feedback compensation) is a transactional thank-you", () => {
    const winback = rule({ kind: "winback", name: "Sorry", reward: { type: "fixedAmount", amount: 10 } });
    const d = decisionFromRow(row({ idempotencyKey: "feedback-compensation:fb-1", kind: "issue" }), winback, "UTC")!;
    expect(d).toMatchObject({
      reason: "feedbackThanks",
      notify: true,
      channel: "transactional",
      reward: { type: "fixedAmount", amount: 10 },
    });
    expect(flowPayloadProblems(buildFlowPayload(d, "K7M2QX9TBW4P", { ruleName: "Sorry", currencyCode: "EUR" }))).toEqual([]);
  });

  it("gives up when the tier no longer exists", () => {
    const tiers = rule({
      kind: "loyaltyTiers",
      name: "T",
      metric: "orderCount",
      tiers: [{ name: "Silver", threshold: 2, reward: { type: "freeShipping" } }],
    });
    const key = idempotencyKey("rule-1", "gid://shopify/Customer/7", "tier:Platinum");
    expect(decisionFromRow(row({ idempotencyKey: key, kind: "issue" }), tiers, "UTC")).toBeNull();
  });
});
