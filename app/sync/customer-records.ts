import type { CustomerNode } from "../shopify/queries/customers";
import type { CustomerRecord } from "./records";

/** A customer read from `customers(...)` (the nightly refresh) in Kinship's shape, as the backfill's lines are. */
export function customerFromNode(node: CustomerNode): CustomerRecord {
  return {
    shopifyId: node.id,
    email: node.defaultEmailAddress?.emailAddress ?? null,
    firstName: node.firstName ?? null,
    lastName: node.lastName ?? null,
    marketingState: node.defaultEmailAddress?.marketingState ?? null,
    birthday: node.birthDate?.value ?? null,
    birthdayChangedAt: node.birthDate?.updatedAt ? new Date(node.birthDate.updatedAt) : null,
    tags: node.tags ?? [],
    shopifyRfmGroup: node.statistics?.rfmGroup ?? null,
    shopifyUpdatedAt: new Date(node.updatedAt),
  };
}
