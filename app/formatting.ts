/**
 * Money, numbers and dates for the merchant: amounts in the shop's currency, dates in the shop's time zone,
 * spelled the admin user's way (Intl). Loaders format on the server so the browser shows exactly the same
 * text it was sent (no hydration differences between Node's and the browser's ICU data).
 *
 * A malformed currency code or time zone (old rows, a shop mid-migration) must never crash a page: the
 * formatter falls back to a plain number with the code, or to UTC, instead of throwing Intl's RangeError.
 */
import { isValidTimeZone, localDateAt } from "./retention/time";
import type { Locale } from "./i18n";

export interface ShopFormatContext {
  locale: Locale;
  /** ISO 4217, e.g. "UAH". */
  currency: string;
  /** IANA, e.g. "Europe/Kyiv". */
  timeZone: string;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = cache.get(key) as T | undefined;
  if (!format) {
    format = make();
    // Formatters are keyed by a handful of locale/currency/zone combinations; the cap only guards misuse.
    if (cache.size > 500) cache.clear();
    cache.set(key, format);
  }
  return format;
}

export function isValidCurrency(currency: string): boolean {
  if (!/^[A-Z]{3}$/.test(currency)) return false;
  try {
    new Intl.NumberFormat("en", { style: "currency", currency });
    return true;
  } catch {
    return false;
  }
}

function safeZone(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : "UTC";
}

function toDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Signs several currencies write the same way: where the locale only knows a currency's code, its sign is used
// instead (UAH is "₴" for an English admin, not "UAH"), unless the sign would not say which currency it is.
const SHARED_SIGNS = new Set(["$", "kr", "£", "¥", "Rs", "₨", "R"]);

function currencyDisplay(locale: Locale, currency: string): "symbol" | "narrowSymbol" {
  const sign = (display: "symbol" | "narrowSymbol") =>
    new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: display })
      .formatToParts(0)
      .find((p) => p.type === "currency")?.value;
  const narrow = sign("narrowSymbol");
  // The narrow sign whenever it says which currency it is: it is the same in every runtime's data, while the
  // plain symbol is not (Node writes UAH "₴" in Ukrainian where Chromium writes "грн"), and a page the server
  // wrote one way and the browser another fails hydration.
  return narrow && narrow !== currency && !SHARED_SIGNS.has(narrow) ? "narrowSymbol" : "symbol";
}

/**
 * Money in the shop's currency, written the admin's way: "$1,234.50", "1 234,50 ₴", "₴1,234.50" (UAH for an
 * English admin). The one money format of the admin: pages, previews and charts all call this.
 */
export function formatMoney(
  amount: number | null | undefined,
  ctx: Pick<ShopFormatContext, "locale" | "currency">,
  options: { compact?: boolean } = {},
): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return "—";
  if (!isValidCurrency(ctx.currency)) {
    return `${formatNumber(amount, ctx.locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 })} ${ctx.currency}`.trim();
  }
  const key = `money|${ctx.locale}|${ctx.currency}|${options.compact ? "c" : ""}`;
  return cached(
    key,
    () =>
      new Intl.NumberFormat(ctx.locale, {
        style: "currency",
        currency: ctx.currency,
        currencyDisplay: currencyDisplay(ctx.locale, ctx.currency),
        // Both fraction bounds are explicit: runtimes disagree on the compact default minimum ("€15.0K" in Node 20,
        // "€15K" in current Chromium), and a server render that differs from the browser's fails hydration.
        ...(options.compact ? { notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 } : {}),
      }),
  ).format(amount);
}

export function formatNumber(value: number | null | undefined, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const key = `number|${locale}|${JSON.stringify(options)}`;
  return cached(key, () => new Intl.NumberFormat(locale, options)).format(value);
}

/** The currency's symbol as the locale writes it ("€", "₴", "US$"), or the code itself. */
export function currencySymbol(locale: Locale, currency: string): string {
  if (!isValidCurrency(currency)) return currency;
  const format = cached(
    `money|${locale}|${currency}|`,
    () => new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: currencyDisplay(locale, currency) }),
  ) as Intl.NumberFormat;
  return format.formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
}

/** A share 0..1 as a percentage ("37%", "37.5 %" in some locales). */
export function formatPercent(fraction: number | null | undefined, locale: Locale, digits = 0): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  return formatNumber(fraction, locale, { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A calendar day in the shop's time zone, e.g. "12 Mar 2026". */
export function formatDate(value: Date | string | number | null | undefined, ctx: Pick<ShopFormatContext, "locale" | "timeZone">): string {
  const date = toDate(value);
  if (!date) return "—";
  const timeZone = safeZone(ctx.timeZone);
  return cached(`date|${ctx.locale}|${timeZone}`, () => new Intl.DateTimeFormat(ctx.locale, { timeZone, dateStyle: "medium" })).format(
    date,
  );
}

/** Date and time in the shop's time zone. */
export function formatDateTime(
  value: Date | string | number | null | undefined,
  ctx: Pick<ShopFormatContext, "locale" | "timeZone">,
): string {
  const date = toDate(value);
  if (!date) return "—";
  const timeZone = safeZone(ctx.timeZone);
  return cached(
    `datetime|${ctx.locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(ctx.locale, { timeZone, dateStyle: "medium", timeStyle: "short" }),
  ).format(date);
}

/**
 * A calendar date stored without a zone ("YYYY-MM-DD", e.g. a birthday) is shown as that same day
 * everywhere: it is formatted in UTC, never shifted into the shop's zone.
 */
export function formatCalendarDate(day: string | null | undefined, locale: Locale): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return "—";
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return "—";
  return cached(`calendar|${locale}`, () => new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" })).format(date);
}

/** "YYYY-MM" as a short month and year ("Mar 2026", "бер. 2026 р."). */
export function formatMonth(month: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}$/.test(month)) return month;
  const date = new Date(`${month}-01T00:00:00Z`);
  return cached(`month|${locale}`, () => new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "short", year: "numeric" })).format(
    date,
  );
}

/** "YYYY-MM-DD" of an instant in the shop's time zone (the merchant's "today"); an unknown zone reads as UTC. */
export function shopDay(value: Date, timeZone: string): string {
  return localDateAt(value, safeZone(timeZone));
}

/** The zone's offset from UTC at an instant, as "UTC+02:00" (for the Settings page). */
export function utcOffset(timeZone: string, at: Date = new Date()): string {
  const zone = safeZone(timeZone);
  const format = cached(
    `offset|${zone}`,
    () => new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }),
  ) as Intl.DateTimeFormat;
  const name = format.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  // "GMT" alone means offset zero; otherwise "GMT+05:30".
  return name === "GMT" ? "UTC+00:00" : name.replace("GMT", "UTC");
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "45 min", "5 hr", "3 days" in the admin's language: minutes below an hour, hours below two days, days after; rounded down. */
export function formatDuration(ms: number, locale: Locale): string {
  const value = Math.max(0, Number.isFinite(ms) ? ms : 0);
  const [unit, size] =
    value < HOUR_MS ? (["minute", MINUTE_MS] as const) : value < 2 * DAY_MS ? (["hour", HOUR_MS] as const) : (["day", DAY_MS] as const);
  return cached(`duration|${locale}|${unit}`, () => new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" })).format(
    Math.floor(value / size),
  );
}

/** Convenience: every formatter bound to one shop and admin locale. */
export function shopFormatter(ctx: ShopFormatContext) {
  return {
    money: (amount: number | null | undefined, options?: { compact?: boolean }) => formatMoney(amount, ctx, options),
    number: (value: number | null | undefined, options?: Intl.NumberFormatOptions) => formatNumber(value, ctx.locale, options),
    percent: (fraction: number | null | undefined, digits?: number) => formatPercent(fraction, ctx.locale, digits),
    date: (value: Date | string | number | null | undefined) => formatDate(value, ctx),
    dateTime: (value: Date | string | number | null | undefined) => formatDateTime(value, ctx),
    calendarDate: (day: string | null | undefined) => formatCalendarDate(day, ctx.locale),
    monthLabel: (month: string) => formatMonth(month, ctx.locale),
    duration: (ms: number) => formatDuration(ms, ctx.locale),
  };
}

export type ShopFormatter = ReturnType<typeof shopFormatter>;
