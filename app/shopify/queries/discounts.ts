import { gql } from "graphql-request";

/**
 * Per-customer reward codes. Eligibility goes through `context` (2025-10+); the deprecated
 * `customerSelection` is never sent. Built by app/shopify/discounts.server.ts.
 */
export const DISCOUNT_CODE_BASIC_CREATE = gql`
  mutation KinshipDiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
        extraInfo
      }
    }
  }
`;

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = gql`
  mutation KinshipDiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
        extraInfo
      }
    }
  }
`;

/** Reconciliation: does Shopify already have this code (a crash after the create call)? */
export const CODE_DISCOUNT_NODE_BY_CODE = gql`
  query KinshipCodeDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          status
          startsAt
          endsAt
          usageLimit
          asyncUsageCount
          appliesOncePerCustomer
          combinesWith {
            orderDiscounts
            productDiscounts
            shippingDiscounts
          }
          context {
            __typename
            ... on DiscountCustomers {
              customers {
                id
              }
            }
          }
          minimumRequirement {
            __typename
            ... on DiscountMinimumSubtotal {
              greaterThanOrEqualToSubtotal {
                amount
                currencyCode
              }
            }
          }
          customerGets {
            value {
              __typename
              ... on DiscountPercentage {
                percentage
              }
              ... on DiscountAmount {
                amount {
                  amount
                  currencyCode
                }
                appliesOnEachItem
              }
            }
          }
        }
        ... on DiscountCodeFreeShipping {
          title
          status
          startsAt
          endsAt
          usageLimit
          asyncUsageCount
          appliesOncePerCustomer
          combinesWith {
            orderDiscounts
            productDiscounts
            shippingDiscounts
          }
          context {
            __typename
            ... on DiscountCustomers {
              customers {
                id
              }
            }
          }
          minimumRequirement {
            __typename
            ... on DiscountMinimumSubtotal {
              greaterThanOrEqualToSubtotal {
                amount
                currencyCode
              }
            }
          }
        }
      }
    }
  }
`;

export const DISCOUNT_CODE_DEACTIVATE = gql`
  mutation KinshipDiscountCodeDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
        extraInfo
      }
    }
  }
`;

export interface DiscountCreateResult {
  codeDiscountNode: { id: string } | null;
}

interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export interface CodeDiscountLookup {
  codeDiscountNodeByCode: {
    id: string;
    codeDiscount:
      | {
          __typename: "DiscountCodeBasic" | "DiscountCodeFreeShipping";
          title: string;
          status: "ACTIVE" | "EXPIRED" | "SCHEDULED";
          startsAt: string;
          endsAt: string | null;
          usageLimit: number | null;
          asyncUsageCount: number;
          appliesOncePerCustomer: boolean;
          combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean } | null;
          context: { __typename: string; customers?: { id: string }[] };
          minimumRequirement: { __typename: string; greaterThanOrEqualToSubtotal?: MoneyV2 } | null;
          customerGets?: {
            value: { __typename: string; percentage?: number; amount?: MoneyV2; appliesOnEachItem?: boolean };
          };
        }
      | { __typename: "DiscountCodeApp" | "DiscountCodeBxgy" };
  } | null;
}
