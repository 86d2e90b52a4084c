import { gql } from "graphql-request";

/**
 * The nightly refresh: customers changed in Shopify since the last one, oldest change first, with what
 * webhooks do not carry (the `facts.birth_date` metafield) and what Kinship keeps (consent, tags).
 * Parsed by app/sync/customer-records.ts.
 */
export const CUSTOMERS_UPDATED_SINCE = gql`
  query KinshipCustomersUpdatedSince($first: Int!, $after: String, $query: String!) {
    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        firstName
        lastName
        updatedAt
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
`;

export interface CustomerNode {
  id: string;
  firstName: string | null;
  lastName: string | null;
  updatedAt: string;
  tags: string[];
  defaultEmailAddress: { emailAddress: string | null; marketingState: string | null } | null;
  statistics: { rfmGroup: string | null } | null;
  birthDate: { value: string; updatedAt: string } | null;
}

export interface CustomersPage {
  customers: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: CustomerNode[] };
}
