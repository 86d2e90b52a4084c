/**
 * A/B between two offers in one rule (issue #18 item 3): one draw on the holdout's hash puts each
 * eligible customer in the holdout, offer A or offer B, at the configured shares; offer B's customers
 * get offer B's reward (and its reminders speak of it); the results compare the three arms with the
 * holdout experiment's statistics.
 */
import { describe, expect, it } from "vitest";
import { decideDay } from "../../../../app/retention/rewards/schedule";
import { assignArm, isHeldOut } from "../../../../app/retention/rewards/holdout";
import { validateRuleInput } from "../../../../app/retention/rewards/rule-schema";
import { summarizeRuleResults, type LedgerRowForResults } from "../../../../app/retention/rewards/experiment-arms";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

const lapsed = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    customer(`gid://shopify/Customer/${1000 + i}`, { lifecycleGroup: "lapsed", lapsedSince: "2026-01-10" }),
  );

const abWinback = (holdoutShare: number, share: number) =>
  rule("winback-ab", {
    kind: "winback",
    reward: { type: "percentage", percentage: 10 },
    holdoutShare,
    offerB: { reward: { type: "freeShipping" }, share },
  });

describe("assignment", () => {
  it.each([
    [0.1, 0.45],
    [0, 0.5],
    [0.2, 0.3],
  ])("splits 10,000 eligible customers within ±2 points of holdout %s, offer B %s", (holdoutShare, share) => {
    const result = decideDay(scheduleInput({ rules: [abWinback(holdoutShare, share)], customers: lapsed(10_000) }));
    const decisions = result.decisions;
    expect(decisions).toHaveLength(10_000);
    const shareOf = (pick: (d: (typeof decisions)[number]) => boolean) => decisions.filter(pick).length / decisions.length;
    const held = shareOf((d) => d.kind === "holdout");
    const b = shareOf((d) => d.kind === "issue" && d.arm === "B");
    const a = shareOf((d) => d.kind === "issue" && d.arm === "A");
    expect(Math.abs(held - holdoutShare)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(b - share)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(a - (1 - holdoutShare - share))).toBeLessThanOrEqual(0.02);
    // Each arm gets its own offer.
    for (const d of decisions.filter((x) => x.kind === "issue")) {
      expect(d.reward).toEqual(d.arm === "B" ? { type: "freeShipping" } : { type: "percentage", percentage: 10 });
    }
  });

  it("keeps the holdout the holdout has without an A/B test, and draws the same arm on every run", () => {
    const ids = lapsed(2_000).map((c) => c.id);
    for (const id of ids) {
      expect(assignArm("r", id, 0.1, 0.45) === "holdout").toBe(isHeldOut("r", id, 0.1));
      expect(assignArm("r", id, 0.1, 0.45)).toBe(assignArm("r", id, 0.1, 0.45));
    }
    expect(new Set(ids.map((id) => assignArm("r", id, 0.1)))).toEqual(new Set(["holdout", "A"]));
  });

  it("reminds offer B's customers of offer B", () => {
    const birthday = rule("bday-ab", {
      kind: "birthday",
      reward: { type: "percentage", percentage: 15 },
      offerB: { reward: { type: "fixedAmount", amount: 10 }, share: 0.5 },
    });
    const customers = Array.from({ length: 40 }, (_, i) => customer(`c${i}`, { birthday: "1990-03-12" }));
    const { decisions } = decideDay(scheduleInput({ rules: [birthday], customers }));
    const reminders = decisions.filter((d) => d.kind === "remind");
    expect(reminders).toHaveLength(40);
    expect(new Set(reminders.map((d) => d.arm))).toEqual(new Set(["A", "B"]));
    for (const r of reminders) {
      const issue = decisions.find((d) => d.kind === "issue" && d.customerId === r.customerId)!;
      expect([r.arm, r.reward]).toEqual([issue.arm, issue.reward]);
    }
  });
});

describe("validation", () => {
  const validate = (input: Record<string, unknown>) => validateRuleInput({ name: "x", ...input }, { knownTiers: [] });

  it("refuses a tier programme (its rewards are per tier) and an offer B that leaves offer A nobody", () => {
    const tiers = validate({
      kind: "loyaltyTiers",
      metric: "netSpend",
      window: "lifetime",
      tiers: [{ name: "Gold", threshold: 100, reward: { type: "freeShipping" } }],
      offerB: { reward: { type: "freeShipping" }, share: 0.5 },
    });
    expect(tiers.ok ? {} : tiers.fieldErrors).toEqual({ offerB: ["rules.error.offerBNeedsOneReward"] });
    const crowded = validate({
      kind: "winback",
      reward: { type: "freeShipping" },
      holdoutShare: 0.2,
      offerB: { reward: { type: "percentage", percentage: 5 }, share: 0.8 },
    });
    expect(crowded.ok ? {} : crowded.fieldErrors).toEqual({ "offerB.share": ['rules.error.offerBLeavesNoA|{"max":75}'] });
    const tiny = validate({ kind: "winback", reward: { type: "freeShipping" }, offerB: { reward: { type: "freeShipping" }, share: 0.01 } });
    expect(tiny.ok ? {} : Object.keys(tiny.fieldErrors)).toEqual(["offerB.share"]);
    expect(validate({ kind: "winback", reward: { type: "freeShipping" }, offerB: null }).ok).toBe(true);
  });
});

describe("results of an A/B rule", () => {
  it("compares B with A and each offer with the holdout, intention to treat", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const rows: LedgerRowForResults[] = [];
    const orders = new Map<string, { at: number; netTotal: number }[]>();
    const window = { startsAt: new Date("2026-03-01T00:00:00Z"), endsAt: new Date("2026-03-15T00:00:00Z") };
    // 100 per arm; A: 10 buy, B: 30 buy, holdout: 10 buy (each order 50).
    for (const [arm, buyers] of [
      ["A", 10],
      ["B", 30],
      ["holdout", 10],
    ] as const) {
      for (let i = 0; i < 100; i++) {
        const id = `${arm}-${i}`;
        rows.push({
          ruleId: "r",
          customerId: id,
          kind: arm === "holdout" ? "holdout" : "issue",
          issued: arm !== "holdout",
          decidedAt: window.startsAt,
          ...window,
          redeemedAt: null,
          redeemedRevenue: null,
          arm: arm === "holdout" ? null : arm,
        });
        if (i < buyers) orders.set(id, [{ at: Date.parse("2026-03-05T00:00:00Z"), netTotal: 50 }]);
      }
    }
    const [result] = summarizeRuleResults(["r"], rows, orders, now);
    expect(result.treated.customers).toBe(200);
    const offers = result.offers!;
    expect([offers.a.windowPurchaseRate, offers.b.windowPurchaseRate]).toEqual([0.1, 0.3]);
    expect(offers.bVersusA.state).toBe("works");
    expect(offers.bVersusA.purchaseRate!.difference).toBeCloseTo(0.2, 10);
    expect(offers.bVersusA.revenuePerCustomer!.difference).toBeCloseTo(10, 10);
    expect(offers.aVersusHoldout!.state).toBe("noDetectableEffect");
    expect(offers.bVersusHoldout!.state).toBe("works");
    // Without offer B rows there is nothing to compare.
    expect(
      summarizeRuleResults(
        ["r"],
        rows.filter((r) => r.arm !== "B"),
        orders,
        now,
      )[0].offers,
    ).toBeNull();
  });
});
