import {
  parseValuesWritten,
  recordTagChanges,
  recordTagChangesMany,
  recordValuesWritten,
  taggableCustomerPages,
} from "../models/customer-tags.server";
import { createBulkMutationRun, unfinishedBulkMutationRuns } from "../models/bulk-mutation-runs.server";
import { desiredKinshipTags, kinshipTagChanges, parseTagList } from "../retention/segments/tags";
import { valueMetafieldChanges, valueMetafieldValues, type ValueMetafieldChanges } from "../retention/segments/value-metafields";
import type { AdminClient } from "../shopify/admin-client.server";
import { changeCustomerTags } from "../shopify/customer-tags.server";
import { METAFIELDS_PER_CALL } from "../shopify/customer-metafields.server";
import { METAFIELDS_SET } from "../shopify/queries/metafields";
import { TAGS_ADD, TAGS_REMOVE } from "../shopify/queries/tags";
import { valueMetafieldInputs, writeValueMetafields, type ValueMetafieldInput } from "../shopify/value-metafields.server";
import { driveBulkMutationRuns, shardLines, shardSize, type BulkCrashPoint, type LineResult } from "./bulk-mutations.server";

/**
 * Above this many customers to change, a write-back goes as bulk mutations (decision 024). Direct calls cost
 * 20–30 points a customer (tagsAdd, metafieldsSet, sometimes tagsRemove): 500 customers are ~100–150 s of a
 * standard plan's throttle, about what a bulk run's fixed part takes (staging, one operation per mutation kind,
 * polling, reading the result). Below it, a few webhook re-scores stay immediate and never queue behind the
 * shop's bulk mutations.
 */
export const BULK_WRITE_BACK_MIN_CUSTOMERS = 500;

export interface WriteBackResult {
  customersChanged: number;
  tagsAdded: number;
  tagsRemoved: number;
  /** Value metafields written (metafieldsSet entries) and deleted. */
  valuesWritten: number;
  valuesDeleted: number;
  /** "bulk" when the change went as bulk mutations. */
  mode: "direct" | "bulk";
  /** Bulk lines Shopify refused or never ran, then retried directly (or left for the next run). */
  bulkLinesFailed: number;
  failures: Array<{ customer: string; error: string }>;
}

export interface WriteBackOptions {
  pageSize?: number;
  /** Only these customers (a webhook re-score): always direct, never waits for a bulk run. */
  only?: string[];
  /** "auto" (default): bulk above the threshold; "bulk": the first write-back after a backfill. */
  mode?: "auto" | "bulk" | "direct";
  threshold?: number;
  /** Waits while a bulk operation runs (the emulated clock in benches). */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  /** Test seam: the process dies after this bulk step. */
  crashAt?: BulkCrashPoint;
  /** Lines per bulk shard (default: the lines spread over the shop's five operations, at least 1,000 a shard). */
  shardLines?: number;
  now?: () => Date;
}

interface CustomerChange {
  shopifyId: string;
  tags: { add: string[]; remove: string[] };
  values: ValueMetafieldChanges;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Brings every customer's `kinship:` tags and value metafields (kinship.predicted_clv, p_alive, lifecycle,
 * rfm_segment, tier) in Shopify in line with Kinship's scores. Only what changed since the last write is sent:
 * tags against Shopify's tag list as stored, values against `Customer.valuesWritten`. Small changes are direct
 * calls (the admin client waits out the throttle); large ones, and the first write-back after a backfill, are
 * bulk mutations whose result file updates the stored state. An interrupted bulk run is finished first, so no
 * customer is written twice.
 */
export async function writeBackTags(shop: string, client: AdminClient, options: WriteBackOptions = {}): Promise<WriteBackResult> {
  const result: WriteBackResult = {
    customersChanged: 0,
    tagsAdded: 0,
    tagsRemoved: 0,
    valuesWritten: 0,
    valuesDeleted: 0,
    mode: "direct",
    bulkLinesFailed: 0,
    failures: [],
  };
  const bulkDeps = { client, sleep: options.sleep ?? defaultSleep, pollMs: options.pollMs, crashAt: options.crashAt, now: options.now };
  const unfinished = await unfinishedBulkMutationRuns(shop, "writeBack");
  // A re-score never waits for a bulk run; it leaves the customers a run is writing to that run and the next diff.
  const inFlight = new Set<string>();
  if (options.only) for (const run of unfinished) for (const id of customersOfRun(run.variables)) inFlight.add(id);
  else
    await driveBulkMutationRuns(
      shop,
      unfinished.map((run) => run.id),
      bulkDeps,
      recordWriteBackLines(shop),
    );

  const changes: CustomerChange[] = [];
  for await (const page of taggableCustomerPages(shop, options)) {
    for (const customer of page) {
      if (inFlight.has(customer.shopifyId)) continue;
      const tags = kinshipTagChanges(parseTagList(customer.tags), desiredKinshipTags(customer));
      const values = valueMetafieldChanges(valueMetafieldValues(customer), parseValuesWritten(customer.valuesWritten));
      if (tags.add.length || tags.remove.length || values.set.length || values.remove.length) {
        changes.push({ shopifyId: customer.shopifyId, tags, values });
      }
    }
  }
  const threshold = options.threshold ?? BULK_WRITE_BACK_MIN_CUSTOMERS;
  const mode = options.only ? "direct" : (options.mode ?? "auto");
  const bulk = changes.length > 0 && (mode === "bulk" || (mode === "auto" && changes.length > threshold));
  if (!bulk) {
    for (const change of changes) await writeDirect(shop, client, change, result);
    return result;
  }

  result.mode = "bulk";
  const runs = await planBulkRuns(shop, changes, options.shardLines);
  const retry = new Map<string, CustomerChange>();
  const outcomes = await driveBulkMutationRuns(
    shop,
    runs.map((run) => run.id),
    bulkDeps,
    recordWriteBackLines(shop),
  );
  runs.forEach((run, i) => {
    const { failed } = outcomes[i];
    result.bulkLinesFailed += failed.length;
    for (const line of failed) for (const partial of changesOfLine(run.mutation, line)) mergeInto(retry, partial);
  });
  const failedIds = new Set(retry.keys());
  for (const change of changes) {
    if (failedIds.has(change.shopifyId)) continue;
    result.customersChanged += 1;
    result.tagsAdded += change.tags.add.length;
    result.tagsRemoved += change.tags.remove.length;
    result.valuesWritten += change.values.set.length;
  }
  // Failed lines are retried directly while they are few; otherwise the next write-back's diff finds them again.
  if (retry.size <= threshold) for (const change of retry.values()) await writeDirect(shop, client, change, result);
  else for (const change of retry.values()) result.failures.push({ customer: change.shopifyId, error: "left for the next write-back" });
  // Deleting a value has no bulk route (metafieldsDelete is not documented for bulk imports): direct, one call per customer.
  await deleteValuesDirect(shop, client, changes, result);
  return result;
}

async function writeDirect(shop: string, client: AdminClient, change: CustomerChange, result: WriteBackResult) {
  try {
    await changeCustomerTags(client, change.shopifyId, change.tags);
    if (change.tags.add.length || change.tags.remove.length) await recordTagChanges(shop, change.shopifyId, change.tags);
    await writeValueMetafields(client, change.shopifyId, change.values);
    await recordValuesWritten(shop, [{ shopifyId: change.shopifyId, set: setOf(change.values), removed: change.values.remove }]);
  } catch (error) {
    result.failures.push({ customer: change.shopifyId, error: (error as Error).message });
    return;
  }
  result.customersChanged += 1;
  result.tagsAdded += change.tags.add.length;
  result.tagsRemoved += change.tags.remove.length;
  result.valuesWritten += change.values.set.length;
  result.valuesDeleted += change.values.remove.length;
}

async function deleteValuesDirect(shop: string, client: AdminClient, changes: CustomerChange[], result: WriteBackResult) {
  const removals = changes.filter((c) => c.values.remove.length);
  for (const change of removals) {
    try {
      await writeValueMetafields(client, change.shopifyId, { set: [], remove: change.values.remove });
      await recordValuesWritten(shop, [{ shopifyId: change.shopifyId, set: {}, removed: change.values.remove }]);
      result.valuesDeleted += change.values.remove.length;
    } catch (error) {
      result.failures.push({ customer: change.shopifyId, error: (error as Error).message });
    }
  }
}

const setOf = (values: ValueMetafieldChanges) => Object.fromEntries(values.set.map((s) => [s.key, s.value]));

/**
 * One mutation kind per run (Shopify runs one mutation per bulk operation), each kind cut into shards so the lines
 * spread over the shop's five parallel operations; all runs are created together before any is sent.
 */
async function planBulkRuns(shop: string, changes: CustomerChange[], linesPerShard?: number) {
  const tagsAdd = changes.filter((c) => c.tags.add.length).map((c) => ({ id: c.shopifyId, tags: c.tags.add }));
  const tagsRemove = changes.filter((c) => c.tags.remove.length).map((c) => ({ id: c.shopifyId, tags: c.tags.remove }));
  // metafieldsSet takes 25 entries a call: whole customers are packed into lines (at most 5 values each).
  const metafieldLines: Array<{ metafields: ValueMetafieldInput[] }> = [];
  let line: ValueMetafieldInput[] = [];
  for (const change of changes) {
    const inputs = valueMetafieldInputs(change.shopifyId, change.values.set);
    if (!inputs.length) continue;
    if (line.length + inputs.length > METAFIELDS_PER_CALL) {
      metafieldLines.push({ metafields: line });
      line = [];
    }
    line.push(...inputs);
  }
  if (line.length) metafieldLines.push({ metafields: line });
  const planned = [
    { mutation: METAFIELDS_SET, lines: metafieldLines },
    { mutation: TAGS_ADD, lines: tagsAdd },
    { mutation: TAGS_REMOVE, lines: tagsRemove },
  ].filter((p) => p.lines.length);
  const size = linesPerShard ?? shardSize(planned.reduce((n, p) => n + p.lines.length, 0));
  const runs = [];
  for (const p of planned)
    for (const lines of shardLines<object>(p.lines, size))
      runs.push(await createBulkMutationRun(shop, { purpose: "writeBack", mutation: p.mutation, lines }));
  return runs;
}

/** What a line asked of Shopify, per customer. */
function changesOfLine(mutation: string, line: Pick<LineResult, "variables">): CustomerChange[] {
  const v = line.variables as { id?: string; tags?: string[]; metafields?: ValueMetafieldInput[] };
  const empty = () => ({ add: [] as string[], remove: [] as string[] });
  if (mutation === TAGS_ADD && v.id) return [{ shopifyId: v.id, tags: { add: v.tags ?? [], remove: [] }, values: { set: [], remove: [] } }];
  if (mutation === TAGS_REMOVE && v.id)
    return [{ shopifyId: v.id, tags: { add: [], remove: v.tags ?? [] }, values: { set: [], remove: [] } }];
  const byOwner = new Map<string, CustomerChange>();
  for (const m of v.metafields ?? []) {
    const change = byOwner.get(m.ownerId) ?? { shopifyId: m.ownerId, tags: empty(), values: { set: [], remove: [] } };
    change.values.set.push({
      key: m.key as ValueMetafieldChanges["set"][number]["key"],
      type: m.type as ValueMetafieldChanges["set"][number]["type"],
      value: m.value,
    });
    byOwner.set(m.ownerId, change);
  }
  return [...byOwner.values()];
}

function mergeInto(into: Map<string, CustomerChange>, change: CustomerChange) {
  const existing = into.get(change.shopifyId);
  if (!existing) {
    into.set(change.shopifyId, {
      shopifyId: change.shopifyId,
      tags: { ...change.tags },
      values: { set: [...change.values.set], remove: [...change.values.remove] },
    });
    return;
  }
  existing.tags.add.push(...change.tags.add);
  existing.tags.remove.push(...change.tags.remove);
  existing.values.set.push(...change.values.set);
  existing.values.remove.push(...change.values.remove);
}

function customersOfRun(variables: string): string[] {
  if (!variables) return [];
  return variables.split("\n").flatMap((text) => {
    const v = JSON.parse(text) as { id?: string; metafields?: Array<{ ownerId: string }> };
    return v.id ? [v.id] : (v.metafields ?? []).map((m) => m.ownerId);
  });
}

/** Records the succeeded lines of a write-back run: tags as tag events of now, values as written. */
function recordWriteBackLines(shop: string) {
  return async (lines: LineResult[]) => {
    const tagEntries: Array<{ shopifyId: string; add: string[]; remove: string[] }> = [];
    const valueEntries: Array<{ shopifyId: string; set: Record<string, string>; removed: string[] }> = [];
    for (const line of lines) {
      const v = line.variables as { id?: string; tags?: string[]; metafields?: ValueMetafieldInput[] };
      if (v.metafields) {
        for (const change of changesOfLine(METAFIELDS_SET, line))
          valueEntries.push({ shopifyId: change.shopifyId, set: setOf(change.values), removed: [] });
      } else if (v.id && v.tags) {
        tagEntries.push({ shopifyId: v.id, ...tagSideOf(line, v.tags) });
      }
    }
    await recordTagChangesMany(shop, tagEntries);
    await recordValuesWritten(shop, valueEntries);
  };
}

/** A tag line is an add or a remove according to the run's mutation. */
function tagSideOf(line: LineResult, tags: string[]): { add: string[]; remove: string[] } {
  return line.outcome.rootField === "tagsRemove" ? { add: [], remove: tags } : { add: tags, remove: [] };
}
