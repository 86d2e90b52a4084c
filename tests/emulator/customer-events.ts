import { customerPayload, customerTagsPayload, emailConsentPayload, smsConsentPayload } from "./rest-payloads";
import type { ShopState } from "./shop";
import type { CustomerRecord } from "./store/records";

export interface CustomerEvent {
  topic: string;
  payload: unknown;
}

const lower = (tags: string[]) => new Set(tags.map((t) => t.toLowerCase()));

/**
 * The webhooks Shopify sends when a customer changes, at 2026-04: customers/update for the record (no
 * tags, no consent), plus customer.tags_added / customer.tags_removed with only the tags that changed,
 * and the consent topics when a consent changed.
 */
export function customerChangeEvents(shop: ShopState, before: CustomerRecord, after: CustomerRecord, at: number): CustomerEvent[] {
  const events: CustomerEvent[] = [{ topic: "customers/update", payload: customerPayload(shop, after) }];
  const had = lower(before.tags);
  const has = lower(after.tags);
  const added = after.tags.filter((t) => !had.has(t.toLowerCase()));
  const removed = before.tags.filter((t) => !has.has(t.toLowerCase()));
  if (added.length) events.push({ topic: "customer.tags_added", payload: customerTagsPayload(after, added, at) });
  if (removed.length) events.push({ topic: "customer.tags_removed", payload: customerTagsPayload(after, removed, at) });
  const consentMoved = before.marketingUpdatedAt !== after.marketingUpdatedAt || before.marketingOptInLevel !== after.marketingOptInLevel;
  if (before.marketingState !== after.marketingState || consentMoved) {
    events.push({ topic: "customers_email_marketing_consent/update", payload: emailConsentPayload(shop, after) });
  }
  if (before.phone !== after.phone) events.push({ topic: "customers_marketing_consent/update", payload: smsConsentPayload(shop, after) });
  return events;
}
