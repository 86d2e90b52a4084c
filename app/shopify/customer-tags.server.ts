import type { LifecycleGroup } from "../retention/segments/lifecycle";
import { KINSHIP_TAG_PREFIX } from "../retention/segments/tags";
import type { AdminClient } from "./admin-client.server";
import { SEGMENT_CREATE, TAGS_ADD, TAGS_REMOVE } from "./queries/tags";

/** Adds, then removes, tags on one customer in Shopify (at most two small mutations). */
export async function changeCustomerTags(client: AdminClient, customerId: string, changes: { add: string[]; remove: string[] }) {
  if (changes.add.length) await client.mutate(TAGS_ADD, { id: customerId, tags: changes.add }, "tagsAdd");
  if (changes.remove.length) await client.mutate(TAGS_REMOVE, { id: customerId, tags: changes.remove }, "tagsRemove");
}

/** Creates a customer segment; its id, or null when Shopify returned none. */
export async function createCustomerSegment(client: AdminClient, name: string, query: string): Promise<string | null> {
  const data = await client.mutate<{ segmentCreate: { segment: { id: string } | null } }>(SEGMENT_CREATE, { name, query }, "segmentCreate");
  return data.segmentCreate.segment?.id ?? null;
}

/** Shopify segment query (segment query language) selecting one lifecycle group by its `kinship:` tag. */
export function lifecycleSegmentQuery(group: LifecycleGroup): string {
  return `customer_tags CONTAINS '${KINSHIP_TAG_PREFIX}${group}'`;
}
