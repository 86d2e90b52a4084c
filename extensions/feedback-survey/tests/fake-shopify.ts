/**
 * A hand-written stand-in for the `shopify` global of the two targets (Shopify publishes no test
 * helper for Preact extensions). Values are real @preact/signals signals, like the runtime's after
 * `setSignals`, so components re-render when a test changes them.
 */
import { signal, type Signal } from "@preact/signals";
import { vi } from "vitest";

import en from "../locales/en.default.json";
import hr from "../locales/hr.json";
import ru from "../locales/ru.json";
import uk from "../locales/uk.json";

type Messages = { [key: string]: string | Messages };
export const LOCALES: Record<string, Messages> = { en, uk, ru, hr };

/** Shopify's translate: dotted keys, `{{name}}` placeholders, falling back to the default locale. */
export function translator(locale: string) {
  const lookup = (messages: Messages, key: string): string | undefined => {
    let node: string | Messages | undefined = messages;
    for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
    return typeof node === "string" ? node : undefined;
  };
  return (key: string, replacements: Record<string, string | number> = {}): string => {
    const template = lookup(LOCALES[locale] ?? en, key) ?? lookup(en, key);
    if (template === undefined) throw new Error(`missing translation key "${key}"`);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(replacements[name] ?? `{{${name}}}`));
  };
}

export type Target = "purchase.thank-you.block.render" | "customer-account.order-status.block.render";

export interface FakeOptions {
  target?: Target;
  locale?: string;
  /** Numeric order id; the thank-you page sees it as an OrderIdentity GID, order status as an Order GID. */
  orderNumber?: string | null;
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

export function createFakeShopify(options: FakeOptions = {}): FakeShopify {
  const {
    target = "purchase.thank-you.block.render",
    locale = "en",
    orderNumber = "5551234",
    settings = {},
    stored = {},
    token = "session-token-abc",
  } = options;
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
  const api: Record<string, unknown> = {
    extension: { target, apiVersion: "2025-10" },
    settings: settingsSignal,
    localization: { language: signal({ isoCode: locale }), extensionLanguage: signal({ isoCode: locale }) },
    i18n: {
      translate: translator(locale),
      formatDate: (date: Date, opts?: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...opts }).format(date),
      formatNumber: (n: number) => new Intl.NumberFormat(locale).format(n),
    },
    storage,
    sessionToken,
  };
  if (target === "purchase.thank-you.block.render") {
    api.orderConfirmation = signal(
      orderNumber === null
        ? undefined
        : {
            order: { id: `gid://shopify/OrderIdentity/${orderNumber}` },
            number: "ABC123",
            isFirstOrder: true,
          },
    );
  } else {
    api.order = signal(orderNumber === null ? undefined : { id: `gid://shopify/Order/${orderNumber}`, name: "#1001" });
  }
  return { api, settings: settingsSignal, store, storage, sessionToken };
}
