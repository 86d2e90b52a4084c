/**
 * The ledger of what Kinship decided per (rule, customer, period): every decision is recorded here,
 * with its code, before Shopify is called. The unique (shop, idempotencyKey) makes a retry or a
 * second instance find the earlier row instead of issuing again.
 *
 * Lifecycle (`status`):
 *   issue:   recorded → created (discount exists in Shopify) → delivered (metafields/Flow done)
 *            → deactivated (expired unused, swept); or failed (Shopify refused) / expired (never created in time)
 *   remind:  recorded → delivered | failed
 *   holdout: withheld (never sent to Shopify)
 *   issue or remind still `recorded` with no `attemptedAt` (queued) → cancelled by the merchant (never sent)
 * `attemptedAt` is set, atomically with a `recorded` check, just before Shopify is asked to create a
 * code; cancelling matches only rows without it, so a code is either cancelled or sent, never both.
 * A store-credit issue takes the same path: its transaction is created (and Shopify announces it)
 * instead of a discount, and it is never swept (Shopify expires the credit itself).
 *   issue withheld (withheldReason set): nothing would tell the customer (no Flow workflow, no store
 *            credit, no surface). Never created in Shopify, costs nothing; decided again each day, and
 *            upgraded to `recorded` (with a code) the first day a channel exists.
 * Redemption is tracked separately (redeemedAt/redeemedOrderId/redeemedRevenue).
 */
import type { IssuedDiscount } from "@prisma/client";
import db from "../db.server";
import { localDateAt, type Decision, type IssuedCodeStatus, type IssuedRecord, type LocalDate } from "../retention/rewards";
import { addToCounts, emptyIssuanceCounts, type IssuanceCounts } from "../retention/rewards/issuance-states";
import { batchSize, newId, placeholder, sqlTimestamp } from "./sql/sql.server";

export type IssuedStatus = "recorded" | "created" | "delivered" | "failed" | "expired" | "deactivated" | "withheld" | "cancelled";
export type IssuedRow = IssuedDiscount;

/** The period part of an idempotency key (rule and customer ids have their ':' escaped; the period comes last). */
export function periodOfKey(key: string): string {
  return key.split(":").slice(2).join(":");
}

/** Rows store when they were decided as `createdAt`; the shop-local date of that instant is the decision day. */
export function decidedOnOf(row: Pick<IssuedRow, "createdAt">, timeZone: string): LocalDate {
  return localDateAt(row.createdAt, timeZone);
}

export interface LedgerRecord extends IssuedRecord {
  estimatedCost: number;
}

/** Everything recorded for the shop, in the shape the core's `decideDay` checks idempotency and budgets against. */
export async function listIssuedRecords(shop: string, timeZone: string): Promise<LedgerRecord[]> {
  const rows = await db.issuedDiscount.findMany({
    // Withheld issues are left out: they are decided again (and created once a channel exists).
    where: { shop, kind: { in: ["issue", "remind", "holdout"] }, NOT: { kind: "issue", status: "withheld" } },
    select: { ruleId: true, customerShopifyId: true, idempotencyKey: true, kind: true, createdAt: true, amount: true },
  });
  return rows.map((r) => ({
    idempotencyKey: r.idempotencyKey,
    ruleId: r.ruleId,
    customerId: r.customerShopifyId,
    kind: r.kind as IssuedRecord["kind"],
    period: periodOfKey(r.idempotencyKey),
    decidedOn: decidedOnOf(r, timeZone),
    estimatedCost: r.amount ?? 0,
  }));
}

export interface NewLedgerRow {
  decision: Decision;
  /** Generated before recording, so reconciliation can look the code up in Shopify. Null for holdouts. */
  code: string | null;
}

const COLUMNS = [
  "id",
  "shop",
  "ruleId",
  "customerShopifyId",
  "idempotencyKey",
  "code",
  "kind",
  "status",
  "rewardType",
  "amount",
  "startsAt",
  "endsAt",
  "createdAt",
  "updatedAt",
  "withheldReason",
  "arm",
];

/**
 * Inserts the rows; a key that already exists is left untouched, except a withheld issue, which a
 * decision with a channel (and a code) turns into a `recorded` one. Returns the rows as stored, by
 * key: a row whose code differs from the one offered was recorded by someone else.
 */
export async function recordDecisions(shop: string, rows: readonly NewLedgerRow[], decidedAt: Date): Promise<Map<string, IssuedRow>> {
  const at = sqlTimestamp(decidedAt);
  const size = batchSize(COLUMNS.length);
  for (let i = 0; i < rows.length; i += size) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + size).map(({ decision: d, code }) => {
      const values = [
        newId(),
        shop,
        d.ruleId,
        d.customerId,
        d.idempotencyKey,
        code,
        d.kind,
        d.kind === "holdout" || d.withheldReason ? "withheld" : "recorded",
        d.kind === "holdout" ? null : d.reward.type,
        d.withheldReason ? 0 : d.estimatedCost,
        sqlTimestamp(new Date(d.startsAt)),
        sqlTimestamp(new Date(d.endsAt)),
        at,
        at,
        d.withheldReason ?? null,
        d.arm ?? null,
      ];
      return `(${values.map((v) => (params.push(v), placeholder(params.length))).join(", ")})`;
    });
    await db.$executeRawUnsafe(
      `INSERT INTO "IssuedDiscount" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}
       ON CONFLICT ("shop", "idempotencyKey") DO UPDATE SET
         "code" = excluded."code", "status" = excluded."status", "amount" = excluded."amount", "withheldReason" = NULL,
         "startsAt" = excluded."startsAt", "endsAt" = excluded."endsAt", "createdAt" = excluded."createdAt", "updatedAt" = excluded."updatedAt"
       WHERE "IssuedDiscount"."kind" = 'issue' AND "IssuedDiscount"."status" = 'withheld' AND excluded."status" = 'recorded'`,
      ...params,
    );
  }
  return findByKeys(
    shop,
    rows.map((r) => r.decision.idempotencyKey),
  );
}

export async function findByKeys(shop: string, keys: readonly string[]): Promise<Map<string, IssuedRow>> {
  const found = new Map<string, IssuedRow>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db.issuedDiscount.findMany({ where: { shop, idempotencyKey: { in: keys.slice(i, i + 500) } } });
    for (const row of rows) found.set(row.idempotencyKey, row);
  }
  return found;
}

async function update(
  shop: string,
  id: string,
  data: Partial<Pick<IssuedRow, "status" | "shopifyDiscountId" | "error" | "code" | "endsAt">>,
) {
  await db.issuedDiscount.updateMany({ where: { shop, id }, data });
}

/** A store-credit row: its code is the ledger's reference, never a discount code in Shopify. */
export const isStoreCreditRow = (row: Pick<IssuedRow, "rewardType">) => row.rewardType === "storeCredit";

/** Rows that are discount codes in Shopify (older rows have no reward type and are all codes). */
const discountCodeRows = { OR: [{ rewardType: null }, { rewardType: { not: "storeCredit" } }] };

/** Of these Shopify ids, the ones some row of the shop already holds (a credit transaction adopted once is never adopted again). */
export async function heldShopifyIds(shop: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.issuedDiscount.findMany({
    where: { shop, shopifyDiscountId: { in: [...ids] } },
    select: { shopifyDiscountId: true },
  });
  return new Set(rows.map((r) => r.shopifyDiscountId!));
}

export const markCreated = (shop: string, id: string, shopifyDiscountId: string) =>
  update(shop, id, { status: "created", shopifyDiscountId, error: null });
export const markDelivered = (shop: string, id: string) => update(shop, id, { status: "delivered", error: null });
export const markFailed = (shop: string, id: string, error: string) => update(shop, id, { status: "failed", error: error.slice(0, 2000) });
export const markExpired = (shop: string, id: string) => update(shop, id, { status: "expired" });
/** Keeps the status (the step is retried next run) and says what went wrong. */
export const noteError = (shop: string, id: string, error: string) => update(shop, id, { error: error.slice(0, 2000) });

/**
 * Claims a queued row for a Shopify call: true when it is still `recorded` (and is now "being
 * created"); false when it was cancelled (or finished by someone else) meanwhile.
 */
export async function claimForCreation(shop: string, id: string, now: Date, exclusiveUntilStale?: Date): Promise<boolean> {
  // With `exclusiveUntilStale` (requests, outside the daily run's lease): not while another caller's claim is fresh.
  const free = exclusiveUntilStale ? { OR: [{ attemptedAt: null }, { attemptedAt: { lt: exclusiveUntilStale } }] } : {};
  const { count } = await db.issuedDiscount.updateMany({ where: { shop, id, status: "recorded", ...free }, data: { attemptedAt: now } });
  return count === 1;
}

/**
 * Claims a `created` row's delivery for a caller outside the daily run's lease (the merchant's
 * compensation, asked again): true unless another caller took it less than `staleBefore` ago (its
 * request is still delivering). `attemptedAt` is the claim's time, as for creation.
 */
export async function claimForDelivery(shop: string, id: string, now: Date, staleBefore: Date): Promise<boolean> {
  const { count } = await db.issuedDiscount.updateMany({
    where: { shop, id, status: "created", OR: [{ attemptedAt: null }, { attemptedAt: { lt: staleBefore } }] },
    data: { attemptedAt: now },
  });
  return count === 1;
}

/** Gives a delivery claim back after a failure this process saw (a crash keeps it until it is stale). */
export async function releaseDeliveryClaim(shop: string, id: string): Promise<void> {
  await db.issuedDiscount.updateMany({ where: { shop, id, status: "created" }, data: { attemptedAt: null } });
}

/**
 * Cancels codes Shopify was never asked to create (all of the shop's, or one rule's). Their rows
 * stay in the ledger with their keys, so the same decision is never made again.
 */
export async function cancelQueued(shop: string, options: { ruleId?: string } = {}): Promise<number> {
  const { count } = await db.issuedDiscount.updateMany({
    where: { shop, kind: "issue", status: "recorded", attemptedAt: null, ...(options.ruleId ? { ruleId: options.ruleId } : {}) },
    data: { status: "cancelled", error: null },
  });
  return count;
}

export const markCancelled = (shop: string, id: string) => update(shop, id, { status: "cancelled" });

/** Codes by the merchant's states (see issuance-states.ts), shop-wide and per rule. */
export async function issuanceCounts(shop: string): Promise<{ shop: IssuanceCounts; byRule: Map<string, IssuanceCounts> }> {
  const [groups, attempted] = await Promise.all([
    db.issuedDiscount.groupBy({ by: ["ruleId", "status"], where: { shop, kind: "issue" }, _count: { _all: true } }),
    db.issuedDiscount.groupBy({
      by: ["ruleId"],
      where: { shop, kind: "issue", status: "recorded", attemptedAt: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const total = emptyIssuanceCounts();
  const byRule = new Map<string, IssuanceCounts>();
  const add = (ruleId: string, status: string, attemptedRow: boolean, n: number) => {
    if (!byRule.has(ruleId)) byRule.set(ruleId, emptyIssuanceCounts());
    addToCounts(byRule.get(ruleId)!, { kind: "issue", status, attempted: attemptedRow }, n);
    addToCounts(total, { kind: "issue", status, attempted: attemptedRow }, n);
  };
  const attemptedByRule = new Map(attempted.map((g) => [g.ruleId, g._count._all]));
  for (const g of groups) {
    if (g.status !== "recorded") {
      add(g.ruleId, g.status, false, g._count._all);
      continue;
    }
    const tried = attemptedByRule.get(g.ruleId) ?? 0;
    add(g.ruleId, "recorded", true, tried);
    add(g.ruleId, "recorded", false, g._count._all - tried);
  }
  return { shop: total, byRule };
}

const pendingWhere = (shop: string, now: Date) => ({
  shop,
  OR: [
    { kind: "issue", status: "recorded" },
    // Created but not delivered: worth delivering only while the code still works.
    { kind: "issue", status: "created", endsAt: { gt: now } },
    { kind: "remind", status: "recorded" },
  ],
});

/** Rows an earlier run left half-done (crash, lost answer, Shopify down), oldest first. */
export async function pendingRows(shop: string, now: Date): Promise<IssuedRow[]> {
  return db.issuedDiscount.findMany({ where: pendingWhere(shop, now), orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** How many rows a run would still have to finish (a run that leaves any is not complete). */
export async function countPending(shop: string, now: Date): Promise<number> {
  return db.issuedDiscount.count({ where: pendingWhere(shop, now) });
}

/** Codes Shopify holds for the shop that may need sweeping, in the core's `sweepExpiredCodes` shape. */
export async function sweepCandidates(shop: string, now: Date): Promise<Array<IssuedCodeStatus & { shopifyDiscountId: string }>> {
  const rows = await db.issuedDiscount.findMany({
    where: {
      shop,
      kind: "issue",
      ...discountCodeRows,
      shopifyDiscountId: { not: null },
      status: { in: ["created", "delivered", "deactivated"] },
      endsAt: { lte: now },
    },
    select: { id: true, code: true, shopifyDiscountId: true, endsAt: true, redeemedAt: true, status: true, updatedAt: true },
  });
  return rows.map((r) => ({
    id: r.id,
    shopifyDiscountId: r.shopifyDiscountId!,
    code: r.code ?? "",
    endsAt: (r.endsAt ?? now).toISOString(),
    usageCount: r.redeemedAt ? 1 : 0,
    deactivatedAt: r.status === "deactivated" ? r.updatedAt.toISOString() : null,
  }));
}

export async function markDeactivated(shop: string, id: string): Promise<void> {
  await db.issuedDiscount.updateMany({ where: { shop, id, status: { not: "deactivated" } }, data: { status: "deactivated" } });
}

export async function countByStatus(shop: string): Promise<Record<string, number>> {
  const groups = await db.issuedDiscount.groupBy({ by: ["kind", "status"], where: { shop }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [`${g.kind}:${g.status}`, g._count._all]));
}

/** Withheld issues per rule and reason (the rules page and the health card show them). */
export async function countWithheld(shop: string): Promise<Array<{ ruleId: string; reason: string; count: number }>> {
  const groups = await db.issuedDiscount.groupBy({
    by: ["ruleId", "withheldReason"],
    where: { shop, kind: "issue", status: "withheld" },
    _count: { _all: true },
  });
  return groups.map((g) => ({ ruleId: g.ruleId, reason: g.withheldReason ?? "unknown", count: g._count._all }));
}

/** Codes Shopify refused since `since` (the health card's "refused in the last 7 days"). */
export async function countRefusedSince(shop: string, since: Date): Promise<number> {
  return db.issuedDiscount.count({ where: { shop, kind: "issue", status: "failed", updatedAt: { gte: since } } });
}

export async function listIssuedForRule(shop: string, ruleId: string, take = 50) {
  return db.issuedDiscount.findMany({ where: { shop, ruleId }, orderBy: { createdAt: "desc" }, take });
}

/** A code the customer can still use, as the customer account page lists it. */
export type LiveCodeRow = Pick<IssuedRow, "ruleId" | "idempotencyKey" | "code" | "arm" | "rewardType" | "endsAt" | "createdAt">;

/**
 * A customer's codes that exist in Shopify and can still be used: created or delivered, not redeemed,
 * not over; store credit is left out (it is a balance, not a code). Newest first. Read through the
 * (shop, customerShopifyId) index: a customer has a handful of rows.
 */
export async function listLiveCodes(shop: string, customerShopifyId: string, now: Date, take: number): Promise<LiveCodeRow[]> {
  return db.issuedDiscount.findMany({
    where: {
      shop,
      customerShopifyId,
      kind: "issue",
      status: { in: ["created", "delivered"] },
      code: { not: null },
      redeemedAt: null,
      OR: [{ endsAt: null }, { endsAt: { gt: now } }],
      NOT: { rewardType: "storeCredit" },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { ruleId: true, idempotencyKey: true, code: true, arm: true, rewardType: true, endsAt: true, createdAt: true },
  });
}

/** Whether the customer was ever granted store credit by Kinship. */
export async function hasStoreCreditRows(shop: string, customerShopifyId: string): Promise<boolean> {
  const row = await db.issuedDiscount.findFirst({
    where: { shop, customerShopifyId, rewardType: "storeCredit", status: { in: ["created", "delivered"] } },
    select: { id: true },
  });
  return row !== null;
}

/**
 * Delivered by a bulk mutation (decision 024): the created rows holding these codes. Returns how many moved.
 * Idempotent: a row already delivered is left as it is.
 */
export async function markDeliveredByCodes(shop: string, codes: readonly string[]): Promise<number> {
  let moved = 0;
  for (let i = 0; i < codes.length; i += 500) {
    const { count } = await db.issuedDiscount.updateMany({
      where: { shop, status: "created", code: { in: codes.slice(i, i + 500) } },
      data: { status: "delivered", error: null },
    });
    moved += count;
  }
  return moved;
}
