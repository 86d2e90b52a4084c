import type { AdminClient } from "../shopify/admin-client.server";
import { writeBackTags } from "./write-back-tags.server";
import { recomputeShop } from "./recompute.server";

/**
 * Once the shop's history is in: score every customer, then write groups and values back (tags and value
 * metafields). This first write-back touches every customer, so it goes as bulk mutations (decision 024).
 */
export async function afterBackfill(shop: string, client: AdminClient) {
  const { scored } = await recomputeShop(shop);
  const tags = await writeBackTags(shop, client, { mode: "bulk" });
  return { scored, tags };
}
