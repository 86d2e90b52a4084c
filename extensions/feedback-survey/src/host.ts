import type { Api as ThankYouApi } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import type { Api as OrderStatusApi } from "@shopify/ui-extensions/customer-account.order-status.block.render";

import { baseHost, type BaseApi, type BaseHost } from "../../shared/host";

/** The part of the `shopify` global the survey uses; both targets' APIs satisfy it. */
export interface HostApi extends BaseApi {
  settings: { readonly value: Readonly<Record<string, unknown>> };
  i18n: BaseApi["i18n"] & { formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string };
  storage: {
    read: (key: string) => Promise<unknown>;
    write: (key: string, data: unknown) => Promise<void>;
  };
}

/**
 * Everything the survey component needs from its surroundings. Getters read Shopify's signals during
 * render, so a change (the merchant editing settings, the order loading) re-renders the survey.
 */
export interface SurveyHost extends BaseHost {
  orderId: () => string | null | undefined;
  settings: () => Readonly<Record<string, unknown>>;
  formatDate: (date: Date) => string;
  storage: HostApi["storage"];
}

function createHost(api: HostApi, orderId: () => string | null | undefined, appUrl: string | null): SurveyHost {
  return {
    ...baseHost(api, appUrl),
    orderId,
    settings: () => api.settings.value ?? {},
    formatDate: (date) => api.i18n.formatDate(date, { dateStyle: "long" }),
    storage: api.storage,
  };
}

export function thankYouHost(api: ThankYouApi, appUrl: string | null): SurveyHost {
  return createHost(api, () => api.orderConfirmation.value?.order?.id, appUrl);
}

export function orderStatusHost(api: OrderStatusApi, appUrl: string | null): SurveyHost {
  return createHost(api, () => api.order.value?.id, appUrl);
}
