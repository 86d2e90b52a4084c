/** Calendar-day arithmetic for the retention core. Dates are local calendar days ("YYYY-MM-DD"); the caller
 * converts timestamps to the shop's time zone first, so "same day" means the merchant's day. */

export const DAYS_PER_WEEK = 7;
export const DAYS_PER_YEAR = 365.25;
export const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;
const MS_PER_DAY = 86_400_000;

export type TimeUnit = "days" | "weeks";

/** Length of one unit in days. */
export function daysPerUnit(unit: TimeUnit): number {
  return unit === "weeks" ? DAYS_PER_WEEK : 1;
}

// A time after the date (ISO "T" or a space, as in "YYYY-MM-DD HH:MM:SS") is ignored: the date is the local day.
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Days since 1970-01-01 for "YYYY-MM-DD" (an ISO timestamp's date part is used as is) or "YYYYMMDD".
 * Throws on anything else, including impossible dates such as 2023-02-30.
 */
export function dayNumber(date: string): number {
  const match = ISO_DAY.exec(date) ?? COMPACT_DAY.exec(date);
  if (!match) throw new RangeError(`not a date (expected YYYY-MM-DD or YYYYMMDD): "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: "${date}"`);
  }
  return ms / MS_PER_DAY;
}

const dayStrings = new Map<number, string>();

/** "YYYY-MM-DD" for a day number from dayNumber (memoised: scoring formats the same few days many times). */
export function dayString(day: number): string {
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (dayStrings.size < 100_000) dayStrings.set(day, text);
  }
  return text;
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
