/**
 * Kinship's customer segments in Shopify (issue 21 item 4): which segments exist and the query of each,
 * written in Shopify's segment query language over Kinship's value metafields (value-metafields.ts).
 * Pure: the job supplies the shop's thresholds and tier names, and translates the names.
 *
 * Each segment has a stable key (`lifecycle:lapsed`, `tier:2`, `rfm:champions`, `value:at_risk_high_value`)
 * under which its Shopify id is kept, so a changed threshold or a renamed tier updates the same segment
 * (segmentUpdate) instead of leaving the old one behind. Tiers are keyed by their position in the shop's
 * tier list, not by name, for that reason.
 */
import { LIFECYCLE_GROUPS, type LifecycleGroup } from "./lifecycle";
import type { RfmSegment } from "./rfm";
import { VALUE_METAFIELD_NAMESPACE, type ValueMetafieldDefinition } from "./value-metafields";

type ValueKey = ValueMetafieldDefinition["key"];

/**
 * RFM cells a merchant acts on. `new` and `promising` are left out: the lifecycle group New holds the same
 * first-time buyers, so a second segment would only duplicate it.
 */
export const RFM_TARGET_SEGMENTS = [
  "champions",
  "loyal",
  "potential_loyalist",
  "need_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
] as const satisfies readonly RfmSegment[];

/** "At-risk high value": predicted CLV at or above this share of the shop's customers (the 80th percentile). */
export const HIGH_VALUE_PERCENTILE = 0.8;

/** A segment's key: what it is, never a name the merchant typed. */
export const SEGMENT_KEY_PATTERN = /^(lifecycle|value|tier|rfm):[a-z0-9_]{1,40}$/;

export type KinshipSegment =
  | { key: `lifecycle:${LifecycleGroup}`; kind: "lifecycle"; group: LifecycleGroup; query: string }
  | { key: "value:at_risk_high_value"; kind: "atRiskHighValue"; pAliveBelow: number; clvAtLeast: number; query: string }
  | { key: `tier:${number}`; kind: "tier"; tier: string; query: string }
  | { key: `rfm:${RfmSegment}`; kind: "rfm"; segment: RfmSegment; query: string };

export interface KinshipSegmentInput {
  /** The lifecycle threshold: below it a repeat buyer is Lapsed (LifecycleSettings.pAliveThreshold). */
  pAliveThreshold: number;
  /** The shop's 80th percentile of predicted CLV; null before the first scoring (no value segment yet). */
  clvHighValueThreshold: number | null;
  /** The shop's tier names, in program order. */
  tierNames: readonly string[];
}

/** `metafields.kinship.<key>`: how a customer metafield with a definition is named in a segment query. */
export function metafieldFilter(key: ValueKey): string {
  return `metafields.${VALUE_METAFIELD_NAMESPACE}.${key}`;
}

/** A string literal of the segment query language: single quotes, with `\` and `'` escaped. */
export function queryString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A number literal: plain decimal notation (never `1e-7`), at most `places` decimals, no trailing zeros. */
export function queryNumber(value: number, places: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  return value
    .toFixed(places)
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "");
}

export const textEquals = (key: ValueKey, value: string) => `${metafieldFilter(key)} = ${queryString(value)}`;
export const numberBelow = (key: ValueKey, value: number, places: number) => `${metafieldFilter(key)} < ${queryNumber(value, places)}`;
export const numberAtLeast = (key: ValueKey, value: number, places: number) => `${metafieldFilter(key)} >= ${queryNumber(value, places)}`;

/**
 * The CLV bound of "at-risk high value", rounded down to three significant digits: the percentile moves a
 * little with every nightly scoring, and a segment whose query changes each night would be rewritten each
 * night for nothing (1234.56 → 1230, 87.4 → 87.4, 0.1234 → 0.123).
 */
export function roundedThreshold(value: number): number {
  if (!(value > 0)) return 0;
  const step = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Number((Math.floor(value / step + 1e-9) * step).toFixed(Math.max(0, -Math.floor(Math.log10(step)))));
}

/** The value at `share` of a sorted list (nearest rank); null for an empty list. */
export function percentileOfSorted(sorted: readonly number[], share: number): number | null {
  if (!sorted.length) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index];
}

/** Every segment Kinship offers for the shop, in the order the Settings page lists them. */
export function kinshipSegments(input: KinshipSegmentInput): KinshipSegment[] {
  const segments: KinshipSegment[] = LIFECYCLE_GROUPS.map((group) => ({
    key: `lifecycle:${group}` as const,
    kind: "lifecycle" as const,
    group,
    query: textEquals("lifecycle", group),
  }));
  if (input.clvHighValueThreshold !== null && input.clvHighValueThreshold > 0) {
    // P(alive) is written with three decimals (value-metafields.ts), so the bound keeps three as well.
    const pAliveBelow = Number(queryNumber(input.pAliveThreshold, 3));
    const clvAtLeast = roundedThreshold(input.clvHighValueThreshold);
    segments.push({
      key: "value:at_risk_high_value",
      kind: "atRiskHighValue",
      pAliveBelow,
      clvAtLeast,
      query: `${numberBelow("p_alive", pAliveBelow, 3)} AND ${numberAtLeast("predicted_clv", clvAtLeast, 2)}`,
    });
  }
  const seen = new Set<string>();
  input.tierNames.forEach((tier) => {
    // A name used by two programmes is one metafield value: one segment.
    if (!tier || seen.has(tier)) return;
    seen.add(tier);
    segments.push({ key: `tier:${seen.size}`, kind: "tier", tier, query: textEquals("tier", tier) });
  });
  for (const segment of RFM_TARGET_SEGMENTS) {
    segments.push({ key: `rfm:${segment}`, kind: "rfm", segment, query: textEquals("rfm_segment", segment) });
  }
  return segments;
}

export interface StoredSegment {
  id: string;
  name: string;
  query: string;
}

export interface SegmentPlan {
  create: Array<{ key: string; name: string; query: string }>;
  update: Array<{ key: string; id: string; name: string; query: string }>;
  remove: Array<{ key: string; id: string }>;
  unchanged: string[];
}

/** What to send Shopify to go from the stored segments to the desired ones (names already translated). */
export function planSegments(
  desired: ReadonlyArray<{ key: string; name: string; query: string }>,
  stored: Readonly<Record<string, StoredSegment>>,
): SegmentPlan {
  const plan: SegmentPlan = { create: [], update: [], remove: [], unchanged: [] };
  const wanted = new Set<string>();
  for (const segment of desired) {
    wanted.add(segment.key);
    const current = Object.hasOwn(stored, segment.key) ? stored[segment.key] : undefined;
    if (!current) plan.create.push(segment);
    else if (current.name !== segment.name || current.query !== segment.query) plan.update.push({ ...segment, id: current.id });
    else plan.unchanged.push(segment.key);
  }
  for (const [key, current] of Object.entries(stored)) if (!wanted.has(key)) plan.remove.push({ key, id: current.id });
  return plan;
}
