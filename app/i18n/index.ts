import en from "./locales/en.json";
import uk from "./locales/uk.json";
import ru from "./locales/ru.json";
import hr from "./locales/hr.json";

export const SUPPORTED_LOCALES = ["en", "uk", "ru", "hr"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export type MessageKey = keyof typeof en;

const catalogs: Record<Locale, Partial<Record<MessageKey, string>>> = { en, uk, ru, hr };

/** Shopify passes the admin user's locale as `?locale=uk-UA`; anything unknown falls back to English. */
export function resolveLocale(requested: string | null | undefined): Locale {
  const language = (requested ?? "").toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as Locale) : "en";
}

export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template = catalogs[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
