import { gql } from "graphql-request";

/** Staged upload target for a bulk mutation's variables file (https://shopify.dev/docs/api/usage/bulk-operations/imports). */
export const STAGED_UPLOADS_CREATE = gql`
  mutation KinshipStagedUploadsCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const BULK_MUTATION_RUN = gql`
  mutation KinshipBulkMutationRun($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
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

/** The app's bulk mutations created since a moment, oldest first: finds an operation whose id was never saved. */
export const BULK_MUTATIONS_SINCE = gql`
  query KinshipBulkMutationsSince($query: String!) {
    bulkOperations(first: 50, query: $query, sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        status
        createdAt
        query
      }
    }
  }
`;

export interface StagedUploadsCreateResult {
  stagedUploadsCreate: {
    stagedTargets: Array<{ url: string; parameters: Array<{ name: string; value: string }> }> | null;
    userErrors: Array<{ field: string[] | null; message: string }>;
  };
}

export interface BulkMutationRunResult {
  bulkOperationRunMutation: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
}

export interface BulkMutationsSinceResult {
  bulkOperations: { nodes: Array<{ id: string; status: string; createdAt: string; query: string }> };
}
