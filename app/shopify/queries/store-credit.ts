import { gql } from "graphql-request";

/**
 * Store credit as a reward (2026-04: `storeCreditAccountCredit`, scope
 * write_store_credit_account_transactions). The id may be the customer's: Shopify credits (or opens)
 * the customer's account in the given currency. `notify: true` makes Shopify email the customer.
 */
export const STORE_CREDIT_ACCOUNT_CREDIT = gql`
  mutation KinshipStoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        amount {
          amount
          currencyCode
        }
        expiresAt
        createdAt
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * Reconciliation: the credit has no reference field and the mutation takes no idempotency key, so a
 * row whose answer was lost is matched against the customer's credits in the shop's currency,
 * newest first (read_store_credit_account_transactions).
 */
export const STORE_CREDIT_CREDITS = gql`
  query KinshipStoreCreditCredits($customerId: ID!, $currencyQuery: String!, $after: String) {
    customer(id: $customerId) {
      id
      storeCreditAccounts(first: 1, query: $currencyQuery) {
        nodes {
          id
          transactions(first: 50, after: $after, reverse: true, query: "type:credit") {
            nodes {
              __typename
              createdAt
              ... on StoreCreditAccountCreditTransaction {
                id
                amount {
                  amount
                  currencyCode
                }
                expiresAt
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      }
    }
  }
`;

export interface StoreCreditTransactionNode {
  __typename: string;
  createdAt: string;
  id?: string;
  amount?: { amount: string; currencyCode: string };
  expiresAt?: string | null;
}

export interface StoreCreditCreditsAnswer {
  customer: {
    id: string;
    storeCreditAccounts: {
      nodes: Array<{
        id: string;
        transactions: { nodes: StoreCreditTransactionNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }>;
    };
  } | null;
}

export interface StoreCreditAccountCreditAnswer {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: {
      id: string;
      amount: { amount: string; currencyCode: string };
      expiresAt: string | null;
      createdAt: string;
    } | null;
  } | null;
}

/**
 * A customer's balance in the shop's currency and their credits' expiries, soonest first (2026-04:
 * `StoreCreditAccount.balance`, `transactions(sortKey: EXPIRES_AT)`, `remainingAmount`; scopes
 * read_store_credit_accounts and read_store_credit_account_transactions).
 */
export const STORE_CREDIT_BALANCE = gql`
  query KinshipStoreCreditBalance($customerId: ID!, $currencyQuery: String!) {
    customer(id: $customerId) {
      id
      storeCreditAccounts(first: 1, query: $currencyQuery) {
        nodes {
          id
          balance {
            amount
            currencyCode
          }
          transactions(first: 25, sortKey: EXPIRES_AT, query: "type:credit") {
            nodes {
              __typename
              ... on StoreCreditAccountCreditTransaction {
                expiresAt
                remainingAmount {
                  amount
                  currencyCode
                }
              }
            }
          }
        }
      }
    }
  }
`;

export interface StoreCreditBalanceAnswer {
  customer: {
    id: string;
    storeCreditAccounts: {
      nodes: Array<{
        id: string;
        balance: { amount: string; currencyCode: string };
        transactions: {
          nodes: Array<{ __typename: string; expiresAt?: string | null; remainingAmount?: { amount: string; currencyCode: string } }>;
        };
      }>;
    };
  } | null;
}
