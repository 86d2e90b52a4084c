import { gql } from "graphql-request";

/** Fires the app's Flow trigger (extensions/kinship-flow-trigger); the payload must match its fields. */
export const FLOW_TRIGGER_RECEIVE = gql`
  mutation KinshipFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
