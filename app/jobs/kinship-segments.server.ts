/**
 * Kinship's values as customer metafield definitions and Kinship's segments in Shopify (issue 21 items 3–4,
 * decision 025): one way to create, keep in step and remove each. The definitions are made on install (and
 * again before any segment is written, since a segment over a metafield needs its definition); the
 * segments only when the merchant asks on Settings, and from then on kept in step whenever what they are
 * defined from changes (the lifecycle threshold, tier names, the shop's CLV percentile).
 */
import { translate, type Locale, type MessageKey } from "../i18n";
import { knownTierNames } from "../models/rules.server";
import { getShopSettings, saveShopSettings } from "../models/shop-settings.server";
import { storedPredictedClvPercentile } from "../models/value-thresholds.server";
import {
  HIGH_VALUE_PERCENTILE,
  kinshipSegments,
  planSegments,
  type KinshipSegment,
  type StoredSegment,
} from "../retention/segments/kinship-segments";
import { KINSHIP_METAFIELD_DEFINITIONS, type KinshipMetafieldDefinition } from "../retention/segments/value-metafields";
import type { AdminClient } from "../shopify/admin-client.server";
import {
  createSegment,
  deleteSegment,
  ensureValueDefinitions,
  liveSegments,
  updateSegment,
  type DefinitionsResult,
  type DefinitionTexts,
} from "../shopify/value-segments.server";
import { TIER_KINDS } from "../retention/rewards/kinds";
import { shopLocaleOnce } from "./reward-issue.server";

type ValueKey = KinshipMetafieldDefinition["key"];

/** Each definition's name and description in `locale` (the shop's language: every staff member reads them). */
export function definitionTexts(locale: Locale): Record<ValueKey, DefinitionTexts> {
  return Object.fromEntries(
    KINSHIP_METAFIELD_DEFINITIONS.map(({ key }) => [
      key,
      {
        name: translate(locale, `segments.definition.${key}.name` as MessageKey),
        description: translate(locale, `segments.definition.${key}.description` as MessageKey),
      },
    ]),
  ) as Record<ValueKey, DefinitionTexts>;
}

/** Creates or updates the `kinship.*` customer definitions in the shop's language. */
export async function ensureKinshipDefinitions(client: AdminClient, locale?: Locale): Promise<DefinitionsResult> {
  return ensureValueDefinitions(client, definitionTexts(locale ?? (await shopLocaleOnce(client)())));
}

/** A segment's name in the shop's language; names are unique in a shop, so RFM cells and tiers say what they are. */
export function segmentName(locale: Locale, segment: KinshipSegment): string {
  const label = (() => {
    switch (segment.kind) {
      case "lifecycle":
        return translate(locale, `lifecycle.${segment.group}` as MessageKey);
      case "atRiskHighValue":
        return translate(locale, "segments.shopify.atRiskHighValue");
      case "tier":
        return translate(locale, "segments.shopify.tierName", { tier: segment.tier });
      case "rfm":
        return translate(locale, "segments.shopify.rfmName", {
          segment: translate(locale, `rfm.segment.${segment.segment}` as MessageKey),
        });
    }
  })();
  // Shopify caps a segment name at 255 characters (the longest part is a merchant's tier name).
  return translate(locale, "segments.shopify.segmentName", { label }).slice(0, 255);
}

export interface DesiredSegment {
  key: string;
  name: string;
  query: string;
  segment: KinshipSegment;
}

/** The segments the shop should have now: thresholds from its settings and scores, its tier names. */
export async function desiredSegments(shop: string, locale: Locale): Promise<DesiredSegment[]> {
  const [settings, clvHighValueThreshold, tierNames] = await Promise.all([
    getShopSettings(shop),
    storedPredictedClvPercentile(shop, HIGH_VALUE_PERCENTILE),
    knownTierNames(shop),
  ]);
  return kinshipSegments({ pAliveThreshold: settings.lifecycle.pAliveThreshold, clvHighValueThreshold, tierNames }).map((segment) => ({
    key: segment.key,
    name: segmentName(locale, segment),
    query: segment.query,
    segment,
  }));
}

export interface SegmentSyncResult {
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
  definitions: DefinitionsResult;
}

/**
 * Brings Kinship's segments in Shopify in line with `desiredSegments`: reads back the stored ones (one `nodes`
 * call), creates the missing ones (a segment the merchant deleted is created again), updates the changed ones
 * in place (a merchant's edit of a Kinship segment is put back), deletes the ones no longer offered (a removed
 * tier). Each id is saved as soon as Shopify gives it; a lost answer is found again by
 * name on the next run (createSegment takes over a segment of the same name).
 */
export async function syncKinshipSegments(
  shop: string,
  client: AdminClient,
  options: { locale?: Locale } = {},
): Promise<SegmentSyncResult> {
  const locale = options.locale ?? (await shopLocaleOnce(client)());
  const definitions = await ensureKinshipDefinitions(client, locale);
  if (definitions.conflicts.length) {
    const keys = definitions.conflicts.map((c) => `kinship.${c.key} (${c.type})`).join(", ");
    throw new DefinitionConflictError(keys);
  }
  const stored: Record<string, StoredSegment> = { ...(await getShopSettings(shop)).segments };
  // What Shopify has now: a segment the merchant deleted is created again, one they edited is put back.
  const live = await liveSegments(
    client,
    Object.values(stored).map((s) => s.id),
  );
  for (const [key, { id }] of Object.entries(stored)) {
    const current = live.get(id);
    if (current) stored[key] = { id, name: current.name, query: current.query };
    else delete stored[key];
  }
  const plan = planSegments(await desiredSegments(shop, locale), stored);
  const save = () => saveShopSettings(shop, { segments: stored });
  // Removed first: a renamed tier may take the name a removed one had.
  for (const { key, id } of plan.remove) {
    await deleteSegment(client, id);
    delete stored[key];
    await save();
  }
  let created = plan.create.length;
  for (const { key, id, name, query } of plan.update) {
    // Deleted since it was read: made again.
    if ((await updateSegment(client, id, name, query)) === "missing") {
      stored[key] = { id: await createSegment(client, name, query), name, query };
      created += 1;
    } else stored[key] = { id, name, query };
    await save();
  }
  for (const { key, name, query } of plan.create) {
    stored[key] = { id: await createSegment(client, name, query), name, query };
    await save();
  }
  return {
    created,
    updated: plan.update.length - (created - plan.create.length),
    removed: plan.remove.length,
    unchanged: plan.unchanged.length,
    definitions,
  };
}

/**
 * The Shopify id of one of Kinship's segments, or null when the merchant has not created it. Keys are the
 * campaign audience ids for lifecycle groups and RFM cells (`lifecycle:lapsed`, `rfm:champions`), so an audience
 * reward can name its segment in `context.customerSegments` (decision 021 still restricts by customer ids).
 */
export async function kinshipSegmentId(shop: string, key: string): Promise<string | null> {
  const segments = (await getShopSettings(shop)).segments;
  return Object.hasOwn(segments, key) ? segments[key].id : null;
}

/** Deletes every Kinship segment the shop has in Shopify (the definitions and values stay). */
export async function removeKinshipSegments(shop: string, client: AdminClient): Promise<{ removed: number }> {
  const stored: Record<string, StoredSegment> = { ...(await getShopSettings(shop)).segments };
  let removed = 0;
  for (const [key, { id }] of Object.entries(stored)) {
    await deleteSegment(client, id);
    delete stored[key];
    removed += 1;
    await saveShopSettings(shop, { segments: stored });
  }
  return { removed };
}

/**
 * After something a segment is defined from has changed: updates the shop's segments if the merchant has
 * created them, and never fails the caller (the next change or the nightly run tries again).
 */
export async function keepKinshipSegmentsInStep(shop: string, client: AdminClient | (() => Promise<AdminClient>)): Promise<void> {
  try {
    if (!Object.keys((await getShopSettings(shop)).segments).length) return;
    await syncKinshipSegments(shop, typeof client === "function" ? await client() : client);
  } catch (error) {
    console.error("Kinship segments not updated; the next change or night tries again", shop, error);
  }
}

/**
 * After a rule was saved or deleted: a tier programme's names are what the tier segments are defined from.
 * `client` is asked for only then (routes pass adminClientForShop; importing it here would close a cycle
 * through shopify.server and on-install).
 */
export async function afterRuleChange(shop: string, kind: string | null | undefined, client: () => Promise<AdminClient>): Promise<void> {
  if (kind && (TIER_KINDS as readonly string[]).includes(kind)) await keepKinshipSegmentsInStep(shop, client);
}

/** Someone defined a `kinship.*` key with another type: Kinship cannot write it, so it builds no segment on it. */
export class DefinitionConflictError extends Error {
  constructor(readonly keys: string) {
    super(`Customer metafield definitions with another type exist: ${keys}`);
    this.name = "DefinitionConflictError";
  }
}
