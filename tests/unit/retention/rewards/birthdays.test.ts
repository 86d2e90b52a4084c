import {
  birthdayInYear,
  birthdayWindow,
  dueMoments,
  parseBirthday,
  reminderMoments,
  windowContaining,
  windowInstants,
  type BirthdayWindowConfig,
} from "../../../../app/retention/rewards/birthdays";
import { localDateAt } from "../../../../app/retention/time";

const config: BirthdayWindowConfig = { windowDaysBefore: 7, windowDaysAfter: 3, reminders: [-7, -3, 0], lastChance: true };

describe("parseBirthday", () => {
  it("reads facts.birth_date and year-less forms, rejecting impossible dates", () => {
    expect(parseBirthday("1990-05-17")).toEqual({ month: 5, day: 17 });
    expect(parseBirthday("--02-29")).toEqual({ month: 2, day: 29 });
    expect(parseBirthday("2000-02-29")).toEqual({ month: 2, day: 29 });
    expect(parseBirthday("1999-02-29")).toBeNull();
    expect(parseBirthday("--02-30")).toBeNull();
    expect(parseBirthday("17/05/1990")).toBeNull();
    expect(parseBirthday(null)).toBeNull();
  });
});

describe("birthday windows", () => {
  it("crosses the year end: a 1 January birthday's window starts in December of the previous year", () => {
    const birthday = { month: 1, day: 1 };
    const w = windowContaining(birthday, "2026-12-26", config);
    expect(w).toEqual({ year: 2027, birthday: "2027-01-01", startsOn: "2026-12-25", endsOn: "2027-01-04" });
    expect(windowContaining(birthday, "2026-12-24", config)).toBeNull();
    // On 3 January 2027 the window is still the 2027 one.
    expect(windowContaining(birthday, "2027-01-03", config)?.year).toBe(2027);
  });

  it("crosses the year end the other way: a 30 December birthday's window ends in January", () => {
    const w = windowContaining({ month: 12, day: 30 }, "2027-01-02", config);
    expect(w).toMatchObject({ year: 2026, startsOn: "2026-12-23", endsOn: "2027-01-02" });
  });

  it("celebrates 29 February on 28 February in non-leap years", () => {
    const leapling = { month: 2, day: 29 };
    expect(birthdayInYear(leapling, 2027)).toBe("2027-02-28");
    expect(birthdayInYear(leapling, 2028)).toBe("2028-02-29");
    expect(birthdayWindow(leapling, 2027, config)).toMatchObject({ startsOn: "2027-02-21", endsOn: "2027-03-03" });
    expect(birthdayWindow(leapling, 2028, config)).toMatchObject({ startsOn: "2028-02-22", endsOn: "2028-03-03" });
    const moments = reminderMoments(birthdayWindow(leapling, 2027, config), config);
    expect(moments.map((m) => m.date)).toEqual(["2027-02-21", "2027-02-25", "2027-02-28", "2027-03-02"]);
  });

  it("turns the window into instants in the shop's time zone", () => {
    const w = birthdayWindow({ month: 1, day: 9 }, 2026, config);
    expect(windowInstants(w, "Pacific/Auckland")).toEqual({
      startsAt: "2026-01-01T11:00:00.000Z",
      endsAt: "2026-01-12T11:00:00.000Z",
    });
    expect(windowInstants(w, "America/Los_Angeles")).toEqual({
      startsAt: "2026-01-02T08:00:00.000Z",
      endsAt: "2026-01-13T08:00:00.000Z",
    });
  });

  it("decides by the shop-local date: the same instant is day -7 in Auckland but not yet in Los Angeles", () => {
    const instant = new Date("2026-01-01T11:30:00Z");
    const birthday = { month: 1, day: 9 };
    const auckland = localDateAt(instant, "Pacific/Auckland");
    const losAngeles = localDateAt(instant, "America/Los_Angeles");
    const wA = windowContaining(birthday, auckland, config);
    expect(wA).not.toBeNull();
    expect(dueMoments(reminderMoments(wA!, config), auckland, []).map((m) => m.offset)).toEqual([-7]);
    expect(windowContaining(birthday, losAngeles, config)).toBeNull();
  });
});

describe("reminder moments", () => {
  const w = birthdayWindow({ month: 6, day: 15 }, 2026, config);
  const moments = reminderMoments(w, config);

  it("computes −7, −3, 0 and the +2 last chance as calendar dates", () => {
    expect(moments).toEqual([
      { offset: -7, date: "2026-06-08", lastChance: false },
      { offset: -3, date: "2026-06-12", lastChance: false },
      { offset: 0, date: "2026-06-15", lastChance: false },
      { offset: 2, date: "2026-06-17", lastChance: true },
    ]);
  });

  it("fires each moment once on its day", () => {
    const sent: number[] = [];
    const fired: string[] = [];
    for (let day = 8; day <= 18; day++) {
      const today = `2026-06-${String(day).padStart(2, "0")}`;
      // Twice a day, as a retried run would.
      for (let run = 0; run < 2; run++) {
        for (const m of dueMoments(moments, today, sent)) {
          sent.push(m.offset);
          fired.push(`${today}:${m.offset}`);
        }
      }
    }
    expect(fired).toEqual(["2026-06-08:-7", "2026-06-12:-3", "2026-06-15:0", "2026-06-17:2"]);
  });

  it("after missed runs sends only the latest passed moment, never older ones", () => {
    expect(dueMoments(moments, "2026-06-13", []).map((m) => m.offset)).toEqual([-3]);
    expect(dueMoments(moments, "2026-06-13", [-3])).toEqual([]);
    // -3 was sent; a run on the 14th does not go back to -7.
    expect(dueMoments(moments, "2026-06-14", [-3])).toEqual([]);
    expect(dueMoments(moments, "2026-06-07", [])).toEqual([]);
  });
});
