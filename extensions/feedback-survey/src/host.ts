import type { Api as ThankYouApi } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import type { Api as OrderStatusApi } from "@shopify/ui-extensions/customer-account.order-status.block.render";

/** The part of the `shopify` global the survey uses; both targets' APIs satisfy it. */
export interface HostApi {
  settings: { readonly value: Readonly<Record<string, unknown>> };
  localization: { language: { readonly value: { isoCode: string } } };
  i18n: {
    translate: (key: string, options?: Record<string, string | number>) => unknown;
    formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string;
  };
  storage: {
    read: (key: string) => Promise<unknown>;
    write: (key: string, data: unknown) => Promise<void>;
  };
  sessionToken: { get: () => Promise<string> };
}

/**
 * Everything the survey component needs from its surroundings. Getters read Shopify's signals during
 * render, so a change (the merchant editing settings, the order loading) re-renders the survey.
 */
export interface SurveyHost {
  orderId: () => string | null | undefined;
  settings: () => Readonly<Record<string, unknown>>;
  locale: () => string;
  translate: (key: string, replacements?: Record<string, string | number>) => string;
  formatDate: (date: Date) => string;
  storage: HostApi["storage"];
  getToken: () => Promise<string>;
  appUrl: string | null;
  fetch: typeof fetch;
}

function createHost(api: HostApi, orderId: () => string | null | undefined, appUrl: string | null): SurveyHost {
  return {
    orderId,
    settings: () => api.settings.value ?? {},
    locale: () => api.localization.language.value?.isoCode ?? "en",
    translate: (key, replacements) => String(api.i18n.translate(key, replacements)),
    formatDate: (date) => api.i18n.formatDate(date, { dateStyle: "long" }),
    storage: api.storage,
    getToken: () => api.sessionToken.get(),
    appUrl,
    // Looked up at call time so a fetch installed after start-up (tests, polyfills) is honoured.
    fetch: (...args) => fetch(...args),
  };
}

export function thankYouHost(api: ThankYouApi, appUrl: string | null): SurveyHost {
  return createHost(api, () => api.orderConfirmation.value?.order?.id, appUrl);
}

export function orderStatusHost(api: OrderStatusApi, appUrl: string | null): SurveyHost {
  return createHost(api, () => api.order.value?.id, appUrl);
}
