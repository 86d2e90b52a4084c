import { describe, expect, it } from "vitest";
import {
  currencySymbol,
  formatCalendarDate,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  shopDay,
  utcOffset,
} from "../../../app/formatting";

const NBSP = "\u00a0";
const NNBSP = "\u202f";
// ICU writes group and currency separators with no-break spaces; compare with plain spaces.
const plain = (text: string) => text.replaceAll(NBSP, " ").replaceAll(NNBSP, " ");

describe("money", () => {
  it("is written in the shop's currency, the admin's way", () => {
    expect(formatMoney(1234.5, { locale: "en", currency: "USD" })).toBe("$1,234.50");
    expect(plain(formatMoney(1234.5, { locale: "uk", currency: "UAH" }))).toBe("1 234,50 ₴");
    expect(plain(formatMoney(1234.5, { locale: "hr", currency: "EUR" }))).toBe("1.234,50 €");
    expect(plain(formatMoney(1234.5, { locale: "ru", currency: "RUB" }))).toBe("1 234,50 ₽");
  });

  it("never throws on a bad currency code or a missing amount", () => {
    expect(formatMoney(10, { locale: "en", currency: "XXXX" })).toBe("10.00 XXXX");
    expect(formatMoney(null, { locale: "en", currency: "USD" })).toBe("—");
    expect(formatMoney(Number.NaN, { locale: "en", currency: "USD" })).toBe("—");
  });

  it("uses the currency's own sign where the admin's language only knows its code, unless other currencies share it", () => {
    // Was "UAH 7,082,762.49" for an English admin.
    expect(formatMoney(7_082_762.49, { locale: "en", currency: "UAH" })).toBe("₴7,082,762.49");
    expect(plain(formatMoney(7_082_762.49, { locale: "uk", currency: "UAH" }))).toBe("7 082 762,49 ₴");
    expect(plain(formatMoney(10, { locale: "hr", currency: "PLN" }))).toBe("10,00 zł");
    // "$" alone would not say which dollar.
    expect(formatMoney(10, { locale: "en", currency: "CAD" })).toBe("CA$10.00");
    expect(plain(formatMoney(10, { locale: "uk", currency: "CAD" }))).toBe("10,00 CAD");
  });

  it("can be compact for tight spaces", () => {
    expect(formatMoney(1_250_000, { locale: "en", currency: "USD" }, { compact: true })).toBe("$1.3M");
    // A round figure has no ".0": Node 20 wrote "€15.0K" where the browser writes "€15K", and the server's
    // render of a chart's figures then failed hydration in the browser.
    expect(formatMoney(15_000, { locale: "en", currency: "EUR" }, { compact: true })).toBe("€15K");
    expect(formatMoney(15_000, { locale: "hr", currency: "EUR" }, { compact: true })).toBe("15\u00a0tis.\u00a0€");
  });

  it("names the currency symbol", () => {
    expect(currencySymbol("en", "EUR")).toBe("€");
    expect(currencySymbol("en", "nope")).toBe("nope");
  });
});

describe("durations", () => {
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  it("use minutes below an hour, hours below two days, days after, rounding down, in the admin's language", () => {
    expect(formatDuration(0, "en")).toBe("0 min");
    expect(formatDuration(59 * MIN + 59_000, "en")).toBe("59 min");
    expect(formatDuration(HOUR, "en")).toBe("1 hr");
    expect(formatDuration(48 * HOUR - 1, "en")).toBe("47 hr");
    expect(formatDuration(48 * HOUR, "en")).toBe("2 days");
    expect(formatDuration(-5 * MIN, "en")).toBe("0 min");
    expect(plain(formatDuration(5 * HOUR, "uk"))).toBe("5 год");
    expect(plain(formatDuration(3 * 24 * HOUR, "hr"))).toBe("3 dana");
  });
});

describe("numbers and shares", () => {
  it("formats per locale", () => {
    expect(formatNumber(200000, "en")).toBe("200,000");
    expect(plain(formatNumber(200000, "ru"))).toBe("200 000");
    expect(formatPercent(0.571, "en", 1)).toBe("57.1%");
    expect(plain(formatPercent(0.5, "hr"))).toBe("50 %");
    expect(formatPercent(null, "en")).toBe("—");
  });
});

describe("dates in the shop's time zone", () => {
  // 23:30 UTC on 31 December is already New Year's Day in Kyiv and still New Year's Eve in New York.
  const instant = new Date("2025-12-31T23:30:00Z");

  it("shows the shop's local day", () => {
    expect(formatDate(instant, { locale: "en", timeZone: "Europe/Kyiv" })).toBe("Jan 1, 2026");
    expect(formatDate(instant, { locale: "en", timeZone: "America/New_York" })).toBe("Dec 31, 2025");
    expect(shopDay(instant, "Europe/Kyiv")).toBe("2026-01-01");
    expect(shopDay(instant, "America/New_York")).toBe("2025-12-31");
  });

  it("includes the local time", () => {
    expect(plain(formatDateTime(instant, { locale: "en", timeZone: "Europe/Kyiv" }))).toBe("Jan 1, 2026, 1:30 AM");
    expect(plain(formatDateTime(instant, { locale: "hr", timeZone: "Europe/Zagreb" }))).toBe("1. sij 2026. 00:30");
  });

  it("keeps calendar dates (birthdays) on their day in every zone", () => {
    expect(formatCalendarDate("1990-02-28", "en")).toBe("Feb 28, 1990");
    expect(formatCalendarDate("not a date", "en")).toBe("—");
  });

  it("falls back to UTC for an unknown zone instead of throwing", () => {
    expect(formatDate(instant, { locale: "en", timeZone: "Mars/Olympus" })).toBe("Dec 31, 2025");
    expect(formatDate("garbage", { locale: "en", timeZone: "UTC" })).toBe("—");
  });

  it("describes the zone's offset, including daylight saving", () => {
    expect(utcOffset("Europe/Zagreb", new Date("2026-01-15T12:00:00Z"))).toBe("UTC+01:00");
    expect(utcOffset("Europe/Zagreb", new Date("2026-07-15T12:00:00Z"))).toBe("UTC+02:00");
    expect(utcOffset("Asia/Kolkata", new Date("2026-07-15T12:00:00Z"))).toBe("UTC+05:30");
    expect(utcOffset("UTC")).toBe("UTC+00:00");
  });

  it("labels months", () => {
    expect(formatMonth("2026-03", "en")).toBe("Mar 2026");
    expect(formatMonth("2026-03", "uk")).toMatch(/^бер\.? 2026/);
  });
});
