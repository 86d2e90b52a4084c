import { markInstalled, saveShopDetails } from "../models/shop.server";
import { createAdminClient } from "../shopify/admin-client.server";
import { enableBirthdayDefinition } from "../shopify/customer-metafields.server";
import { fetchShopDetails } from "../shopify/shop-info.server";
import { startBackfill } from "./backfill.server";
import { ensureKinshipDefinitions, keepKinshipSegmentsInStep } from "./kinship-segments.server";

/** Reads the shop's name, currency and time zone from Shopify and stores them. */
export async function refreshShopInfo(session: { shop: string; accessToken: string }) {
  return saveShopDetails(session.shop, await fetchShopDetails(createAdminClient(session)));
}

/**
 * Runs after token exchange stored the offline session (first install or re-install): read the
 * shop's currency and time zone, and start the backfill if its history was never imported. Failures
 * are logged, not thrown: the merchant still gets the app, and Settings offers the backfill again.
 */
export async function onInstall(session: { shop: string; accessToken?: string }) {
  try {
    const { needsBackfill } = await markInstalled(session.shop);
    if (!session.accessToken) return;
    const auth = { shop: session.shop, accessToken: session.accessToken };
    await refreshShopInfo(auth);
    const client = createAdminClient(auth);
    if (needsBackfill) await startBackfill(session.shop, client);
    // Birthdays live in Shopify's standard customer metafield facts.birth_date.
    await enableBirthdayDefinition(client);
    // Kinship's values as typed customer metafields (kinship.*) that segments, Flow and reports can use (decision 025);
    // a reinstall finds the segments the merchant created before and brings them up to date.
    await ensureKinshipDefinitions(client);
    await keepKinshipSegmentsInStep(session.shop, client);
  } catch (error) {
    console.error(`Install steps for ${session.shop} failed`, error);
  }
}
