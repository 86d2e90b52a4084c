import type { Api as PageApi } from "@shopify/ui-extensions/customer-account.page.render";

import { baseHost, type BaseApi, type BaseHost } from "../../shared/host";
import type { Money } from "./rewards";

/** The part of the `shopify` global the page uses. */
export interface HostApi extends BaseApi {
  i18n: BaseApi["i18n"] & {
    formatCurrency: (number: number, options?: Intl.NumberFormatOptions) => string;
    formatNumber: (number: number, options?: Intl.NumberFormatOptions) => string;
    formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string;
  };
}

/** Everything the page needs from its surroundings; money and dates are formatted by the host, in the shopper's language. */
export interface RewardsHost extends BaseHost {
  /** The backend's decimal string in its currency, as Shopify formats money for the shopper. */
  formatMoney: (money: Money) => string;
  formatNumber: (value: number) => string;
  /** An instant as a calendar date in the shop's time zone (a code "valid until" the shop's end of day). */
  formatInstant: (iso: string, timeZone: string) => string;
  /** A YYYY-MM-DD calendar day (a birthday), with no time zone to shift it. */
  formatDay: (day: string) => string;
}

export function rewardsHost(api: HostApi, appUrl: string | null): RewardsHost {
  return {
    ...baseHost(api, appUrl),
    // Whole amounts without cents ("UAH 1,200 more to Gold"), others as the currency writes them.
    formatMoney: ({ amount, currencyCode }) =>
      api.i18n.formatCurrency(
        Number(amount),
        Number.isInteger(Number(amount))
          ? { currency: currencyCode, minimumFractionDigits: 0, maximumFractionDigits: 0 }
          : { currency: currencyCode },
      ),
    formatNumber: (value) => api.i18n.formatNumber(value),
    formatInstant: (iso, timeZone) => api.i18n.formatDate(new Date(iso), { dateStyle: "long", timeZone }),
    formatDay: (day) => api.i18n.formatDate(new Date(`${day}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }),
  };
}

export function pageHost(api: PageApi, appUrl: string | null): RewardsHost {
  return rewardsHost(api, appUrl);
}
