import { localDateAt, localDayConverter, startOfLocalDay, validityInstants, isValidTimeZone } from "../../../../app/retention/time";
import { mulberry32 } from "../../../../app/retention/random";
import { addDays, daysBetween, isLocalDate, firstDayOfNextMonth } from "../../../../app/retention/time";

describe("shop-local dates", () => {
  it("gives different calendar dates for the same instant in Auckland and Los Angeles", () => {
    const instant = new Date("2026-01-01T11:30:00Z");
    expect(localDateAt(instant, "Pacific/Auckland")).toBe("2026-01-02");
    expect(localDateAt(instant, "America/Los_Angeles")).toBe("2026-01-01");
  });

  it("starts a day at local midnight, including DST days", () => {
    expect(startOfLocalDay("2026-01-02", "Pacific/Auckland").toISOString()).toBe("2026-01-01T11:00:00.000Z");
    expect(startOfLocalDay("2026-01-02", "America/Los_Angeles").toISOString()).toBe("2026-01-02T08:00:00.000Z");
    // Berlin springs forward at 02:00 on 29 March 2026: the next day starts an hour earlier in UTC.
    expect(startOfLocalDay("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfLocalDay("2026-03-30", "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfLocalDay("2026-06-01", "Asia/Kathmandu").toISOString()).toBe("2026-05-31T18:15:00.000Z");
  });

  it("starts the day at the jump when DST skips midnight (Santiago, 8 Sep 2024)", () => {
    const start = startOfLocalDay("2024-09-08", "America/Santiago");
    expect(start.toISOString()).toBe("2024-09-08T04:00:00.000Z");
    expect(localDateAt(new Date(start.getTime() - 1000), "America/Santiago")).toBe("2024-09-07");
  });

  it("makes a code valid through the end of the last local day", () => {
    expect(validityInstants("2026-03-01", "2026-03-08", "Europe/Berlin")).toEqual({
      startsAt: "2026-02-28T23:00:00.000Z",
      endsAt: "2026-03-08T23:00:00.000Z",
    });
  });

  it("validates zones and dates", () => {
    expect(isValidTimeZone("Pacific/Auckland")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2027-02-29")).toBe(false);
    expect(addDays("2026-12-28", 7)).toBe("2027-01-04");
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2);
    expect(firstDayOfNextMonth("2026-12-15")).toBe("2027-01-01");
  });
});

describe("localDayConverter", () => {
  // Zones with DST at whole hours (Kyiv, New York), at half hours (Lord Howe: a 30-minute shift), at quarter
  // hours (Chatham), none (Kathmandu +5:45) and across the date line (Apia dropped a day in 2011).
  const zones = ["Europe/Kyiv", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "Pacific/Apia", "UTC"];

  it("gives the same local day as localDateAt for any instant, also on transition days", () => {
    const random = mulberry32(23);
    for (const zone of zones) {
      const toLocalDay = localDayConverter(zone);
      const from = Date.UTC(2010, 0, 1);
      const span = Date.UTC(2028, 0, 1) - from;
      const instants = Array.from({ length: 3_000 }, () => from + Math.floor(random() * span));
      // Every 20 minutes through the first week of each month of 2011 and 2026.
      for (const year of [2011, 2026]) {
        for (let month = 0; month < 12; month++) {
          for (let t = Date.UTC(year, month, 1); t < Date.UTC(year, month, 8); t += 1_200_000) instants.push(t);
        }
      }
      const checked = [...instants, ...transitionMinutes(zone)];
      const wrong = checked.filter((t) => toLocalDay(new Date(t)) !== localDateAt(new Date(t), zone));
      expect({ zone, wrong: wrong.map((t) => new Date(t).toISOString()) }).toEqual({ zone, wrong: [] });
      expect(checked.length).toBeGreaterThan(15_000);
    }
  });
});

/** Every 5 minutes of the UTC days on which the zone's offset changes, 2024–2026. */
function transitionMinutes(zone: string): number[] {
  const offsetAt = (t: number) => new Date(t).toLocaleString("en-US", { timeZone: zone, timeZoneName: "longOffset" }).split("GMT")[1];
  const minutes: number[] = [];
  for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
    if (offsetAt(day) === offsetAt(day + 86_400_000)) continue;
    for (let t = day; t < day + 86_400_000; t += 300_000) minutes.push(t);
  }
  return minutes;
}
