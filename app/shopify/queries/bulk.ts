import { gql } from "graphql-request";

/**
 * The backfill: every order (guest orders included, so shop totals are complete) with its customer
 * inline. Money is read as `shopMoney`, the shop's currency. Parsed by app/sync/bulk-records.ts.
 */
export const BACKFILL_BULK_QUERY = gql`
  {
    orders(query: "status:any") {
      edges {
        node {
          id
          name
          processedAt
          createdAt
          updatedAt
          cancelledAt
          test
          discountCodes
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          currentTotalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          totalDiscountsSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          totalRefundedSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          customer {
            id
            firstName
            lastName
            updatedAt
            numberOfOrders
            amountSpent {
              amount
              currencyCode
            }
            tags
            defaultEmailAddress {
              emailAddress
              marketingState
            }
            statistics {
              rfmGroup
            }
            birthDate: metafield(namespace: "facts", key: "birth_date") {
              value
              updatedAt
            }
          }
        }
      }
    }
  }
`;

export const BULK_QUERY_RUN = gql`
  mutation KinshipBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_STATUS = gql`
  query KinshipBulkStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
`;

export interface BulkOperationStatus {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}
