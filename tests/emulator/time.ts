/** GraphQL `DateTime`: UTC, second precision, `Z` suffix, as Shopify returns it. */
export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function nullableIsoUtc(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : isoUtc(ms);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of the IANA zone from UTC at the given instant, in minutes (e.g. +180 for Kyiv in summer). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormatters.set(timeZone, formatter);
  }
  const part = formatter.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

function formatOffset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${separator}${String(abs % 60).padStart(2, "0")}`;
}

/** REST webhook timestamps are in the shop's zone with an offset: "2026-04-10T12:00:00+03:00". */
export function isoInZone(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, ms);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${formatOffset(offset, ":")}`;
}

export function nullableIsoInZone(ms: number | null | undefined, timeZone: string): string | null {
  return ms === null || ms === undefined ? null : isoInZone(ms, timeZone);
}

/** Shop.timezoneOffset style: "+0300". */
export function compactOffset(timeZone: string, ms: number): string {
  return formatOffset(zoneOffsetMinutes(timeZone, ms), "");
}

/** Midnight of a calendar date (YYYY-MM-DD) in the shop's zone, as epoch ms. */
export function localMidnight(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const first = utcMidnight - zoneOffsetMinutes(timeZone, utcMidnight) * 60_000;
  return utcMidnight - zoneOffsetMinutes(timeZone, first) * 60_000;
}

/**
 * Parses a search-syntax date value: date-only and zone-less times are read in the shop's zone (as Shopify does),
 * full ISO strings with Z or an offset are exact. NaN when unparseable.
 */
export function parseSearchDate(value: string, timeZone: string): number {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return localMidnight(text, timeZone);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    const asUtc = Date.parse(`${text.replace(" ", "T")}Z`);
    return asUtc - zoneOffsetMinutes(timeZone, asUtc) * 60_000;
  }
  return Date.parse(text);
}

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
