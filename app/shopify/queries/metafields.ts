import { gql } from "graphql-request";

/** At most 25 metafields per call; the call is atomic (PLATFORM-NOTES §7). */
export const METAFIELDS_SET = gql`
  mutation KinshipMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
        value
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

/** Turns on Shopify's standard `facts.birth_date` customer definition (segments and Flow know it). */
export const STANDARD_METAFIELD_DEFINITION_ENABLE = gql`
  mutation KinshipStandardMetafieldDefinitionEnable($ownerType: MetafieldOwnerType!, $namespace: String!, $key: String!) {
    standardMetafieldDefinitionEnable(ownerType: $ownerType, namespace: $namespace, key: $key) {
      createdDefinition {
        id
        namespace
        key
        type {
          name
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Removes metafields by owner, namespace and key (2026-04; a missing one comes back as null, no error). */
export const METAFIELDS_DELETE = gql`
  mutation KinshipMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
        namespace
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface MetafieldsDeleteResult {
  metafieldsDelete: { deletedMetafields: Array<{ ownerId: string; namespace: string; key: string } | null> | null };
}

export interface MetafieldsSetResult {
  metafieldsSet: { metafields: { id: string; namespace: string; key: string; value: string }[] | null };
}

export interface StandardDefinitionEnableResult {
  standardMetafieldDefinitionEnable: {
    createdDefinition: { id: string; namespace: string; key: string; type: { name: string } } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  };
}
