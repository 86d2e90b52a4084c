/**
 * Customer metafields Kinship writes: the latest reward (namespace `kinship`, readable by the
 * merchant's Flow / Shopify Email templates and the storefront) and birthdays collected by Kinship,
 * written back to Shopify's standard `facts.birth_date`.
 */
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import {
  METAFIELDS_SET,
  STANDARD_METAFIELD_DEFINITION_ENABLE,
  METAFIELDS_DELETE,
  type MetafieldsDeleteResult,
  type MetafieldsSetResult,
  type StandardDefinitionEnableResult,
} from "./queries/metafields";
import { REWARD_METAFIELDS, VALUE_METAFIELD_NAMESPACE, type RewardMetafieldDefinition } from "../retention/segments/value-metafields";

/** The namespace and keys of the customer definitions ensureValueDefinitions creates (REWARD_METAFIELDS). */
export const REWARD_METAFIELD_NAMESPACE = VALUE_METAFIELD_NAMESPACE;
export const REWARD_METAFIELD_KEYS = {
  code: "reward_code",
  expiresAt: "reward_expires_at",
  offer: "reward_offer",
  reason: "reward_reason",
} as const satisfies Record<string, RewardMetafieldDefinition["key"]>;

/** Each reward metafield's type, as its definition declares it. */
const rewardType = (key: RewardMetafieldDefinition["key"]) => REWARD_METAFIELDS.find((d) => d.key === key)!.type;

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
  const field = (key: RewardMetafieldDefinition["key"], value: string) => ({
    ownerId: customerId,
    namespace: REWARD_METAFIELD_NAMESPACE,
    key,
    type: rewardType(key),
    value,
  });
  return [
    field(REWARD_METAFIELD_KEYS.code, reward.code),
    field(REWARD_METAFIELD_KEYS.expiresAt, new Date(reward.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z")),
    field(REWARD_METAFIELD_KEYS.offer, reward.offer),
    field(REWARD_METAFIELD_KEYS.reason, reward.reason),
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

/** metafieldsSet takes at most 25 metafields per call (Shopify's documented limit). */
export const METAFIELDS_PER_CALL = 25;

export interface BirthdayMetafieldWrite {
  customerId: string;
  /** YYYY-MM-DD */
  birthDate: string;
}

/**
 * Writes birthdays to the customers' standard `facts.birth_date` metafields, 25 per call (each call
 * paced by the admin client's throttle handling). A call is atomic, so a customer Shopify refuses
 * (deleted since) is set aside and the rest of its batch is sent again.
 */
export async function setBirthdayMetafields(
  client: AdminClient,
  writes: readonly BirthdayMetafieldWrite[],
): Promise<{ written: number; refused: { customerId: string; message: string }[] }> {
  let written = 0;
  const refused: { customerId: string; message: string }[] = [];
  for (let i = 0; i < writes.length; i += METAFIELDS_PER_CALL) {
    let batch = writes.slice(i, i + METAFIELDS_PER_CALL);
    while (batch.length) {
      try {
        await client.mutate<MetafieldsSetResult>(
          METAFIELDS_SET,
          {
            metafields: batch.map((w) => ({
              ownerId: w.customerId,
              namespace: "facts",
              key: "birth_date",
              type: "date",
              value: w.birthDate,
            })),
          },
          "metafieldsSet",
        );
        written += batch.length;
        break;
      } catch (error) {
        const indexes =
          error instanceof ShopifyUserErrors
            ? new Set(error.userErrors.map((e) => e.elementIndex).filter((n): n is number => typeof n === "number"))
            : new Set<number>();
        // An error not tied to one entry would fail again: let the caller see it.
        if (!indexes.size) throw error;
        const errors = (error as ShopifyUserErrors).userErrors;
        for (const index of indexes)
          refused.push({
            customerId: batch[index].customerId,
            message: errors.find((e) => e.elementIndex === index)?.message ?? "refused",
          });
        batch = batch.filter((_, index) => !indexes.has(index));
      }
    }
  }
  return { written, refused };
}

/** Removes a customer's `facts.birth_date` (the customer took their birthday back); true when one was there. */
export async function deleteBirthdayMetafield(client: AdminClient, customerId: string): Promise<boolean> {
  const data = await client.mutate<MetafieldsDeleteResult>(
    METAFIELDS_DELETE,
    { metafields: [{ ownerId: customerId, namespace: "facts", key: "birth_date" }] },
    "metafieldsDelete",
  );
  return (data.metafieldsDelete.deletedMetafields ?? []).some((m) => m !== null);
}
