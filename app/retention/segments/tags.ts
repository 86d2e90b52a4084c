/**
 * Kinship writes its groups back to Shopify as customer tags so Shopify Email and Flow can target
 * them. Only tags with Kinship's own prefix are ever added or removed; the merchant's tags are not
 * ours to touch.
 */
export const KINSHIP_TAG_PREFIX = "kinship:";

export function isKinshipTag(tag: string): boolean {
  return tag.trim().toLowerCase().startsWith(KINSHIP_TAG_PREFIX);
}

function slug(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** The tags a customer should carry: their lifecycle group and, when they have one, their tier. */
export function desiredKinshipTags(customer: { lifecycle: string | null; tier: string | null }): string[] {
  const tags: string[] = [];
  if (customer.lifecycle) tags.push(`${KINSHIP_TAG_PREFIX}${slug(customer.lifecycle)}`);
  if (customer.tier) tags.push(`${KINSHIP_TAG_PREFIX}tier-${slug(customer.tier)}`);
  return tags;
}

export interface TagChanges {
  add: string[];
  remove: string[];
}

/** What to add and remove so the customer's Kinship tags equal `desired`; other tags are ignored. */
export function kinshipTagChanges(currentTags: readonly string[], desired: readonly string[]): TagChanges {
  const current = new Set(currentTags.map((t) => t.trim()).filter(isKinshipTag));
  const wanted = new Set(desired.filter(isKinshipTag));
  return {
    add: [...wanted].filter((t) => !current.has(t)),
    remove: [...current].filter((t) => !wanted.has(t)),
  };
}

export function parseTagList(tags: string): string[] {
  return tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}
