/**
 * What every Kinship UI extension takes from the `shopify` global, whichever target it renders in
 * (checkout or customer accounts, API 2025-10): translations, the shopper's language, a session token and
 * the backend URL. Each extension's own host adds what only its targets have (an order, formatting).
 */
export interface BaseApi {
  localization: { language: { readonly value: { isoCode: string } } };
  i18n: { translate: (key: string, options?: Record<string, string | number>) => unknown };
  sessionToken: { get: () => Promise<string> };
}

export interface BaseHost {
  locale: () => string;
  translate: (key: string, replacements?: Record<string, string | number>) => string;
  getToken: () => Promise<string>;
  appUrl: string | null;
  fetch: typeof fetch;
}

export function baseHost(api: BaseApi, appUrl: string | null): BaseHost {
  return {
    locale: () => api.localization.language.value?.isoCode ?? "en",
    translate: (key, replacements) => String(api.i18n.translate(key, replacements)),
    getToken: () => api.sessionToken.get(),
    appUrl,
    // Looked up at call time so a fetch installed after start-up (tests, polyfills) is honoured.
    fetch: (...args) => fetch(...args),
  };
}
