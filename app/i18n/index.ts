/**
 * Admin UI strings in English, Ukrainian, Russian and Croatian. English is the source and the fallback for
 * any key a translation lacks. The catalogs are split by page (see ./catalogs.ts) and merged per language here.
 *
 * Plural messages are keys ending in an Intl.PluralRules category (`customers.count.one`,
 * `customers.count.few`, …): each language lists the categories its grammar has, see `translatePlural`.
 */
import { englishCatalog, PAGE_CATALOGS } from "./catalogs";
import { formatCount, interpolate, pluralKey, type Messages } from "./translator";

export const SUPPORTED_LOCALES = ["en", "uk", "ru", "hr"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const english = englishCatalog;
export type MessageKey = keyof typeof english;
/** Base names of plural messages: "x" when "x.other" exists. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.other` ? Base : never }[MessageKey];

const merged = (locale: Locale): Messages => Object.assign({}, ...Object.values(PAGE_CATALOGS).map((pages) => pages[locale]));
const catalogs: Record<Locale, Messages> = { en: english, uk: merged("uk"), ru: merged("ru"), hr: merged("hr") };

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
  const template =
    catalogs[locale][pluralKey(catalogs[locale], key, count, locale)] ?? (english as Messages)[pluralKey(english, key, count, "en")] ?? key;
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
