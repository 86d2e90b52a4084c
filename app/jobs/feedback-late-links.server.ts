/**
 * Late links: a guest answered before Kinship had synced the order. When the order arrives and names
 * its customer, the sync links the answer (in its transaction, `linkGuestFeedback`); this finishes
 * what the answer would have done had the customer been known: the birthday given with consent goes
 * through the one birthday writer (local row, then Shopify's facts.birth_date) with its consent
 * record, and the thank-you reward is decided and issued exactly as after a logged-in answer (its
 * ledger key makes a repeat issue nothing).
 */
import { clearGuestBirthday, getLateLinkInput } from "../models/feedback.server";
import { recordConsents } from "../models/consent-records.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { adminClientForShop } from "./admin-for-shop.server";
import { saveCustomerBirthday } from "./birthdays.server";
import { thankYouReward, type ThankYouCode } from "./feedback-rewards.server";

export interface LateLinkDeps {
  client: () => Promise<AdminClient>;
  now: Date;
  thankYouReward?: typeof thankYouReward;
}

export interface LateLinkResult {
  birthday: boolean;
  reward: ThankYouCode | null;
}

export async function finishLateLink(shop: string, feedbackId: string, deps: LateLinkDeps): Promise<LateLinkResult | null> {
  const input = await getLateLinkInput(shop, feedbackId);
  if (!input) return null;
  const customerId = input.customerShopifyId;
  let birthday = false;
  if (input.guest) {
    const guest = input.guest;
    await saveCustomerBirthday(shop, customerId, guest.birthday, deps.client, { now: deps.now });
    await recordConsents(shop, [
      {
        customerShopifyId: customerId,
        purpose: "birthday",
        granted: true,
        source: "checkoutSurvey",
        textVersion: guest.consentTextVersion,
        givenAt: guest.consentAt,
      },
    ]);
    await clearGuestBirthday(shop, feedbackId);
    birthday = true;
  }
  const reward = await (deps.thankYouReward ?? thankYouReward)(shop, { feedbackId, customerShopifyId: customerId, now: deps.now });
  return { birthday, reward };
}

/** After the sync's commit: Shopify's part of the late links, off the webhook's answer path. */
export function lateLinkClient(shop: string): () => Promise<AdminClient> {
  return () => adminClientForShop(shop);
}
