import { gql } from "graphql-request";

export const SHOP_INFO_QUERY = gql`
  query KinshipShopInfo {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
      billingAddress {
        countryCodeV2
      }
    }
  }
`;

export interface ShopInfo {
  shop: {
    name: string;
    myshopifyDomain: string;
    currencyCode: string;
    ianaTimezone: string;
    billingAddress: { countryCodeV2: string | null } | null;
  };
}

/** The shop's languages; the primary one is what customers read by default (needs `read_locales`). */
export const SHOP_LOCALES_QUERY = gql`
  query KinshipShopLocales {
    shopLocales(published: true) {
      locale
      primary
    }
  }
`;

export interface ShopLocales {
  shopLocales: { locale: string; primary: boolean }[];
}
