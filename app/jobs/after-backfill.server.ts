import type { AdminClient } from "../shopify/admin-client.server";
import { writeBackTags } from "./write-back-tags.server";
import { recomputeShop } from "./recompute.server";

/** Once the shop's history is in: score every customer, then write groups back as tags. */
export async function afterBackfill(shop: string, client: AdminClient) {
  const { scored } = await recomputeShop(shop);
  const tags = await writeBackTags(shop, client);
  return { scored, tags };
}
