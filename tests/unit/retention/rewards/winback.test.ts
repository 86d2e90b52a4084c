import { winbackVerdict } from "../../../../app/retention/rewards/winback";

const lapsed = (since: string) => ({ lifecycleGroup: "Lapsed", lapsedSince: since });

describe("win-back", () => {
  it("offers once a customer has entered the Lapsed group", () => {
    expect(winbackVerdict(lapsed("2026-10-03"), [], "2026-10-03", 90)).toEqual({
      due: true,
      lapsedSince: "2026-10-03",
      period: "lapse:2026-10-03",
    });
    expect(winbackVerdict({ lifecycleGroup: "at_risk", lapsedSince: null }, [], "2026-10-03", 90)).toEqual({
      due: false,
      reason: "notLapsed",
    });
    expect(winbackVerdict(lapsed("2026-10-04"), [], "2026-10-03", 90).due).toBe(false);
  });

  it("makes one offer per lapse, however long the lapse lasts", () => {
    const offers = [{ lapsedSince: "2026-01-10", decidedOn: "2026-01-10" }];
    expect(winbackVerdict(lapsed("2026-01-10"), offers, "2026-12-01", 90)).toEqual({ due: false, reason: "alreadyOfferedThisLapse" });
  });

  it("does not offer again within the cooldown after a new lapse, and does once it has passed", () => {
    const offers = [{ lapsedSince: "2026-01-10", decidedOn: "2026-01-12" }];
    expect(winbackVerdict(lapsed("2026-03-01"), offers, "2026-04-11", 90)).toEqual({
      due: false,
      reason: "coolingDown",
      until: "2026-04-12",
    });
    expect(winbackVerdict(lapsed("2026-03-01"), offers, "2026-04-12", 90)).toMatchObject({ due: true, period: "lapse:2026-03-01" });
  });
});
