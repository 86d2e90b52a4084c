import { gql } from "graphql-request";

/** The shop's definitions in Kinship's namespace (at most five, so one page). */
export const VALUE_DEFINITIONS_QUERY = gql`
  query KinshipValueDefinitions($namespace: String!) {
    metafieldDefinitions(ownerType: CUSTOMER, namespace: $namespace, first: 50) {
      nodes {
        id
        namespace
        key
        name
        description
        type {
          name
        }
        validations {
          name
          value
        }
        capabilities {
          analyticsQueryable {
            enabled
          }
        }
      }
    }
  }
`;

export const METAFIELD_DEFINITION_CREATE = gql`
  mutation KinshipMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const METAFIELD_DEFINITION_UPDATE = gql`
  mutation KinshipMetafieldDefinitionUpdate($definition: MetafieldDefinitionUpdateInput!) {
    metafieldDefinitionUpdate(definition: $definition) {
      updatedDefinition {
        id
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const SEGMENT_CREATE = gql`
  mutation KinshipSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SEGMENT_UPDATE = gql`
  mutation KinshipSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment {
        id
        name
        query
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SEGMENT_DELETE = gql`
  mutation KinshipSegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors {
        field
        message
      }
    }
  }
`;

/** A segment found by its exact name (segments' search syntax: `name:'…'`). */
export const SEGMENTS_BY_NAME_QUERY = gql`
  query KinshipSegmentsByName($query: String!) {
    segments(first: 10, query: $query) {
      nodes {
        id
        name
        query
      }
    }
  }
`;

/** Kinship's stored segments as Shopify has them now (a deleted one comes back null). */
export const SEGMENT_NODES_QUERY = gql`
  query KinshipSegmentNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Segment {
        id
        name
        query
      }
    }
  }
`;

export interface ValueDefinitionNode {
  id: string;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  type: { name: string };
  validations: { name: string; value: string | null }[];
  capabilities: { analyticsQueryable: { enabled: boolean } };
}

export interface SegmentNode {
  id: string;
  name: string;
  query: string;
}
