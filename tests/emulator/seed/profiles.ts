/** Per-currency shop defaults: where the shop is, and how big a typical basket is in its money. */
export interface CurrencyProfile {
  currency: string;
  timeZone: string;
  countryCode: string;
  country: string;
  city: string;
  locale: string;
  phonePrefix: string;
  /** Multiplies the Gamma-Gamma scale so spend is realistic in this currency. */
  spendScale: number;
}

export const CURRENCY_PROFILES: Record<string, CurrencyProfile> = {
  USD: {
    currency: "USD",
    timeZone: "America/New_York",
    countryCode: "US",
    country: "United States",
    city: "Brooklyn",
    locale: "en",
    phonePrefix: "+1212",
    spendScale: 1,
  },
  EUR: {
    currency: "EUR",
    timeZone: "Europe/Berlin",
    countryCode: "DE",
    country: "Germany",
    city: "Berlin",
    locale: "de",
    phonePrefix: "+4930",
    spendScale: 1,
  },
  UAH: {
    currency: "UAH",
    timeZone: "Europe/Kyiv",
    countryCode: "UA",
    country: "Ukraine",
    city: "Kyiv",
    locale: "uk",
    phonePrefix: "+38044",
    spendScale: 40,
  },
  GBP: {
    currency: "GBP",
    timeZone: "Europe/London",
    countryCode: "GB",
    country: "United Kingdom",
    city: "Leeds",
    locale: "en",
    phonePrefix: "+44113",
    spendScale: 1,
  },
  CAD: {
    currency: "CAD",
    timeZone: "America/Toronto",
    countryCode: "CA",
    country: "Canada",
    city: "Toronto",
    locale: "en",
    phonePrefix: "+1416",
    spendScale: 1.35,
  },
};

export function currencyProfile(currency: string): CurrencyProfile {
  const profile = CURRENCY_PROFILES[currency];
  if (!profile) {
    throw new Error(`No currency profile for ${currency}; known: ${Object.keys(CURRENCY_PROFILES).join(", ")}`);
  }
  return profile;
}
