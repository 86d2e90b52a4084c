/**
 * Birthday windows and reminder moments, as shop-local calendar dates.
 *
 * 29 February: in a non-leap year the birthday is kept on 28 February, so the customer celebrates in
 * their birth month and the window never slips into March.
 */
import { addDays, compareLocalDates, daysBetween, formatLocalDate, isLeapYear, isLocalDate, parseLocalDate, type LocalDate } from "../time";
import { validityInstants } from "../time";

/** The last-chance reminder is this many days after the birthday. */
export const LAST_CHANCE_OFFSET = 2;

export interface Birthday {
  month: number;
  day: number;
}

export interface BirthdayWindowConfig {
  windowDaysBefore: number;
  windowDaysAfter: number;
  /** Days relative to the birthday, e.g. [-7, -3, 0]. */
  reminders: readonly number[];
  lastChance: boolean;
}

export interface BirthdayWindow {
  /** The year of the birthday this window celebrates: the idempotency period. */
  year: number;
  birthday: LocalDate;
  /** First and last shop-local days the code is valid, inclusive. */
  startsOn: LocalDate;
  endsOn: LocalDate;
}

export interface ReminderMoment {
  /** Days relative to the birthday (−7, −3, 0, +2 …). */
  offset: number;
  date: LocalDate;
  lastChance: boolean;
}

const MONTH_DAY = /^(?:--|\d{4}-)?(\d{2})-(\d{2})$/;

/**
 * Reads `facts.birth_date` ("1990-05-17"), the year-less ISO form "--05-17", or "05-17".
 * Returns null for anything that is not a real month/day (29 February is real).
 */
export function parseBirthday(value: string | null | undefined): Birthday | null {
  if (!value) return null;
  const m = MONTH_DAY.exec(value.trim());
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  // 2000 is a leap year, so this accepts 29 February and rejects 30 February.
  if (!isLocalDate(formatLocalDate({ year: 2000, month, day }))) return null;
  if (/^\d{4}-/.test(value.trim()) && !isLocalDate(value.trim())) return null;
  return { month, day };
}

export function birthdayInYear(birthday: Birthday, year: number): LocalDate {
  const day = birthday.month === 2 && birthday.day === 29 && !isLeapYear(year) ? 28 : birthday.day;
  return formatLocalDate({ year, month: birthday.month, day });
}

export function birthdayWindow(
  birthday: Birthday,
  year: number,
  config: Pick<BirthdayWindowConfig, "windowDaysBefore" | "windowDaysAfter">,
): BirthdayWindow {
  const date = birthdayInYear(birthday, year);
  return {
    year,
    birthday: date,
    startsOn: addDays(date, -config.windowDaysBefore),
    endsOn: addDays(date, config.windowDaysAfter),
  };
}

/** The window that contains `today`, looking at last, this and next year's birthday (year ends). */
export function windowContaining(
  birthday: Birthday,
  today: LocalDate,
  config: Pick<BirthdayWindowConfig, "windowDaysBefore" | "windowDaysAfter">,
): BirthdayWindow | null {
  const { year } = parseLocalDate(today);
  for (const y of [year - 1, year, year + 1]) {
    const w = birthdayWindow(birthday, y, config);
    if (compareLocalDates(w.startsOn, today) <= 0 && compareLocalDates(today, w.endsOn) <= 0) return w;
  }
  return null;
}

/** Code validity as instants: from the shop-local start of the first day to the end of the last. */
export function windowInstants(window: BirthdayWindow, timeZone: string): { startsAt: string; endsAt: string } {
  return validityInstants(window.startsOn, window.endsOn, timeZone);
}

/** Reminder moments inside the window, in date order. The last-chance moment is +2 days. */
export function reminderMoments(window: BirthdayWindow, config: BirthdayWindowConfig): ReminderMoment[] {
  const offsets = new Map<number, boolean>();
  for (const o of config.reminders) offsets.set(o, false);
  if (config.lastChance) offsets.set(LAST_CHANCE_OFFSET, true);
  return [...offsets]
    .filter(([o]) => o >= -config.windowDaysBefore && o <= config.windowDaysAfter)
    .sort(([a], [b]) => a - b)
    .map(([offset, lastChance]) => ({ offset, lastChance, date: addDays(window.birthday, offset) }));
}

/**
 * The moment to send today, if any. A moment fires on its date; if a run was missed it fires late,
 * but only the most recent passed moment and only if nothing later was sent, so a customer never
 * receives a burst of stale reminders. Each moment fires at most once.
 */
export function dueMoments(moments: readonly ReminderMoment[], today: LocalDate, alreadySent: readonly number[]): ReminderMoment[] {
  const passed = moments.filter((m) => compareLocalDates(m.date, today) <= 0);
  const latest = passed[passed.length - 1];
  if (!latest || alreadySent.includes(latest.offset)) return [];
  if (alreadySent.some((o) => o > latest.offset)) return [];
  return [latest];
}

/**
 * Anti-gaming: a birthday set or changed fewer than `minNoticeDays` days before the birthday it would
 * celebrate (or after it) earns nothing that year; the next year's birthday counts as usual. A birthday
 * whose change date is unknown is not held back.
 */
export function changedTooLate(changedOn: LocalDate | null | undefined, birthday: LocalDate, minNoticeDays: number): boolean {
  if (!changedOn || minNoticeDays <= 0) return false;
  return daysBetween(changedOn, birthday) < minNoticeDays;
}
