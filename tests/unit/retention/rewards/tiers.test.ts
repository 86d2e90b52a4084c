import {
  evaluateTier,
  NO_TIER,
  qualifyingTier,
  type TierMetrics,
  type TierProgram,
  type TierState,
} from "../../../../app/retention/rewards/tiers";

const program: TierProgram = {
  metric: "netSpend",
  window: "lifetime",
  graceDays: 30,
  tiers: [
    { name: "Bronze", threshold: 100 },
    { name: "Silver", threshold: 250, reward: { type: "percentage", percentage: 5 } },
    { name: "Gold", threshold: 500, reward: { type: "percentage", percentage: 10 } },
  ],
};

const spend = (lifetime: number, rolling12m = lifetime): TierMetrics => ({
  netSpend: { lifetime, rolling12m },
  orderCount: { lifetime: 0, rolling12m: 0 },
});

const at = (tier: string, since = "2026-01-01"): TierState => ({ tier, since, belowSince: null, history: [] });

describe("tier thresholds", () => {
  it("qualifies at exactly the threshold (≥), not a cent below", () => {
    expect(qualifyingTier(program, 499.99)).toBe("Silver");
    expect(qualifyingTier(program, 500)).toBe("Gold");
    expect(qualifyingTier(program, 99.99)).toBeNull();
    expect(qualifyingTier(program, 100)).toBe("Bronze");
  });

  it("uses the configured window and metric", () => {
    const rolling = { ...program, window: "rolling12m" as const };
    expect(evaluateTier(rolling, NO_TIER, spend(900, 120), null, "2026-05-01").state.tier).toBe("Bronze");
    const clv = { ...program, metric: "predictedClv" as const };
    expect(evaluateTier(clv, NO_TIER, spend(900), 260, "2026-05-01").state.tier).toBe("Silver");
    expect(evaluateTier(clv, NO_TIER, spend(900), null, "2026-05-01").state.tier).toBeNull();
    const orders = { ...program, metric: "orderCount" as const, tiers: [{ name: "Regular", threshold: 3 }] };
    const metrics = { ...spend(0), orderCount: { lifetime: 3, rolling12m: 1 } };
    expect(evaluateTier(orders, NO_TIER, metrics, null, "2026-05-01").state.tier).toBe("Regular");
  });
});

describe("moving up", () => {
  it("moves up at once, records the change and asks for the new tier's code", () => {
    const result = evaluateTier(program, at("Silver"), spend(500), null, "2026-05-10");
    expect(result.state).toMatchObject({ tier: "Gold", since: "2026-05-10", belowSince: null });
    expect(result.changes).toEqual([{ from: "Silver", to: "Gold", on: "2026-05-10", direction: "up" }]);
    expect(result.state.history).toEqual(result.changes);
    expect(result.issueTierCode).toBe("Gold");
  });

  it("skipping tiers issues only the highest tier's code", () => {
    const result = evaluateTier(program, NO_TIER, spend(800), null, "2026-05-10");
    expect(result.changes).toHaveLength(1);
    expect(result.issueTierCode).toBe("Gold");
  });

  it("reaching a tier without a reward issues nothing", () => {
    const result = evaluateTier(program, NO_TIER, spend(120), null, "2026-05-10");
    expect(result.state.tier).toBe("Bronze");
    expect(result.issueTierCode).toBeNull();
  });

  it("staying in the same tier changes nothing", () => {
    const state = at("Gold");
    const result = evaluateTier(program, state, spend(700), null, "2026-05-10");
    expect(result.state).toBe(state);
    expect(result.changes).toEqual([]);
  });
});

describe("moving down with grace", () => {
  it("keeps the tier for the grace period, then moves down on the day it ends", () => {
    let state = at("Gold");
    let r = evaluateTier(program, state, spend(300), null, "2026-06-01");
    expect(r.state).toMatchObject({ tier: "Gold", belowSince: "2026-06-01" });
    expect(r.graceEndsOn).toBe("2026-07-01");
    expect(r.changes).toEqual([]);
    state = r.state;

    r = evaluateTier(program, state, spend(300), null, "2026-06-30");
    expect(r.state.tier).toBe("Gold");
    expect(r.state.belowSince).toBe("2026-06-01");

    r = evaluateTier(program, r.state, spend(300), null, "2026-07-01");
    expect(r.state).toMatchObject({ tier: "Silver", since: "2026-07-01", belowSince: null });
    expect(r.changes).toEqual([{ from: "Gold", to: "Silver", on: "2026-07-01", direction: "down" }]);
    expect(r.issueTierCode).toBeNull();
  });

  it("requalifying during grace cancels the move down", () => {
    const dipped = evaluateTier(program, at("Gold"), spend(300), null, "2026-06-01").state;
    const back = evaluateTier(program, dipped, spend(520), null, "2026-06-10");
    expect(back.state).toMatchObject({ tier: "Gold", belowSince: null });
    const later = evaluateTier(program, back.state, spend(300), null, "2026-07-01");
    expect(later.state).toMatchObject({ tier: "Gold", belowSince: "2026-07-01" });
  });

  it("without grace moves down immediately, possibly to no tier", () => {
    const r = evaluateTier({ ...program, graceDays: 0 }, at("Silver"), spend(50), null, "2026-06-01");
    expect(r.state.tier).toBeNull();
    expect(r.changes).toEqual([{ from: "Silver", to: null, on: "2026-06-01", direction: "down" }]);
  });

  it("resets a tier the program no longer has", () => {
    const r = evaluateTier(program, at("Platinum"), spend(300), null, "2026-06-01");
    expect(r.changes).toEqual([{ from: "Platinum", to: "Silver", on: "2026-06-01", direction: "reset" }]);
    expect(r.issueTierCode).toBeNull();
  });
});
