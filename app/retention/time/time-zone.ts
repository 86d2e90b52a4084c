/**
 * Converting between instants and shop-local calendar dates with `Intl` only (no date library):
 * the shop's IANA zone decides which day it is and when a code starts and ends.
 */
import { addDays, dayNumber, dayString, formatLocalDate, parseLocalDate, type LocalDate } from "./calendar";

const DAY_MS = 86_400_000;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

function wallDate(ms: number, timeZone: string): LocalDate {
  return formatLocalDate(wallClock(ms, timeZone));
}

/** The shop-local calendar date at an instant. */
export function localDateAt(instant: Date, timeZone: string): LocalDate {
  return wallDate(instant.getTime(), timeZone);
}

/** The shop-local hour (0–23) at an instant (the birthday send hour is compared with it). */
export function localHourAt(instant: Date, timeZone: string): number {
  return wallClock(instant.getTime(), timeZone).hour % 24;
}

function offsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

const dayStartCache = new Map<string, number>();

/**
 * The first instant of a shop-local day. Usually local midnight; where a DST jump skips midnight
 * (e.g. America/Santiago, America/Havana) the day starts at the jump, found by bisection.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const cacheKey = `${timeZone}|${date}`;
  const cached = dayStartCache.get(cacheKey);
  if (cached !== undefined) return new Date(cached);

  const { year, month, day } = parseLocalDate(date);
  const wallMidnight = Date.UTC(year, month - 1, day);
  const guess = wallMidnight - offsetMs(wallMidnight - offsetMs(wallMidnight, timeZone), timeZone);
  const w = wallClock(guess, timeZone);
  let result: number;
  if (wallDate(guess, timeZone) === date && w.hour === 0 && w.minute === 0 && w.second === 0 && wallDate(guess - 1000, timeZone) < date) {
    result = guess;
  } else {
    // Offsets stay within -12h…+14h, so these bracket the day's first second.
    let lo = wallMidnight - 15 * 3_600_000;
    let hi = wallMidnight + 13 * 3_600_000;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (wallDate(mid, timeZone) >= date) hi = mid;
      else lo = mid;
    }
    result = hi;
  }
  if (dayStartCache.size > 10_000) dayStartCache.clear();
  dayStartCache.set(cacheKey, result);
  return new Date(result);
}

/** ISO instants for a code valid on shop-local days `firstDay` … `lastDay` inclusive. */
export function validityInstants(firstDay: LocalDate, lastDay: LocalDate, timeZone: string): { startsAt: string; endsAt: string } {
  return {
    startsAt: startOfLocalDay(firstDay, timeZone).toISOString(),
    endsAt: startOfLocalDay(addDays(lastDay, 1), timeZone).toISOString(),
  };
}

/**
 * Shop-local calendar day of many instants (a shop's orders), with one `Intl` call per UTC day instead of
 * one per order: the zone's offset at the start and the end of a UTC day is the same on every day without
 * a transition, and then the local day is plain arithmetic. On the few transition days, time-zone offsets
 * being whole quarter hours, every UTC quarter hour falls on one local day: those are cached per quarter hour.
 */
export function localDayConverter(timeZone: string) {
  const toDayNumber = localDayNumberConverter(timeZone);
  return (instant: Date): string => dayString(toDayNumber(instant));
}

/** As `localDayConverter`, as day numbers (days since 1970-01-01, `dayNumber`): no string per instant. */
export function localDayNumberConverter(timeZone: string) {
  const dayOffsets = new Map<number, number | null>();
  const quarterHours = new Map<number, number>();
  return (instant: Date): number => {
    const ms = instant.getTime();
    const utcDay = Math.floor(ms / DAY_MS);
    let offset = dayOffsets.get(utcDay);
    if (offset === undefined) {
      const start = offsetMs(utcDay * DAY_MS, timeZone);
      offset = start === offsetMs((utcDay + 1) * DAY_MS, timeZone) ? start : null;
      dayOffsets.set(utcDay, offset);
    }
    if (offset !== null) return Math.floor((ms + offset) / DAY_MS);
    const bucket = Math.floor(ms / 900_000);
    let day = quarterHours.get(bucket);
    if (day === undefined) {
      day = dayNumber(localDateAt(new Date(bucket * 900_000), timeZone));
      quarterHours.set(bucket, day);
    }
    return day;
  };
}
