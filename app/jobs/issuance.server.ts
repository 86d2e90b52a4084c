/**
 * The daily issuance run for one shop: finish what earlier runs left half-done, decide today's
 * rewards (pure core), record every decision with its code, then create the codes in Shopify and
 * deliver them (customer metafields + Flow trigger).
 *
 * Exactly once: a decision's row (unique idempotency key, code included) is written before Shopify
 * is called. If the process dies between the two, the next run finds the row still `recorded`, looks
 * the code up in Shopify, and adopts the discount it finds or creates it (never both). Shopify calls
 * are sequential; the admin client waits out THROTTLED answers using the bucket's restore rate.
 */
import { readShopSettings } from "../models/shop-settings.server";
import { getShop } from "../models/shop.server";
import { getSurfaceUse } from "../models/surface-use.server";
import { randomBytes as cryptoRandomBytes } from "node:crypto";
import {
  addDays,
  combinesWithOf,
  previewDay,
  firstRun,
  customerAccountPageInUse,
  ledgerOffer,
  ledgerReason,
  previewRule,
  generateDiscountCode,
  idempotencyKey,
  TIER_KINDS,
  readsOrderHistory,
  rewardKind,
  localDateAt,
  startOfLocalDay,
  usageThisMonth,
  type Decision,
  type DecisionKind,
  type LocalDate,
  type RandomBytes,
  type RuleDraft,
  type FirstRun,
  type RulePreview,
  type ScheduleInput,
  type Rule,
  type RulePause,
} from "../retention/rewards";
import type { AdminClient } from "../shopify/admin-client.server";
import { findDiscountByCode } from "../shopify/discounts.server";
import { decideDayOffThread } from "./day-decisions.server";
import { issueGroup, partitionForBulk, sharesDiscount, type BulkItem } from "./issuance-bulk.server";
import type { Locale } from "../i18n";
import { advanceIssue, deliverCode, errorMessage, settle, shopLocaleOnce, type IssueContext, type IssueStep } from "./reward-issue.server";
import {
  findByKeys,
  isStoreCreditRow,
  listIssuedRecords,
  markCreated,
  markDelivered,
  markExpired,
  markCancelled,
  markFailed,
  noteError,
  pendingRows,
  periodOfKey,
  recordDecisions,
  type IssuedRow,
  type NewLedgerRow,
} from "../models/issued-discounts.server";
import { costAssumptions, loadFeedbackEvents, loadRewardCustomers } from "../models/reward-customers.server";
import { findJobRun } from "../models/job-leases.server";
import { listRules, savePauses, type StoredRule } from "../models/rules.server";
import { loadTierStates, saveTierUpdates } from "../models/tier-states.server";
import { dashboardFiguresChanged } from "./dashboard-figures.server";
import { flowUsage } from "../models/flow-usage.server";
import { kindsNeedingConsent } from "../models/shop-settings.server";
import { SimulatedCrash, type BulkCrashPoint } from "./bulk-mutations.server";
import {
  BULK_DELIVERY_MIN_CODES,
  codesInUnfinishedDeliveries,
  deliverInBulk,
  resumeBulkDeliveries,
  type BulkDeliveryItem,
} from "./reward-delivery-bulk.server";

export interface IssuanceEvent {
  shop: string;
  step: "create" | "adopt" | "deliver" | "remind" | "expire" | "fail" | "retryLater";
  idempotencyKey: string;
  detail?: string;
}

export interface IssuanceDeps {
  client: AdminClient;
  now?: () => Date;
  /** Cryptographically strong bytes (default: node:crypto). */
  randomBytes?: RandomBytes;
  /** Called after each row; the scheduler renews its lease here (and may throw to stop the run). */
  heartbeat?: () => Promise<void>;
  log?: (event: IssuanceEvent) => void;
  /** Consecutive failures that are not Shopify refusals (network, auth, 5xx) before the run stops. */
  maxConsecutiveFailures?: number;
  sleep?: (ms: number) => Promise<void>;
  /** False before the shop's birthday send hour (the scheduler decides): birthday moments wait. */
  birthdayMomentsDue?: boolean;
  /** Decide only these kinds' rules (the scheduler's send-hour run is for birthdays only). */
  onlyKinds?: readonly string[];
  /** Test seam: the decision worker waits on this cell before deciding (day-decisions.server.ts). */
  holdDecisions?: Int32Array;
  /** Smallest group of audience codes that shares a discount (default SHARED_DISCOUNT_MIN_CODES; the bench compares both paths). */
  sharedDiscountMinCodes?: number;
  /** Smallest group of audience codes delivered as one bulk mutation (default BULK_DELIVERY_MIN_CODES; decision 024). */
  bulkDeliveryMinCodes?: number;
  /** How often a bulk operation's status is asked, in ms of `sleep`. */
  bulkPollMs?: number;
  /** Test seam: the process dies after this bulk-delivery step. */
  bulkCrashAt?: BulkCrashPoint;
}

export interface IssuanceSummary {
  shop: string;
  today: LocalDate;
  decisions: number;
  /** Codes created in Shopify by this run. */
  created: number;
  /** Codes found already in Shopify for a recorded row (an earlier attempt's answer was lost). */
  adopted: number;
  /** Codes and reminders written to metafields (and sent to Flow when due). */
  delivered: number;
  /** Of those, codes delivered by a bulk mutation (no Flow trigger: decision 024). */
  deliveredInBulk: number;
  flowTriggers: number;
  heldOut: number;
  /** Issues recorded as withheld today (nothing would tell the customer), by reason. */
  withheld: Record<string, number>;
  /** Customers due a promotional reward today but left out for lack of marketing consent. */
  excludedForConsent: number;
  failed: number;
  expired: number;
  /** Rows from earlier runs brought to completion. */
  reconciled: number;
  /** Rows left for the next run (Shopify unreachable). */
  retryLater: number;
  tierChanges: number;
  /** Codes due today but over the per-customer cap (Settings): not issued, the customers stay due. */
  capped: number;
  paused: RulePause[];
  /** Stored rules whose config no longer validates (skipped). */
  invalidRules: string[];
}

export class IssuanceInterruptedError extends Error {
  constructor(
    readonly cause: unknown,
    readonly summary: IssuanceSummary,
  ) {
    super(`Issuance for ${summary.shop} stopped after repeated failures: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "IssuanceInterruptedError";
  }
}

/** The instant recorded as a decision's `createdAt`: now, or for a run of another day that day's start, so the decision day reads back right. */
export function decisionInstant(today: LocalDate, now: Date, timeZone: string): Date {
  return localDateAt(now, timeZone) === today ? now : startOfLocalDay(today, timeZone);
}

/**
 * Rebuilds what delivery needs from a row recorded by an earlier run (the ledger keeps the key,
 * dates and code; reward and reason come from the rule).
 */
export function decisionFromRow(row: IssuedRow, rule: Rule, timeZone: string): Decision | null {
  const period = periodOfKey(row.idempotencyKey);
  // A key without a period is a one-off grant made outside the daily decision (the merchant's
  // compensation for a feedback follow-up, `feedback-compensation:<id>`): a transactional thank-you.
  const oneOff = row.idempotencyKey.split(":").length < 3;
  const kindOfRule = rewardKind(rule.kind);
  // Offer B for a row drawn into an A/B rule's B arm; null when the rule no longer grants this reward.
  const value = ledgerOffer(rule, { period, arm: row.arm, rewardType: row.rewardType });
  if (!value || !row.startsAt || !row.endsAt) return null;
  const kind = row.kind as DecisionKind;
  const reminder = /:remind:([+-]?\d+)$/.exec(period);
  const moment = kind === "remind" && reminder ? Number(reminder[1]) : undefined;
  return {
    idempotencyKey: row.idempotencyKey,
    ruleId: row.ruleId,
    ruleKind: rule.kind,
    customerId: row.customerShopifyId,
    kind,
    period,
    decidedOn: localDateAt(row.createdAt, timeZone),
    reason: ledgerReason(rule, row.idempotencyKey),
    explanation: "",
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    ...value,
    ...(row.arm === "A" || row.arm === "B" ? { arm: row.arm } : {}),
    combinesWith: combinesWithOf(rule),
    ...(moment !== undefined ? { moment, lastChance: kindOfRule.isLastChance?.(rule, moment) ?? false } : {}),
    estimatedCost: row.amount ?? 0,
    // Some codes are announced by their reminders (birthday); every other issue and every reminder notifies.
    notify: oneOff || kind === "remind" || kindOfRule.notifyOnIssue,
    channel: oneOff ? "transactional" : kindOfRule.channel,
  };
}

interface RunContext {
  shop: string;
  shopLocale: () => Promise<Locale>;
  client: AdminClient;
  timeZone: string;
  currencyCode: string;
  rules: Map<string, Rule>;
  now: Date;
  deps: IssuanceDeps;
  summary: IssuanceSummary;
  consecutiveFailures: number;
}

function log(ctx: RunContext, step: IssuanceEvent["step"], row: IssuedRow, detail?: string) {
  ctx.deps.log?.({ shop: ctx.shop, step, idempotencyKey: row.idempotencyKey, ...(detail ? { detail } : {}) });
}

const COUNTER: Record<IssueStep, "created" | "adopted" | "delivered" | "expired" | "failed"> = {
  create: "created",
  adopt: "adopted",
  deliver: "delivered",
  expire: "expired",
  fail: "failed",
};

/** The shared issuance path's context, counting and logging each step in this run's summary. */
function issueContext(ctx: RunContext): IssueContext {
  return {
    shop: ctx.shop,
    client: ctx.client,
    now: ctx.now,
    currencyCode: ctx.currencyCode,
    shopLocale: ctx.shopLocale,
    onStep: (step, row, detail) => {
      ctx.summary[COUNTER[step]]++;
      log(ctx, step, row, detail);
    },
    onFlowTrigger: () => {
      ctx.summary.flowTriggers++;
    },
  };
}

/** A reminder's period is its code's period + `:remind:<moment>` (a birthday's year, a campaign run). */
function issueKeyOfReminder(row: Pick<IssuedRow, "ruleId" | "customerShopifyId" | "idempotencyKey">): string | null {
  const m = /^(.+):remind:[+-]?\d+$/.exec(periodOfKey(row.idempotencyKey));
  return m ? idempotencyKey(row.ruleId, row.customerShopifyId, m[1]) : null;
}

async function advanceReminder(ctx: RunContext, row: IssuedRow, decision: Decision, rule: Rule): Promise<void> {
  const issueKey = issueKeyOfReminder(row);
  const issue = issueKey ? (await findByKeys(ctx.shop, [issueKey])).get(issueKey) : undefined;
  if (issue?.status === "cancelled") {
    await markCancelled(ctx.shop, row.id);
    return;
  }
  if (!issue || ["failed", "expired", "withheld"].includes(issue.status) || !issue.code) {
    await markFailed(ctx.shop, row.id, "The code this reminder is about was never created");
    ctx.summary.failed++;
    return;
  }
  // The code isn't in Shopify yet (its creation is being retried): remind on the next run.
  if (issue.status === "recorded") return;
  if (new Date(decision.endsAt).getTime() <= ctx.now.getTime()) {
    await markExpired(ctx.shop, row.id);
    ctx.summary.expired++;
    return;
  }
  await deliverCode(issueContext(ctx), rule.name, decision, issue.code);
  await markDelivered(ctx.shop, row.id);
  ctx.summary.delivered++;
  log(ctx, "remind", row);
}

/** Points one row can spend: create + metafieldsSet + flowTriggerReceive, about 10 each. */
const ROW_COST = 30;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the bucket (as Shopify last reported it) holds a row's worth of points, so bulk runs
 * flow at the restore rate instead of bouncing off THROTTLED answers (the client still retries those).
 */
async function paceForRow(ctx: RunContext): Promise<void> {
  const status = ctx.client.lastCost?.throttleStatus;
  if (!status || status.restoreRate <= 0 || status.currentlyAvailable >= ROW_COST) return;
  await (ctx.deps.sleep ?? defaultSleep)(Math.ceil(((ROW_COST - status.currentlyAvailable) / status.restoreRate) * 1000));
}

async function advance(ctx: RunContext, row: IssuedRow, decision: Decision | null, fresh: boolean): Promise<void> {
  const rule = ctx.rules.get(row.ruleId);
  try {
    const outcome = await settle(issueContext(ctx), row, async () => {
      const d = decision ?? (rule ? decisionFromRow(row, rule, ctx.timeZone) : null);
      if (!rule || !d) {
        // Rule deleted or changed beyond recognition: keep what Shopify has, create and send nothing new.
        const gone = "The rule no longer exists or no longer has this reward";
        if (row.status === "created") {
          await noteError(ctx.shop, row.id, gone);
          return;
        }
        // A store-credit row's code is only the ledger's reference, never a discount in Shopify.
        const existing = row.kind === "issue" && row.code && !isStoreCreditRow(row) ? await findDiscountByCode(ctx.client, row.code) : null;
        if (existing) await markCreated(ctx.shop, row.id, existing.id);
        else await markFailed(ctx.shop, row.id, gone);
        return;
      }
      await paceForRow(ctx);
      if (row.kind === "issue") await advanceIssue(issueContext(ctx), row, d, rule.name, { fresh, deliver: true });
      else if (row.kind === "remind") await advanceReminder(ctx, row, d, rule);
    });
    if (outcome.status !== "retryLater") {
      ctx.consecutiveFailures = 0;
      return;
    }
    // Network, auth or Shopify trouble: the row stays as it is and the next run resumes it.
    ctx.summary.retryLater++;
    log(ctx, "retryLater", row, errorMessage(outcome.error));
    if (++ctx.consecutiveFailures >= (ctx.deps.maxConsecutiveFailures ?? 3)) throw new IssuanceInterruptedError(outcome.error, ctx.summary);
  } finally {
    await ctx.deps.heartbeat?.();
  }
}

/**
 * Audience rows in large groups go to a shared discount in bulk (docs/decisions/021), then are delivered
 * one by one; returns the rows left for the per-customer path.
 */
async function advanceAudienceInBulk(ctx: RunContext, items: BulkItem[]): Promise<BulkItem[]> {
  const { groups } = partitionForBulk(
    items.filter((i) => sharesDiscount(i.row, i.decision, ctx.rules.get(i.row.ruleId))),
    ctx.deps.sharedDiscountMinCodes,
  );
  const bulkRows = new Set(groups.flat().map((i) => i.row.id));
  const bulk = {
    shop: ctx.shop,
    client: ctx.client,
    now: ctx.now,
    sleep: ctx.deps.sleep ?? defaultSleep,
    onStep: (step: "create" | "adopt" | "fail" | "expire", row: IssuedRow, detail?: string) => {
      ctx.summary[COUNTER[step]]++;
      log(ctx, step, row, detail);
    },
  };
  for (const group of groups) {
    const rule = ctx.rules.get(group[0].row.ruleId)!;
    let created: IssuedRow[];
    try {
      created = await issueGroup(bulk, group, rule.name);
      ctx.consecutiveFailures = 0;
    } catch (error) {
      // Network, auth or Shopify trouble: the group's rows stay `recorded` and the next run reconciles them.
      ctx.summary.retryLater += group.length;
      log(ctx, "retryLater", group[0].row, errorMessage(error));
      if (++ctx.consecutiveFailures >= (ctx.deps.maxConsecutiveFailures ?? 3)) throw new IssuanceInterruptedError(error, ctx.summary);
      continue;
    }
    const decisions = new Map(group.map((i) => [i.row.id, i.decision]));
    const toDeliver = await deliverCreatedInBulk(
      ctx,
      created.map((row) => ({ row, decision: decisions.get(row.id)! })),
    );
    for (const { row, decision } of toDeliver) await advance(ctx, row, decision, false);
    await ctx.deps.heartbeat?.();
  }
  return items.filter((i) => !bulkRows.has(i.row.id));
}

function bulkDeliveryContext(ctx: RunContext) {
  return {
    shop: ctx.shop,
    client: ctx.client,
    now: ctx.now,
    currencyCode: ctx.currencyCode,
    shopLocale: ctx.shopLocale,
    bulk: {
      // The daily run's lease is renewed while a bulk operation is waited for, as after each row.
      sleep: async (ms: number) => {
        await (ctx.deps.sleep ?? defaultSleep)(ms);
        await ctx.deps.heartbeat?.();
      },
      now: ctx.deps.now,
      pollMs: ctx.deps.bulkPollMs,
      crashAt: ctx.deps.bulkCrashAt,
    },
    onDelivered: (row: IssuedRow) => {
      ctx.summary.delivered++;
      ctx.summary.deliveredInBulk++;
      log(ctx, "deliver", row, "bulk");
    },
  };
}

/**
 * Codes of one audience run, created in Shopify: delivered by one bulk mutation when they are many (decision 024).
 * Returns what is left for the per-customer path (few codes, or lines Shopify refused).
 */
async function deliverCreatedInBulk(ctx: RunContext, items: BulkDeliveryItem[]): Promise<BulkDeliveryItem[]> {
  if (items.length < (ctx.deps.bulkDeliveryMinCodes ?? BULK_DELIVERY_MIN_CODES)) return items;
  try {
    return await deliverInBulk(bulkDeliveryContext(ctx), items);
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    // Shopify or the network failed the bulk run: the rows stay `created`; the next run delivers them.
    ctx.summary.retryLater += items.length;
    log(ctx, "retryLater", items[0].row, errorMessage(error));
    if (++ctx.consecutiveFailures >= (ctx.deps.maxConsecutiveFailures ?? 3)) throw new IssuanceInterruptedError(error, ctx.summary);
    return [];
  }
}

type ShopRow = NonNullable<Awaited<ReturnType<typeof getShop>>>;

/** Everything `decideDay` needs for the shop on `today`, read from the database. */
export async function loadScheduleInput(
  shop: string,
  today: LocalDate,
  now: Date,
  loaded?: { shopRow: ShopRow; stored: StoredRule[] },
  birthdayMomentsDue = true,
  /** A rule decided beside the enabled ones (a preview's draft, which may be off). */
  alsoDeciding?: Rule | RuleDraft,
): Promise<{ input: ScheduleInput; tierRuleIds: string[]; stored: StoredRule[] }> {
  const shopRow = loaded?.shopRow ?? (await getShop(shop));
  if (!shopRow) throw new Error(`Unknown shop ${shop}`);
  const stored = loaded?.stored ?? (await listRules(shop)).rules;
  const rules = stored.map((s) => s.rule);
  const timeZone = shopRow.ianaTimezone;
  const tierRuleIds = rules.filter((r) => TIER_KINDS.includes(r.kind)).map((r) => r.id);
  const tierStates = await loadTierStates(shop, tierRuleIds);
  const ledger = await listIssuedRecords(shop, timeZone);
  const feedbackRules = stored.filter((s) => rewardKind(s.rule.kind).thanksPeriod && s.rule.enabled);
  const feedbackSince = new Date(Math.min(...feedbackRules.map((s) => s.createdAt.getTime())));
  const settings = readShopSettings(shopRow.settings);
  const input: ScheduleInput = {
    today,
    timeZone,
    rules,
    // Every order of the shop is read only when a rule to decide is of a kind that reads the history.
    customers: await loadRewardCustomers(
      shop,
      timeZone,
      now,
      tierStates,
      undefined,
      readsOrderHistory([...rules.filter((r) => r.enabled), ...(alsoDeciding ? [alsoDeciding] : [])].map((r) => r.kind)),
    ),
    issued: ledger,
    budgetUsedThisMonth: usageThisMonth(ledger, today),
    feedback: feedbackRules.length ? await loadFeedbackEvents(shop, timeZone, now, feedbackSince) : [],
    costAssumptions: await costAssumptions(shop, settings.averageShippingCost),
    currencyCode: shopRow.currencyCode,
    customerCaps: settings.customerCaps,
    kindsNeedingConsent: kindsNeedingConsent(settings.consent),
    delivery: {
      flowWorkflow: (await flowUsage(shop)).active,
      customerAccountPage: customerAccountPageInUse(await getSurfaceUse(shop, "customerAccountPage"), now),
    },
    birthdays: { minNoticeDays: settings.birthdays.minNoticeDays, momentsDue: birthdayMomentsDue },
  };
  return { input, tierRuleIds, stored };
}

/**
 * "N customers would get this on <day>": the real daily decision for one rule (saved or a draft) on
 * its first day (today, or a campaign's start date), against today's customers and ledger (the budget
 * of that day's month). Feedback events are those already received.
 */
export async function previewForShop(
  shop: string,
  rule: Rule | RuleDraft,
  now = new Date(),
): Promise<RulePreview & { today: LocalDate; day: LocalDate }> {
  const shopRow = await getShop(shop);
  if (!shopRow) throw new Error(`Unknown shop ${shop}`);
  const today = localDateAt(now, shopRow.ianaTimezone);
  const day = previewDay(rule, today);
  const { input } = await loadScheduleInput(shop, day, now, { shopRow, stored: (await listRules(shop)).rules }, true, rule);
  let feedback = input.feedback;
  // An unsaved feedback rule would only see responses from after it is saved; preview the last week's.
  if (rewardKind(rule.kind).thanksPeriod && !("id" in rule)) feedback = await loadFeedbackEvents(shop, input.timeZone, now, new Date(0));
  return { ...previewRule(rule, { ...input, feedback }), today, day };
}

export const ISSUANCE_JOB_PREFIX = "issuance:";

/** The lease key of a shop's daily run for one shop-local day. */
export function issuanceJobKey(localDate: string): string {
  return `${ISSUANCE_JOB_PREFIX}${localDate}`;
}

/**
 * What turning `ruleId` on would issue on its first run: the daily decision for the day of the next
 * run (today, unless today's run has already decided; then tomorrow), with the shop's other enabled
 * rules, ledger and per-customer caps, exactly as `runIssuance` will load them. Writes nothing and
 * calls nothing in Shopify. Null when the rule does not exist (or no longer validates).
 */
export async function firstRunForShop(shop: string, ruleId: string, now = new Date()): Promise<(FirstRun & { startsAt: string }) | null> {
  const shopRow = await getShop(shop);
  if (!shopRow) throw new Error(`Unknown shop ${shop}`);
  const stored = (await listRules(shop)).rules;
  if (!stored.some((s) => s.rule.id === ruleId)) return null;
  const timeZone = shopRow.ianaTimezone;
  const today = localDateAt(now, timeZone);
  const todays = await findJobRun(shop, issuanceJobKey(today));
  // A run that has started (or finished) today decided without this rule: its first run is tomorrow's.
  const decided = todays !== null && todays.status !== "failed";
  const runsOn = decided ? addDays(today, 1) : today;
  const at = decided ? startOfLocalDay(runsOn, timeZone) : now;
  const withRule = stored.map((s) => (s.rule.id === ruleId ? { ...s, rule: { ...s.rule, enabled: true } as Rule } : s));
  const { input } = await loadScheduleInput(shop, runsOn, at, { shopRow, stored: withRule });
  return { ...firstRun(ruleId, input), startsAt: at.toISOString() };
}

export async function runIssuance(shop: string, today: LocalDate, deps: IssuanceDeps): Promise<IssuanceSummary> {
  if (deps.client.shop !== shop) throw new Error(`Admin client is for ${deps.client.shop}, not ${shop}`);
  const now = deps.now?.() ?? new Date();
  const shopRow = await getShop(shop);
  if (!shopRow) throw new Error(`Unknown shop ${shop}`);
  const timeZone = shopRow.ianaTimezone;
  const { rules: listed, invalid } = await listRules(shop);
  const stored = deps.onlyKinds ? listed.filter((s) => deps.onlyKinds!.includes(s.rule.kind)) : listed;
  const rules = stored.map((s) => s.rule);
  const summary: IssuanceSummary = {
    shop,
    today,
    decisions: 0,
    created: 0,
    adopted: 0,
    delivered: 0,
    deliveredInBulk: 0,
    flowTriggers: 0,
    heldOut: 0,
    withheld: {},
    excludedForConsent: 0,
    failed: 0,
    expired: 0,
    reconciled: 0,
    retryLater: 0,
    tierChanges: 0,
    capped: 0,
    paused: [],
    invalidRules: invalid.map((r) => r.id),
  };
  const ctx: RunContext = {
    shop,
    shopLocale: shopLocaleOnce(deps.client),
    client: deps.client,
    timeZone,
    currencyCode: shopRow.currencyCode,
    rules: new Map(rules.map((r) => [r.id, r])),
    now,
    deps,
    summary,
    consecutiveFailures: 0,
  };

  // 1. Rows earlier runs left half-done: bulk deliveries an interrupted run started are finished from their
  //    result files first; the rest is resolved against Shopify by their code.
  try {
    const resumed = await resumeBulkDeliveries(bulkDeliveryContext(ctx));
    summary.delivered += resumed;
    summary.deliveredInBulk += resumed;
    summary.reconciled += resumed;
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    // Shopify unreachable: the interrupted deliveries stay as they are (their rows are skipped below) for the next run.
    summary.retryLater++;
    ctx.deps.log?.({ shop, step: "retryLater", idempotencyKey: "bulk-delivery", detail: errorMessage(error) });
  }
  const stillSending = await codesInUnfinishedDeliveries(shop);
  const progress = () => summary.created + summary.adopted + summary.delivered + summary.expired;
  const pending = (await pendingRows(shop, now)).filter((row) => !row.code || !stillSending.has(row.code));
  const bulkStart = progress();
  const pendingAudience = pending.flatMap((row) => {
    const rule = ctx.rules.get(row.ruleId);
    const decision = row.status === "recorded" && rule ? decisionFromRow(row, rule, timeZone) : null;
    return decision ? [{ row, decision }] : [];
  });
  const leftPending = new Set((await advanceAudienceInBulk(ctx, pendingAudience)).map((i) => i.row.id));
  const inBulk = new Set(pendingAudience.filter((i) => !leftPending.has(i.row.id)).map((i) => i.row.id));
  summary.reconciled += Math.min(inBulk.size, progress() - bulkStart);
  // Audience codes created but not delivered (a run died between creating and delivering them).
  const createdAudience = pending.flatMap((row) => {
    const rule = ctx.rules.get(row.ruleId);
    const decision = row.status === "created" && row.kind === "issue" && rule ? decisionFromRow(row, rule, timeZone) : null;
    return decision && sharesDiscount(row, decision, rule) ? [{ row, decision }] : [];
  });
  const deliveredBefore = summary.delivered;
  const leftCreated = new Set((await deliverCreatedInBulk(ctx, createdAudience)).map((i) => i.row.id));
  summary.reconciled += summary.delivered - deliveredBefore;
  for (const { row } of createdAudience) if (!leftCreated.has(row.id)) inBulk.add(row.id);
  const perCustomer = pending.filter((r) => !inBulk.has(r.id));
  // Codes before reminders: a reminder waits for its code to exist in Shopify.
  for (const row of [...perCustomer.filter((r) => r.kind === "issue"), ...perCustomer.filter((r) => r.kind !== "issue")]) {
    const before = progress();
    await advance(ctx, row, null, false);
    if (progress() > before) summary.reconciled++;
  }

  // 2. Today's decisions.
  const { input, tierRuleIds } = await loadScheduleInput(shop, today, now, { shopRow, stored }, deps.birthdayMomentsDue ?? true);
  // On a worker thread: seconds of CPU on a large shop (day-decisions.server.ts); the same decisions.
  const { result } = await decideDayOffThread(input, { hold: deps.holdDecisions });
  summary.decisions = result.decisions.length;
  summary.paused = result.paused;
  summary.capped = result.capped.length;
  summary.tierChanges = result.tierUpdates.reduce((n, u) => n + u.changes.length, 0);
  await saveTierUpdates(shop, result.tierUpdates, tierRuleIds[0] ?? null);
  if (summary.tierChanges > 0) dashboardFiguresChanged(shop);
  await savePauses(
    shop,
    stored.filter((s) => s.rule.enabled),
    result.paused,
  );

  // 3. Record everything before the first Shopify call. Reminders carry their birthday code, so
  //    they are recorded after the issues they refer to.
  const randomBytes = deps.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  const decidedAt = decisionInstant(today, now, timeZone);
  const grants: NewLedgerRow[] = result.decisions
    .filter((d) => d.kind !== "remind")
    .map((d) => ({ decision: d, code: d.kind === "issue" && !d.withheldReason ? generateDiscountCode(randomBytes) : null }));
  const recorded = await recordDecisions(shop, grants, decidedAt);
  const reminders = result.decisions.filter((d) => d.kind === "remind");
  const issueKeyOf = (d: Decision) =>
    issueKeyOfReminder({ ruleId: d.ruleId, customerShopifyId: d.customerId, idempotencyKey: d.idempotencyKey }) ?? "";
  const issueRows = await findByKeys(shop, reminders.map(issueKeyOf));
  const reminderRows = reminders.map((d) => ({ decision: d, code: issueRows.get(issueKeyOf(d))?.code ?? null }));
  for (const [key, row] of await recordDecisions(shop, reminderRows, decidedAt)) recorded.set(key, row);
  summary.heldOut = result.decisions.filter((d) => d.kind === "holdout").length;
  for (const d of result.decisions)
    if (d.withheldReason) summary.withheld[d.withheldReason] = (summary.withheld[d.withheldReason] ?? 0) + 1;
  summary.excludedForConsent = Object.values(result.excludedForConsent).reduce((n, v) => n + v, 0);

  // 4. Shopify, one row at a time; rows recorded by someone else (another code) are theirs to finish.
  const offered = new Map([...grants, ...reminderRows].map((g) => [g.decision.idempotencyKey, g.code]));
  const ours = (d: Decision) => {
    const row = recorded.get(d.idempotencyKey);
    return row && row.code === offered.get(d.idempotencyKey) && row.status === "recorded" ? row : null;
  };
  const freshIssues = result.decisions.filter((d) => d.kind === "issue" && !d.withheldReason);
  const audience = freshIssues.flatMap((decision) => {
    const row = ours(decision);
    return row ? [{ row, decision }] : [];
  });
  const leftFresh = new Set((await advanceAudienceInBulk(ctx, audience)).map((i) => i.row.id));
  for (const decision of [...freshIssues, ...reminders]) {
    const row = ours(decision);
    if (!row || (decision.kind === "issue" && !leftFresh.has(row.id))) continue;
    await advance(ctx, row, decision, decision.kind === "issue");
  }
  return summary;
}
