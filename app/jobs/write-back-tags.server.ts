import { recordTagChanges, taggableCustomerPages } from "../models/customer-tags.server";
import { desiredKinshipTags, kinshipTagChanges, parseTagList } from "../retention/segments/tags";
import type { AdminClient } from "../shopify/admin-client.server";
import { changeCustomerTags } from "../shopify/customer-tags.server";

export interface WriteBackResult {
  customersChanged: number;
  tagsAdded: number;
  tagsRemoved: number;
  failures: Array<{ customer: string; error: string }>;
}

/**
 * Brings every customer's `kinship:` tags in Shopify in line with their current group and tier.
 * Only customers whose tags differ are written (two small mutations at most per customer); the
 * admin client waits out Shopify's throttle. The stored tag list is updated after each success, so
 * an interrupted run resumes where it stopped.
 */
export async function writeBackTags(
  shop: string,
  client: AdminClient,
  options: { pageSize?: number; only?: string[] } = {},
): Promise<WriteBackResult> {
  const result: WriteBackResult = { customersChanged: 0, tagsAdded: 0, tagsRemoved: 0, failures: [] };
  for await (const page of taggableCustomerPages(shop, options)) {
    for (const customer of page) {
      const current = parseTagList(customer.tags);
      const changes = kinshipTagChanges(current, desiredKinshipTags(customer));
      if (!changes.add.length && !changes.remove.length) continue;
      try {
        await changeCustomerTags(client, customer.shopifyId, changes);
      } catch (error) {
        result.failures.push({ customer: customer.shopifyId, error: (error as Error).message });
        continue;
      }
      await recordTagChanges(shop, customer.shopifyId, changes);
      result.customersChanged += 1;
      result.tagsAdded += changes.add.length;
      result.tagsRemoved += changes.remove.length;
    }
  }
  return result;
}
