import { unauthenticated } from "../shopify.server";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "../shopify/admin-client.server";

/**
 * An Admin API client for background work (sync, scheduler) from the shop's offline session.
 * The library loads the session and refreshes an expiring offline token when it is close to expiry.
 */
export async function adminClientForShop(shop: string, options?: AdminClientOptions): Promise<AdminClient> {
  const { session } = await unauthenticated.admin(shop);
  if (!session.accessToken) throw new Error(`No offline access token stored for ${shop}`);
  return createAdminClient({ shop, accessToken: session.accessToken }, options);
}
