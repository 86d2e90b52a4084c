import {
  activeCampaigns,
  blackFriday,
  campaignInputFromPreset,
  campaignOccurrenceOn,
  HOLIDAY_PRESETS,
  isCampaignActive,
  marketOf,
  presetCampaignDates,
  presetsForMarket,
  secondSundayOfMay,
  upcomingCampaigns,
} from "../../../../app/retention/rewards/holidays";
import { validateRuleInput } from "../../../../app/retention/rewards/rule-schema";

describe("holiday presets", () => {
  it("have stable ids", () => {
    expect(HOLIDAY_PRESETS.map((p) => p.id)).toEqual([
      "new-year",
      "orthodox-christmas",
      "valentines-day",
      "defender-of-the-fatherland-day",
      "international-womens-day",
      "mothers-day",
      "defenders-of-ukraine-day",
      "black-friday",
      "saint-nicholas-day",
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
    expect(presetCampaignDates("defender-of-the-fatherland-day", "2026-01-10")).toMatchObject({
      holidayDate: "2026-02-23",
      endsAt: "2026-02-23",
    });
    expect(presetCampaignDates("new-year", "2026-12-01")).toEqual({
      holidayDate: "2027-01-01",
      startsAt: "2026-12-18",
      endsAt: "2027-01-01",
    });
    expect(presetCampaignDates("black-friday", "2026-11-29")).toEqual({
      holidayDate: "2026-11-27",
      startsAt: "2026-11-29",
      endsAt: "2026-11-30",
    });
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

describe("holiday presets per market", () => {
  const ids = (market: string | null) => presetsForMarket(market).map((p) => p.id);
  const dateOf = (id: string, year: number) => HOLIDAY_PRESETS.find((p) => p.id === id)!.dateIn(year);

  it("offers a Ukrainian shop Defenders' Day on 1 October, Christmas on 25 December, and no 23 February", () => {
    expect(ids("UA")).toEqual([
      "new-year",
      "valentines-day",
      "international-womens-day",
      "mothers-day",
      "defenders-of-ukraine-day",
      "black-friday",
      "saint-nicholas-day",
      "christmas",
    ]);
    expect(dateOf("defenders-of-ukraine-day", 2026)).toBe("2026-10-01");
    expect(dateOf("saint-nicholas-day", 2026)).toBe("2026-12-06");
    expect(dateOf("christmas", 2026)).toBe("2026-12-25");
  });

  it("offers 23 February and Christmas on 7 January only where they are kept", () => {
    expect(ids("RU")).toEqual([
      "new-year",
      "orthodox-christmas",
      "valentines-day",
      "defender-of-the-fatherland-day",
      "international-womens-day",
      "black-friday",
    ]);
    expect(dateOf("orthodox-christmas", 2027)).toBe("2027-01-07");
    expect(ids("HR")).toEqual([
      "new-year",
      "valentines-day",
      "international-womens-day",
      "mothers-day",
      "black-friday",
      "saint-nicholas-day",
      "christmas",
    ]);
    expect(ids("US")).toEqual(["new-year", "valentines-day", "mothers-day", "black-friday", "christmas"]);
    // The UK's Mothering Sunday follows Easter, so the second-Sunday-of-May preset is not offered there.
    expect(ids("GB")).toEqual(["new-year", "valentines-day", "black-friday", "christmas"]);
    // Unknown market: only what every market shares.
    expect(ids(null)).toEqual(["new-year", "valentines-day", "black-friday", "christmas"]);
  });

  it("computes Mother's Day as the second Sunday of May", () => {
    expect(secondSundayOfMay(2026)).toBe("2026-05-10");
    expect(secondSundayOfMay(2027)).toBe("2027-05-09");
    expect(secondSundayOfMay(2028)).toBe("2028-05-14");
    expect(secondSundayOfMay(2031)).toBe("2031-05-11");
  });

  it("takes the market from the shop's country, else the region of its locale, never from a bare language", () => {
    expect(marketOf("ua", "en")).toBe("UA");
    expect(marketOf(null, "uk-UA")).toBe("UA");
    expect(marketOf(null, "en_US")).toBe("US");
    expect(marketOf(null, "ru")).toBeNull();
    expect(marketOf("", null)).toBeNull();
  });
});

describe("yearly campaigns", () => {
  const bf = {
    startsAt: "2026-11-27",
    endsAt: "2026-11-30",
    holidayDate: "2026-11-27",
    presetId: "black-friday",
    recurrence: "yearly" as const,
  };
  const newYear = {
    startsAt: "2025-12-18",
    endsAt: "2026-01-01",
    holidayDate: "2026-01-01",
    presetId: "new-year",
    recurrence: "yearly" as const,
  };

  it("comes back around its holiday every year, moving with a holiday that moves", () => {
    expect(campaignOccurrenceOn(bf, "2026-11-28")).toEqual({ startsAt: "2026-11-27", endsAt: "2026-11-30", year: 2026 });
    expect(campaignOccurrenceOn(bf, "2026-12-01")).toBeNull();
    expect(campaignOccurrenceOn(bf, "2027-11-26")).toEqual({ startsAt: "2027-11-26", endsAt: "2027-11-29", year: 2027 });
    expect(campaignOccurrenceOn(bf, "2027-11-30")).toBeNull();
    // Never before its first run.
    expect(
      campaignOccurrenceOn({ ...bf, startsAt: "2027-11-26", endsAt: "2027-11-29", holidayDate: "2027-11-26" }, "2026-11-28"),
    ).toBeNull();
  });

  it("keeps a run that crosses the new year together, named by its holiday's year", () => {
    expect(campaignOccurrenceOn(newYear, "2026-12-20")).toEqual({ startsAt: "2026-12-18", endsAt: "2027-01-01", year: 2027 });
    expect(campaignOccurrenceOn(newYear, "2027-01-01")).toEqual({ startsAt: "2026-12-18", endsAt: "2027-01-01", year: 2027 });
    expect(campaignOccurrenceOn(newYear, "2027-01-02")).toBeNull();
  });

  it("runs a one-off campaign once", () => {
    expect(campaignOccurrenceOn({ ...bf, recurrence: "once" }, "2027-11-26")).toBeNull();
    expect(campaignOccurrenceOn({ ...bf, recurrence: undefined }, "2026-11-28")).toEqual({
      startsAt: "2026-11-27",
      endsAt: "2026-11-30",
      year: null,
    });
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
