import { localDateAt, startOfLocalDay, validityInstants, isValidTimeZone } from "../../../../app/retention/time";
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
