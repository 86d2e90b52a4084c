/**
 * Admin UI strings in English, Ukrainian, Russian and Croatian. English is the source and the fallback for
 * any key a translation lacks. Catalogs per language are merged: `locales/` (navigation and the pages
 * other issues build), `admin/` (dashboard, customers, segments, settings) and `rules/` (the rules pages,
 * their validation messages and the offer text customers read; `rules/kinds.json` holds each reward
 * kind's texts in all four languages), so parallel work on different pages never edits the same file.
 *
 * Plural messages are keys ending in an Intl.PluralRules category (`customers.count.one`,
 * `customers.count.few`, …): each language lists the categories its grammar has, see `translatePlural`.
 */
import en from "./locales/en.json";
import uk from "./locales/uk.json";
import ru from "./locales/ru.json";
import hr from "./locales/hr.json";
import adminEn from "./admin/en.json";
import adminUk from "./admin/uk.json";
import adminRu from "./admin/ru.json";
import adminHr from "./admin/hr.json";
import rulesEn from "./rules/en.json";
import rulesUk from "./rules/uk.json";
import rulesRu from "./rules/ru.json";
import rulesHr from "./rules/hr.json";
// One file for every language's reward-kind texts, so adding a kind edits one catalog (decision 004).
import kinds from "./rules/kinds.json";
import { formatCount, interpolate, pluralKey, type Messages } from "./translator";

export const SUPPORTED_LOCALES = ["en", "uk", "ru", "hr"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const english = { ...en, ...adminEn, ...rulesEn, ...kinds.en };
export type MessageKey = keyof typeof english;
/** Base names of plural messages: "x" when "x.other" exists. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.other` ? Base : never }[MessageKey];

const catalogs: Record<Locale, Messages> = {
  en: english,
  uk: { ...uk, ...adminUk, ...rulesUk, ...kinds.uk },
  ru: { ...ru, ...adminRu, ...rulesRu, ...kinds.ru },
  hr: { ...hr, ...adminHr, ...rulesHr, ...kinds.hr },
};

/** Shopify passes the admin user's locale as `?locale=uk-UA`; anything unknown falls back to English. */
export function resolveLocale(requested: string | null | undefined): Locale {
  const language = (requested ?? "").toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as Locale) : "en";
}

export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template = catalogs[locale][key] ?? (english as Messages)[key] ?? key;
  return interpolate(template, values);
}

/**
 * The form of `key` for `count` in the locale's grammar (Ukrainian and Russian: one/few/many/other,
 * Croatian: one/few/other, English: one/other). `{count}` is filled in, formatted for the locale.
 */
export function translatePlural(locale: Locale, key: PluralKey, count: number, values: Record<string, string | number> = {}): string {
  const template = catalogs[locale][pluralKey(catalogs[locale], key, count, locale)] ?? (english as Messages)[pluralKey(english, key, count, "en")] ?? key;
  return interpolate(template, { count: formatCount(count, locale), ...values });
}

/**
 * The messages under the given prefixes, resolved for the locale with English filling any gaps, for a
 * loader to send to the browser (the page then translates without shipping four whole catalogs).
 */
export function messagesFor(locale: Locale, prefixes: readonly string[]): Messages {
  const picked: Messages = {};
  const wanted = (key: string) => prefixes.some((p) => key === p || key.startsWith(`${p}.`));
  for (const [key, value] of Object.entries(english)) if (wanted(key)) picked[key] = value;
  for (const [key, value] of Object.entries(catalogs[locale])) if (wanted(key)) picked[key] = value;
  return picked;
}

/** Every key of the English catalogs (for completeness tests). */
export function englishKeys(): string[] {
  return Object.keys(english);
}

export function catalog(locale: Locale): Readonly<Messages> {
  return catalogs[locale];
}

export { polarisTranslations } from "./polaris";
