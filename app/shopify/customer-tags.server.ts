import type { AdminClient } from "./admin-client.server";
import { TAGS_ADD, TAGS_REMOVE } from "./queries/tags";

/** Adds, then removes, tags on one customer in Shopify (at most two small mutations). */
export async function changeCustomerTags(client: AdminClient, customerId: string, changes: { add: string[]; remove: string[] }) {
  if (changes.add.length) await client.mutate(TAGS_ADD, { id: customerId, tags: changes.add }, "tagsAdd");
  if (changes.remove.length) await client.mutate(TAGS_REMOVE, { id: customerId, tags: changes.remove }, "tagsRemove");
}
