import { gql } from "graphql-request";

export const SHOP_INFO_QUERY = gql`
  query KinshipShopInfo {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
    }
  }
`;

export interface ShopInfo {
  shop: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string };
}
