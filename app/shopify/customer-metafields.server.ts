/**
 * Customer metafields Kinship writes: the latest reward (namespace `kinship`, readable by the
 * merchant's Flow / Shopify Email templates and the storefront) and birthdays collected by Kinship,
 * written back to Shopify's standard `facts.birth_date`.
 */
import db from "../db.server";
import { isLocalDate } from "../retention/rewards";
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import {
  METAFIELDS_SET,
  STANDARD_METAFIELD_DEFINITION_ENABLE,
  type MetafieldsSetResult,
  type StandardDefinitionEnableResult,
} from "./queries/metafields";

export const REWARD_METAFIELD_NAMESPACE = "kinship";
export const REWARD_METAFIELD_KEYS = {
  code: "reward_code",
  expiresAt: "reward_expires_at",
  offer: "reward_offer",
  reason: "reward_reason",
} as const;

export interface RewardMetafields {
  code: string;
  /** ISO instant the code stops working. */
  expiresAt: string;
  /** e.g. "15% off". */
  offer: string;
  reason: string;
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export function rewardMetafieldInputs(customerId: string, reward: RewardMetafields): MetafieldsSetInput[] {
  const field = (key: string, type: string, value: string) => ({
    ownerId: customerId,
    namespace: REWARD_METAFIELD_NAMESPACE,
    key,
    type,
    value,
  });
  return [
    field(REWARD_METAFIELD_KEYS.code, "single_line_text_field", reward.code),
    field(REWARD_METAFIELD_KEYS.expiresAt, "date_time", new Date(reward.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z")),
    field(REWARD_METAFIELD_KEYS.offer, "single_line_text_field", reward.offer),
    field(REWARD_METAFIELD_KEYS.reason, "single_line_text_field", reward.reason),
  ];
}

export async function writeRewardMetafields(client: AdminClient, customerId: string, reward: RewardMetafields): Promise<void> {
  await client.mutate<MetafieldsSetResult>(METAFIELDS_SET, { metafields: rewardMetafieldInputs(customerId, reward) }, "metafieldsSet");
}

/**
 * Enables the standard `facts.birth_date` definition. Idempotent: "already enabled" (TAKEN) counts
 * as success, so it can run on every install.
 */
export async function enableBirthdayDefinition(client: AdminClient): Promise<{ enabled: true; created: boolean }> {
  const data = await client.request<StandardDefinitionEnableResult>(STANDARD_METAFIELD_DEFINITION_ENABLE, {
    ownerType: "CUSTOMER",
    namespace: "facts",
    key: "birth_date",
  });
  const payload = data.standardMetafieldDefinitionEnable;
  const errors = payload.userErrors.filter((e) => e.code !== "TAKEN" && e.code !== "UNSTRUCTURED_ALREADY_EXISTS");
  if (errors.length) throw new ShopifyUserErrors("standardMetafieldDefinitionEnable", errors);
  return { enabled: true, created: payload.createdDefinition !== null };
}

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
  await client.mutate<MetafieldsSetResult>(
    METAFIELDS_SET,
    { metafields: [{ ownerId: customerId, namespace: "facts", key: "birth_date", type: "date", value }] },
    "metafieldsSet",
  );
  await db.customer.updateMany({ where: { shop, shopifyId: customerId }, data: { birthday: value } });
  return { birthDate: value };
}
