import {
  activeCampaigns,
  blackFriday,
  campaignInputFromPreset,
  HOLIDAY_PRESETS,
  isCampaignActive,
  presetCampaignDates,
  upcomingCampaigns,
} from "../../../../app/retention/rewards/holidays";
import { validateRuleInput } from "../../../../app/retention/rewards/rule-schema";

describe("holiday presets", () => {
  it("have stable ids", () => {
    expect(HOLIDAY_PRESETS.map((p) => p.id)).toEqual([
      "new-year",
      "valentines-day",
      "defender-of-the-fatherland-day",
      "international-womens-day",
      "black-friday",
      "christmas",
    ]);
  });

  it("computes Black Friday as the day after the fourth Thursday of November", () => {
    expect(blackFriday(2024)).toBe("2024-11-29");
    expect(blackFriday(2025)).toBe("2025-11-28");
    expect(blackFriday(2026)).toBe("2026-11-27");
    expect(blackFriday(2027)).toBe("2027-11-26");
    expect(blackFriday(2030)).toBe("2030-11-29");
  });

  it("proposes dates with an end, starting no earlier than today", () => {
    expect(presetCampaignDates("international-womens-day", "2026-01-10")).toEqual({
      holidayDate: "2026-03-08",
      startsAt: "2026-03-01",
      endsAt: "2026-03-08",
    });
    expect(presetCampaignDates("international-womens-day", "2026-03-05").startsAt).toBe("2026-03-05");
    expect(presetCampaignDates("international-womens-day", "2026-03-09").holidayDate).toBe("2027-03-08");
    expect(presetCampaignDates("defender-of-the-fatherland-day", "2026-01-10")).toMatchObject({ holidayDate: "2026-02-23", endsAt: "2026-02-23" });
    expect(presetCampaignDates("new-year", "2026-12-01")).toEqual({ holidayDate: "2027-01-01", startsAt: "2026-12-18", endsAt: "2027-01-01" });
    expect(presetCampaignDates("black-friday", "2026-11-29")).toEqual({ holidayDate: "2026-11-27", startsAt: "2026-11-29", endsAt: "2026-11-30" });
    expect(() => presetCampaignDates("nope", "2026-01-01")).toThrow(/Unknown holiday preset/);
  });

  it("every preset yields input the rule validator accepts", () => {
    for (const preset of HOLIDAY_PRESETS) {
      const input = campaignInputFromPreset(preset.id, "2026-06-01", { type: "percentage", percentage: 10 });
      const result = validateRuleInput(input, { knownTiers: [] });
      expect(result.ok, preset.id).toBe(true);
    }
  });
});

describe("campaign calendar", () => {
  const march8 = { id: "a", startsAt: "2026-03-01", endsAt: "2026-03-08" };
  const feb23 = { id: "b", startsAt: "2026-02-16", endsAt: "2026-02-23" };
  const bf = { id: "c", startsAt: "2026-11-27", endsAt: "2026-11-30" };

  it("is active from the start date to the end date inclusive", () => {
    expect(isCampaignActive(march8, "2026-02-28")).toBe(false);
    expect(isCampaignActive(march8, "2026-03-01")).toBe(true);
    expect(isCampaignActive(march8, "2026-03-08")).toBe(true);
    expect(isCampaignActive(march8, "2026-03-09")).toBe(false);
  });

  it("lists active and upcoming campaigns", () => {
    expect(activeCampaigns([march8, feb23, bf], "2026-02-20").map((c) => c.id)).toEqual(["b"]);
    expect(upcomingCampaigns([bf, march8, feb23], "2026-02-01", 60).map((c) => c.id)).toEqual(["b", "a"]);
  });
});
