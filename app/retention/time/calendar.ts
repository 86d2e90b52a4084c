/**
 * Shop-local calendar dates as "YYYY-MM-DD" strings, the one date library of the app. Rewards and
 * scores are decided per calendar day in the shop's time zone, so the core works on dates, not
 * instants; `time-zone.ts` converts instants to dates. Arithmetic goes through UTC milliseconds, where
 * every day has exactly 24 hours.
 */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real calendar date such as "2028-02-29" (and false for "2027-02-29"). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== "string") return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function parseLocalDate(date: LocalDate): DateParts {
  if (!isLocalDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${String(date)}`);
  const [year, month, day] = date.split("-").map(Number);
  return { year, month, day };
}

export function formatLocalDate({ year, month, day }: DateParts): LocalDate {
  const y = String(year).padStart(4, "0");
  return `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function toUtcMs(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMs(ms: number): LocalDate {
  const d = new Date(ms);
  return formatLocalDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxLocalDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

/** "YYYY-MM": budgets are counted per calendar month of the shop. */
export function monthOf(date: LocalDate): string {
  parseLocalDate(date);
  return date.slice(0, 7);
}

export function firstDayOfNextMonth(date: LocalDate): LocalDate {
  const { year, month } = parseLocalDate(date);
  return month === 12 ? formatLocalDate({ year: year + 1, month: 1, day: 1 }) : formatLocalDate({ year, month: month + 1, day: 1 });
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

// Day numbers: the scoring core counts days as integers (days since 1970-01-01).

export const DAYS_PER_WEEK = 7;
export const DAYS_PER_YEAR = 365.25;
export const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

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
  return ms / DAY_MS;
}

const dayStrings = new Map<number, string>();

/** "YYYY-MM-DD" for a day number from dayNumber (memoised: scoring formats the same few days many times). */
export function dayString(day: number): string {
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayStrings.size < 100_000) dayStrings.set(day, text);
  }
  return text;
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
