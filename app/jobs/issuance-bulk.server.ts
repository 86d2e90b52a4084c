/**
 * Audience rewards in bulk (docs/decisions/021): a large group of codes for one rule, period and
 * validity shares one discount. The group's first code creates it (found again by that code after a
 * crash, as every per-customer discount is); the others are added 250 at a time:
 *
 *   claim the rows (attemptedAt + bulkBatch) → add their customers to the discount's `context` →
 *   `discountRedeemCodeBulkAdd` → poll the creation until done → mark each row created or failed
 *
 * A row found still `recorded` with a batch (the process died, an answer was lost) is reconciled by
 * reading the discount's codes back: a code found there is adopted, one absent is sent again (and
 * Shopify's TAKEN for it is checked against the discount). The ledger is written before every call,
 * so no code is lost or sent twice. Delivery (metafields, Flow) stays per customer, on the shared path.
 */
import { randomUUID } from "node:crypto";
import { rewardKind, SHARED_DISCOUNT_MIN_CODES, type Decision, type Rule } from "../retention/rewards";
import { ShopifyUserErrors, type AdminClient } from "../shopify/admin-client.server";
import { createRewardDiscount, findDiscountByCode } from "../shopify/discounts.server";
import {
  addDiscountCustomers,
  awaitBulkCreation,
  bulkAddCodes,
  findCodesOnDiscount,
  MAX_CODES_PER_BULK_ADD,
} from "../shopify/redeem-codes.server";
import {
  claimForCreation,
  markCreated,
  markExpired,
  markFailed,
  noteError,
  periodOfKey,
  type IssuedRow,
} from "../models/issued-discounts.server";
import { claimBatch, claimSharedDiscount, knownCodesOf, markBatchCreated, saveSharedDiscountId } from "../models/shared-discounts.server";

export interface BulkItem {
  row: IssuedRow;
  decision: Decision;
}

export interface BulkContext {
  shop: string;
  client: AdminClient;
  now: Date;
  sleep: (ms: number) => Promise<void>;
  /** Told about each row that reached Shopify (created), was adopted, failed or expired. */
  onStep: (step: "create" | "adopt" | "fail" | "expire", row: IssuedRow, detail?: string) => void;
}

/** Whether a row may share its group's discount: an audience kind's code (not a one-off), a basic discount. */
export function sharesDiscount(row: IssuedRow, decision: Decision, rule: Rule | undefined): boolean {
  if (!rule || row.kind !== "issue" || !row.code) return false;
  if (row.idempotencyKey.split(":").length < 3) return false; // one-off compensation: personal
  if (decision.reward.type !== "percentage" && decision.reward.type !== "fixedAmount") return false;
  return rewardKind(rule.kind).issuedAs === "audience";
}

/** Rows with the same key share one discount: same rule, period (hence offer) and validity. */
export function groupKeyOf(item: BulkItem): string {
  const { row, decision } = item;
  return [row.ruleId, periodOfKey(row.idempotencyKey), decision.startsAt, decision.endsAt].join("|");
}

/** Splits items into the groups to issue in bulk and the rest (per-customer discounts). */
export function partitionForBulk(
  items: readonly BulkItem[],
  minCodes = SHARED_DISCOUNT_MIN_CODES,
): { groups: BulkItem[][]; single: BulkItem[] } {
  const byKey = new Map<string, BulkItem[]>();
  for (const item of items) {
    const key = groupKeyOf(item);
    byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  const groups: BulkItem[][] = [];
  const single: BulkItem[] = [];
  for (const group of byKey.values()) {
    if (group.length >= minCodes || group.some((i) => i.row.bulkBatch)) groups.push(group);
    else single.push(...group);
  }
  return { groups, single };
}

export function sharedDiscountTitle(ruleName: string, decision: Pick<Decision, "reason" | "period">): string {
  return `Kinship · ${ruleName} · ${decision.reason} · ${decision.period}`.slice(0, 255);
}

/** The group's discount in Shopify: found by its seed code, or created with it. Returns its id. */
async function ensureSharedDiscount(ctx: BulkContext, group: BulkItem[], ruleName: string): Promise<{ id: string; seed: BulkItem | null }> {
  const first = group[0];
  const shared = await claimSharedDiscount(ctx.shop, first.row.ruleId, groupKeyOf(first), first.row.code!);
  if (shared.shopifyDiscountId) return { id: shared.shopifyDiscountId, seed: null };
  const seed = group.find((i) => i.row.code === shared.seedCode) ?? null;
  const existing = await findDiscountByCode(ctx.client, shared.seedCode);
  if (existing) {
    await saveSharedDiscountId(shared.id, existing.id);
    return { id: existing.id, seed };
  }
  // The seed row was recorded by another run that never reached Shopify and is not due here: it would
  // be found by its code if it had. Then the first row here seeds the discount.
  const seedItem = seed ?? first;
  if (!(await claimForCreation(ctx.shop, seedItem.row.id, ctx.now))) throw new Error(`Seed row ${seedItem.row.id} is no longer recorded`);
  const { decision } = seedItem;
  const outcome = await createRewardDiscount(ctx.client, {
    code: seedItem.row.code!,
    title: sharedDiscountTitle(ruleName, decision),
    customerId: seedItem.row.customerShopifyId,
    startsAt: seedItem.row.startsAt?.toISOString() ?? decision.startsAt,
    endsAt: seedItem.row.endsAt?.toISOString() ?? decision.endsAt,
    reward: decision.reward,
    minimumSubtotal: decision.minimumSubtotal,
    combinesWith: decision.combinesWith,
    shared: true,
  });
  await saveSharedDiscountId(shared.id, outcome.id);
  return { id: outcome.id, seed: seedItem };
}

/**
 * Issues one group: returns the rows now `created` (to deliver). Throws what is not a refusal
 * (network, 5xx): rows stay `recorded` with their batch for the next run to reconcile.
 */
export async function issueGroup(ctx: BulkContext, group: BulkItem[], ruleName: string): Promise<IssuedRow[]> {
  const live: BulkItem[] = [];
  for (const item of group) {
    if (new Date(item.row.endsAt?.toISOString() ?? item.decision.endsAt).getTime() <= ctx.now.getTime()) {
      await markExpired(ctx.shop, item.row.id);
      ctx.onStep("expire", item.row);
    } else live.push(item);
  }
  if (!live.length) return [];
  const created: IssuedRow[] = [];
  let shared: Awaited<ReturnType<typeof ensureSharedDiscount>>;
  try {
    shared = await ensureSharedDiscount(ctx, live, ruleName);
  } catch (error) {
    if (!(error instanceof ShopifyUserErrors)) throw error;
    // Shopify refused the discount itself: the same offer would be refused for every row of the group.
    for (const { row } of live) {
      await markFailed(ctx.shop, row.id, error.message);
      ctx.onStep("fail", row, error.message);
    }
    return [];
  }
  const { id: discountId, seed } = shared;
  if (seed && seed.row.status === "recorded") {
    await markCreated(ctx.shop, seed.row.id, discountId);
    ctx.onStep("create", seed.row, discountId);
    created.push({ ...seed.row, status: "created", shopifyDiscountId: discountId });
  }
  let rest = live.filter((i) => i !== seed && i.row.code !== seed?.row.code);

  // Rows an earlier batch sent: whatever the discount holds is theirs (adopted), the rest is sent again.
  const attempted = rest.filter((i) => i.row.bulkBatch);
  if (attempted.length) {
    const wanted = new Set(attempted.map((i) => i.row.code!));
    const older = await knownCodesOf(ctx.shop, discountId);
    const found = await findCodesOnDiscount(ctx.client, discountId, wanted, older);
    const adopted = attempted.filter((i) => found.has(i.row.code!));
    await markBatchCreated(
      ctx.shop,
      adopted.map((i) => i.row.id),
      discountId,
    );
    for (const i of adopted) {
      ctx.onStep("adopt", i.row, discountId);
      created.push({ ...i.row, status: "created", shopifyDiscountId: discountId });
    }
    rest = rest.filter((i) => !found.has(i.row.code!));
  }

  for (let k = 0; k < rest.length; k += MAX_CODES_PER_BULK_ADD) {
    created.push(...(await sendBatch(ctx, discountId, rest.slice(k, k + MAX_CODES_PER_BULK_ADD))));
  }
  return created;
}

async function sendBatch(ctx: BulkContext, discountId: string, items: BulkItem[]): Promise<IssuedRow[]> {
  const rows = await claimBatch(
    ctx.shop,
    items.map((i) => i.row.id),
    randomUUID(),
    ctx.now,
  );
  if (!rows.length) return [];
  try {
    await addDiscountCustomers(
      ctx.client,
      discountId,
      rows.map((r) => r.customerShopifyId),
    );
    const creationId = await bulkAddCodes(
      ctx.client,
      discountId,
      rows.map((r) => r.code!),
    );
    const outcomes = new Map(
      (
        await awaitBulkCreation(
          ctx.client,
          creationId,
          rows.map((r) => r.code!),
          ctx.sleep,
        )
      ).map((o) => [o.code, o]),
    );
    const created: IssuedRow[] = [];
    for (const row of rows) {
      const outcome = outcomes.get(row.code!);
      let ok = outcome?.created ?? false;
      // TAKEN: an earlier batch's creation, still queued when this run read the discount, added it meanwhile.
      if (outcome && !outcome.created && outcome.errorCode === "TAKEN")
        ok = (await findDiscountByCode(ctx.client, row.code!))?.id === discountId;
      if (ok) created.push({ ...row, status: "created", shopifyDiscountId: discountId });
      else {
        const message = outcome && !outcome.created ? outcome.message : "Code was not created";
        await markFailed(ctx.shop, row.id, message);
        ctx.onStep("fail", row, message);
      }
    }
    await markBatchCreated(
      ctx.shop,
      created.map((r) => r.id),
      discountId,
    );
    for (const row of created) ctx.onStep("create", row, discountId);
    return created;
  } catch (error) {
    if (!(error instanceof ShopifyUserErrors)) {
      for (const row of rows) await noteError(ctx.shop, row.id, error instanceof Error ? error.message : String(error));
      throw error;
    }
    // Shopify refused the whole batch (the discount was deleted, an unknown customer…): retrying won't help.
    for (const row of rows) {
      await markFailed(ctx.shop, row.id, error.message);
      ctx.onStep("fail", row, error.message);
    }
    return [];
  }
}
