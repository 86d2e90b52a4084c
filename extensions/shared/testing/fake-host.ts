/**
 * A hand-written stand-in for the `shopify` global that checkout and customer-account UI extensions
 * (API 2025-10) receive; Shopify publishes no test helper for Preact extensions. Values are real
 * @preact/signals signals, like the runtime's after `setSignals`, so components re-render when a test
 * changes them. Each extension's tests add what only its targets have (an order, a customer).
 */
import { signal, type Signal } from "@preact/signals";
import { vi } from "vitest";

export type Messages = { [key: string]: string | Messages };

/** Shopify's translate: dotted keys, `{{name}}` placeholders, falling back to the default (English) locale. */
export function translator(locales: Record<string, Messages>, locale: string) {
  const english = locales.en;
  const lookup = (messages: Messages | undefined, key: string): string | undefined => {
    let node: string | Messages | undefined = messages;
    for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
    return typeof node === "string" ? node : undefined;
  };
  return (key: string, replacements: Record<string, string | number> = {}): string => {
    const template = lookup(locales[locale] ?? english, key) ?? lookup(english, key);
    if (template === undefined) throw new Error(`missing translation key "${key}"`);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(replacements[name] ?? `{{${name}}}`));
  };
}

export interface FakeHostOptions {
  target: string;
  /** The extension's own locale files, by language ("en" is the default). */
  locales: Record<string, Messages>;
  locale?: string;
  settings?: Record<string, unknown>;
  stored?: Record<string, unknown>;
  token?: string;
}

export interface FakeShopify {
  api: Record<string, unknown>;
  settings: Signal<Record<string, unknown>>;
  store: Map<string, unknown>;
  storage: { read: ReturnType<typeof vi.fn>; write: ReturnType<typeof vi.fn> };
  sessionToken: { get: ReturnType<typeof vi.fn> };
}

export function createFakeHost(options: FakeHostOptions): FakeShopify {
  const { target, locales, locale = "en", settings = {}, stored = {}, token = "session-token-abc" } = options;
  const store = new Map(Object.entries(stored));
  const storage = {
    read: vi.fn(async (key: string) => (store.has(key) ? store.get(key) : null)),
    write: vi.fn(async (key: string, data: unknown) => {
      store.set(key, JSON.parse(JSON.stringify(data)));
    }),
    delete: vi.fn(async (key: string) => {
      store.delete(key);
    }),
  };
  const sessionToken = { get: vi.fn(async () => token) };
  const settingsSignal = signal(settings);
  // Shopify's i18n formats like Intl in the shopper's locale (currency style for formatCurrency).
  const api: Record<string, unknown> = {
    extension: { target, apiVersion: "2025-10" },
    settings: settingsSignal,
    localization: { language: signal({ isoCode: locale }), extensionLanguage: signal({ isoCode: locale }) },
    i18n: {
      translate: translator(locales, locale),
      formatDate: (date: Date, opts?: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...opts }).format(date),
      formatNumber: (n: number, opts?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, opts).format(n),
      formatCurrency: (n: number, opts?: Intl.NumberFormatOptions) =>
        new Intl.NumberFormat(locale, { ...opts, style: "currency" }).format(n),
    },
    storage,
    sessionToken,
  };
  return { api, settings: settingsSignal, store, storage, sessionToken };
}
