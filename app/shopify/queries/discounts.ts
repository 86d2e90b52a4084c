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

/** An audience reward's shared discount lets each new batch's customers use it (added to its `context`). */
export const DISCOUNT_CODE_BASIC_ADD_CUSTOMERS = gql`
  mutation KinshipDiscountAddCustomers($id: ID!, $basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicUpdate(id: $id, basicCodeDiscount: $basicCodeDiscount) {
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

/** Up to 250 codes added to one discount; Shopify creates them asynchronously (see the bulk creation). */
export const DISCOUNT_REDEEM_CODE_BULK_ADD = gql`
  mutation KinshipRedeemCodeBulkAdd($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
    discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
      bulkCreation {
        id
        done
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

/** A bulk creation's progress; the per-code results are read only when some failed. */
export const DISCOUNT_REDEEM_CODE_BULK_CREATION = gql`
  query KinshipRedeemCodeBulkCreation($id: ID!) {
    discountRedeemCodeBulkCreation(id: $id) {
      id
      done
      codesCount
      importedCount
      failedCount
    }
  }
`;

export const DISCOUNT_REDEEM_CODE_BULK_CREATION_CODES = gql`
  query KinshipRedeemCodeBulkCreationCodes($id: ID!, $after: String) {
    discountRedeemCodeBulkCreation(id: $id) {
      codes(first: 100, after: $after) {
        nodes {
          code
          discountRedeemCode {
            id
          }
          errors {
            code
            message
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** Reconciliation of a batch: the discount's codes, newest first (a batch's codes are its latest). */
export const CODE_DISCOUNT_CODES_NEWEST = gql`
  query KinshipCodeDiscountCodes($id: ID!, $before: String) {
    codeDiscountNode(id: $id) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          codes(last: 250, before: $before) {
            nodes {
              code
            }
            pageInfo {
              hasPreviousPage
              startCursor
            }
          }
        }
      }
    }
  }
`;

export interface BulkCreationStatus {
  discountRedeemCodeBulkCreation: {
    id: string;
    done: boolean;
    codesCount: number;
    importedCount: number;
    failedCount: number;
  } | null;
}

export interface BulkCreationCodesPage {
  discountRedeemCodeBulkCreation: {
    codes: {
      nodes: Array<{ code: string; discountRedeemCode: { id: string } | null; errors: Array<{ code: string | null; message: string }> }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
}

export interface DiscountCodesPage {
  codeDiscountNode: {
    id: string;
    codeDiscount: {
      __typename: string;
      codes?: { nodes: Array<{ code: string }>; pageInfo: { hasPreviousPage: boolean; startCursor: string | null } };
    };
  } | null;
}
