import db from "../db.server";
import {
  desiredKinshipTags,
  kinshipTagChanges,
  KINSHIP_TAG_PREFIX,
  parseTagList,
} from "../retention/segments/tags";
import type { AdminClient } from "./admin-client.server";
import { SEGMENT_CREATE, TAGS_ADD, TAGS_REMOVE } from "./queries/tags";

export interface WriteBackResult {
  customersChanged: number;
  tagsAdded: number;
  tagsRemoved: number;
  failures: Array<{ customer: string; error: string }>;
}

/**
 * Brings every customer's `kinship:` tags in Shopify in line with their current group and tier.
 * Only customers whose tags differ are written (two small mutations at most per customer); the
 * admin client waits out Shopify's throttle. The stored tag list is updated after each success, so
 * an interrupted run resumes where it stopped.
 */
export async function writeBackTags(
  shop: string,
  client: AdminClient,
  { pageSize = 1_000, only }: { pageSize?: number; only?: string[] } = {},
): Promise<WriteBackResult> {
  const result: WriteBackResult = { customersChanged: 0, tagsAdded: 0, tagsRemoved: 0, failures: [] };
  let cursor: string | undefined;
  for (;;) {
    const page = await db.customer.findMany({
      where: { shop, redactedAt: null, ...(only ? { shopifyId: { in: only } } : {}) },
      select: { id: true, shopifyId: true, tags: true, lifecycle: true, tier: true },
      orderBy: { id: "asc" },
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!page.length) break;
    cursor = page[page.length - 1].id;
    for (const customer of page) {
      const current = parseTagList(customer.tags);
      const changes = kinshipTagChanges(current, desiredKinshipTags(customer));
      if (!changes.add.length && !changes.remove.length) continue;
      try {
        if (changes.add.length) await client.mutate(TAGS_ADD, { id: customer.shopifyId, tags: changes.add }, "tagsAdd");
        if (changes.remove.length) await client.mutate(TAGS_REMOVE, { id: customer.shopifyId, tags: changes.remove }, "tagsRemove");
      } catch (error) {
        result.failures.push({ customer: customer.shopifyId, error: (error as Error).message });
        continue;
      }
      const next = [...current.filter((t) => !changes.remove.includes(t)), ...changes.add];
      await db.customer.updateMany({ where: { shop, id: customer.id }, data: { tags: next.join(", ") } });
      result.customersChanged += 1;
      result.tagsAdded += changes.add.length;
      result.tagsRemoved += changes.remove.length;
    }
  }
  return result;
}

export const LIFECYCLE_SEGMENTS = ["new", "loyal", "regular", "lapsed"] as const;

/** Shopify segment query (segment query language) selecting one lifecycle group by its `kinship:` tag. */
export function lifecycleSegmentQuery(group: (typeof LIFECYCLE_SEGMENTS)[number]): string {
  return `customer_tags CONTAINS '${KINSHIP_TAG_PREFIX}${group}'`;
}

/**
 * Optionally creates one Shopify customer segment per lifecycle group over the tags, once per shop;
 * the created ids are kept in the shop's settings.
 */
export async function ensureLifecycleSegments(shop: string, client: AdminClient, names: Record<string, string>) {
  const row = await db.shop.findUniqueOrThrow({ where: { shop } });
  const settings = JSON.parse(row.settings || "{}") as { segments?: Record<string, string> };
  const segments = { ...settings.segments };
  for (const group of LIFECYCLE_SEGMENTS) {
    if (segments[group]) continue;
    const data = await client.mutate<{ segmentCreate: { segment: { id: string } | null } }>(
      SEGMENT_CREATE,
      { name: names[group] ?? `Kinship: ${group}`, query: lifecycleSegmentQuery(group) },
      "segmentCreate",
    );
    if (data.segmentCreate.segment) segments[group] = data.segmentCreate.segment.id;
  }
  await db.shop.updateMany({ where: { shop }, data: { settings: JSON.stringify({ ...settings, segments }) } });
  return segments;
}

