/**
 * Kinship's values as customer metafields (issue 21, app/retention/segments/value-metafields.ts): the inputs
 * Shopify takes, written directly for a few customers; large write-backs send the same inputs as a bulk
 * mutation (app/jobs/write-back-tags.server.ts).
 */
import { VALUE_METAFIELD_NAMESPACE, type ValueMetafieldChanges } from "../retention/segments/value-metafields";
import type { AdminClient } from "./admin-client.server";
import { METAFIELDS_DELETE } from "./queries/metafields";
import { METAFIELDS_SET, type MetafieldsSetResult } from "./queries/metafields";

export interface ValueMetafieldInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export function valueMetafieldInputs(customerId: string, set: ValueMetafieldChanges["set"]): ValueMetafieldInput[] {
  return set.map(({ key, type, value }) => ({ ownerId: customerId, namespace: VALUE_METAFIELD_NAMESPACE, key, type, value }));
}

/** Writes one customer's changed values (metafieldsSet) and deletes the ones that went away (metafieldsDelete). */
export async function writeValueMetafields(client: AdminClient, customerId: string, changes: ValueMetafieldChanges): Promise<void> {
  if (changes.set.length) {
    await client.mutate<MetafieldsSetResult>(
      METAFIELDS_SET,
      { metafields: valueMetafieldInputs(customerId, changes.set) },
      "metafieldsSet",
    );
  }
  if (changes.remove.length) {
    await client.mutate(
      METAFIELDS_DELETE,
      { metafields: changes.remove.map((key) => ({ ownerId: customerId, namespace: VALUE_METAFIELD_NAMESPACE, key })) },
      "metafieldsDelete",
    );
  }
}
