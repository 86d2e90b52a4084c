import { saveLocalBirthday } from "../models/customers.server";
import { isLocalDate } from "../retention/rewards";
import type { AdminClient } from "../shopify/admin-client.server";
import { setBirthdayMetafield } from "../shopify/customer-metafields.server";

export class InvalidBirthdayError extends Error {
  constructor(value: string) {
    super(`Not a birthday: ${value} (expected a past date as YYYY-MM-DD)`);
    this.name = "InvalidBirthdayError";
  }
}

/**
 * Writes a birthday Kinship collected (survey, CSV) to the customer's `facts.birth_date` and keeps
 * the local copy in step, so the next issuance run sees it without waiting for a sync.
 */
export async function saveCustomerBirthday(
  shop: string,
  customerId: string,
  birthDate: string,
  client: AdminClient,
  now: Date = new Date(),
): Promise<{ birthDate: string }> {
  if (client.shop !== shop) throw new Error(`Admin client is for ${client.shop}, not ${shop}`);
  const value = birthDate.trim();
  // Shopify's `date` type needs a full date; a birthday can't be in the future or implausibly old.
  if (!isLocalDate(value) || value > now.toISOString().slice(0, 10) || value < "1900-01-01") {
    throw new InvalidBirthdayError(birthDate);
  }
  await setBirthdayMetafield(client, customerId, value);
  await saveLocalBirthday(shop, customerId, value);
  return { birthDate: value };
}
