import { describe, expect, it } from "vitest";
import { overlapErrors } from "../../../../app/retention/rewards/overlap";
import { rule } from "../../../support/reward-fixtures";

const tiers = (id: string) =>
  rule(id, {
    kind: "loyaltyTiers",
    metric: "netSpend",
    tiers: [{ name: "Bronze", threshold: 100, reward: { type: "percentage", percentage: 5 } }],
  });
const campaign = (id: string, startsAt: string, endsAt: string, audience: Record<string, unknown>) =>
  rule(id, { kind: "holidayCampaign", startsAt, endsAt, audience, reward: { type: "percentage", percentage: 10 } });

describe("overlapErrors", () => {
  it("allows one loyalty-tier programme and one win-back rule per shop", () => {
    expect(overlapErrors(tiers("b"), [tiers("a")])).toEqual({ form: ['rules.error.oneTierProgramme|{"name":"a"}'] });
    const winback = rule("w2", { kind: "winback", reward: { type: "percentage", percentage: 10 } });
    expect(overlapErrors(winback, [rule("w1", { kind: "winback", reward: { type: "percentage", percentage: 20 } })])).toEqual({
      form: ['rules.error.overlapsRule|{"name":"w1"}'],
    });
    expect(overlapErrors(winback, [tiers("a")])).toEqual({});
  });

  it("refuses campaigns that share days and customers, at the start date", () => {
    const all = campaign("all", "2026-03-01", "2026-03-08", { type: "everyoneWithConsent" });
    expect(overlapErrors(campaign("x", "2026-03-08", "2026-03-10", { type: "tier", tier: "Gold" }), [all])).toEqual({
      startsAt: ['rules.error.overlapsRule|{"name":"all"}'],
    });
    expect(overlapErrors(campaign("x", "2026-03-09", "2026-03-10", { type: "everyoneWithConsent" }), [all])).toEqual({});
    const gold = campaign("gold", "2026-03-01", "2026-03-08", { type: "tier", tier: "Gold" });
    expect(overlapErrors(campaign("silver", "2026-03-01", "2026-03-08", { type: "tier", tier: "Silver" }), [gold])).toEqual({});
  });
});
