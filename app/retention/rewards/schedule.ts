/**
 * The daily decision: given the shop-local date, the shop's rules, its customers and what was
 * already recorded, who is due what today. Pure and deterministic: the same input gives the same
 * decisions, and recording today's decisions and running again gives nothing new (every decision's
 * idempotency key is checked against the records).
 */
import {
  dueMoments,
  parseBirthday,
  reminderMoments,
  windowContaining,
  windowInstants,
  type BirthdayWindow,
} from "./birthdays";
import { addUsage, budgetPauseReason, checkBudget, NO_USAGE, type BudgetUsage } from "./budget";
import { idempotencyKey, lapseDateOfPeriod, periods } from "./codes";
import { isCampaignActive } from "./holidays";
import { isHeldOut } from "./holdout";
import { addDays, compareLocalDates, isLocalDate, type LocalDate } from "./local-date";
import { estimateRedemptionCost, type CostAssumptions } from "./reward-cost";
import type {
  BirthdayRule,
  FeedbackThanksRule,
  HolidayCampaignRule,
  Reward,
  Rule,
  RuleKind,
  TierProgramRule,
  WinbackRule,
} from "./rule-schema";
import { evaluateTier, NO_TIER, type TierChange, type TierMetrics, type TierState } from "./tiers";
import { isValidTimeZone, validityInstants } from "./time-zone";
import { winbackVerdict, type PreviousWinbackOffer } from "./winback";

export type DecisionKind = "issue" | "remind" | "holdout";
/** Stable reason codes, also sent to Flow so merchants can branch on them. */
export type RewardReason = "tierUpgrade" | "birthday" | "winback" | "campaign" | "feedbackThanks";

/** What the issuance job stores (in `IssuedDiscount`) before calling Shopify. */
export interface IssuedRecord {
  idempotencyKey: string;
  ruleId: string;
  customerId: string;
  kind: DecisionKind;
  period: string;
  decidedOn: LocalDate;
}

export interface Decision extends IssuedRecord {
  ruleKind: RuleKind;
  reason: RewardReason;
  /** One line for the merchant: why this customer, why today. */
  explanation: string;
  /** Code validity as ISO instants (shop-local day boundaries). */
  startsAt: string;
  endsAt: string;
  reward: Reward;
  minimumSubtotal: number | null;
  /** Birthday reminders: days relative to the birthday. */
  moment?: number;
  lastChance?: boolean;
  tier?: string;
  /** Cost if redeemed (issue decisions only; 0 for reminders and holdouts). */
  estimatedCost: number;
  /** Fire the Flow trigger for this decision (consent already checked for promotional ones). */
  notify: boolean;
  channel: "promotional" | "transactional";
}

export interface CustomerSnapshot {
  id: string;
  lifecycleGroup: string | null;
  lapsedSince: LocalDate | null;
  tierMetrics: TierMetrics;
  predictedClv: number | null;
  /** `facts.birth_date` ("YYYY-MM-DD") or year-less "--MM-DD". */
  birthday: string | null;
  /** Email marketing state is SUBSCRIBED. */
  marketingConsent: boolean;
  segmentIds?: readonly string[];
  averageOrderValue?: number | null;
  /** Current tier state per loyalty program rule id. */
  tierStates?: Readonly<Record<string, TierState>>;
}

export interface FeedbackEvent {
  customerId: string;
  responseId: string;
  receivedOn: LocalDate;
  /** Carried for completeness and deliberately ignored: thanks never depend on the score. */
  score?: number | null;
}

export interface ScheduleInput {
  today: LocalDate;
  timeZone: string;
  rules: readonly Rule[];
  customers: readonly CustomerSnapshot[];
  issued: readonly IssuedRecord[];
  budgetUsedThisMonth?: Readonly<Record<string, BudgetUsage>>;
  feedback?: readonly FeedbackEvent[];
  costAssumptions: CostAssumptions;
  currencyCode?: string;
}

export interface RulePause {
  ruleId: string;
  limit: "count" | "amount";
  /** Customers due a code today who did not get one. */
  withheld: number;
  reason: string;
}

export interface TierUpdate {
  ruleId: string;
  customerId: string;
  state: TierState;
  changes: TierChange[];
}

export interface ScheduleResult {
  decisions: Decision[];
  paused: RulePause[];
  /** Tier states that changed today; persist them with the decisions. */
  tierUpdates: TierUpdate[];
}

interface Candidate {
  customerId: string;
  period: string;
  reason: RewardReason;
  explanation: string;
  startsAt: string;
  endsAt: string;
  reward: Reward;
  minimumSubtotal: number | null;
  channel: Decision["channel"];
  notify: boolean;
  tier?: string;
  predictedClv: number | null;
  averageOrderValue: number | null;
}

// When a budget can't cover everyone, the customers with the highest predicted value go first.
function byPriority(a: Candidate, b: Candidate): number {
  const av = a.predictedClv ?? -Infinity;
  const bv = b.predictedClv ?? -Infinity;
  if (av !== bv) return bv - av;
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

class Run {
  readonly decisions: Decision[] = [];
  readonly paused: RulePause[] = [];
  readonly tierUpdates: TierUpdate[] = [];
  private readonly recorded = new Map<string, IssuedRecord>();
  private readonly recordsByRuleCustomer = new Map<string, IssuedRecord[]>();
  /** Current tier per customer, after today's evaluation (first program that knows the customer). */
  readonly currentTier = new Map<string, string | null>();

  constructor(private readonly input: ScheduleInput) {
    for (const r of input.issued) {
      this.recorded.set(r.idempotencyKey, r);
      const k = `${r.ruleId}\u0000${r.customerId}`;
      const list = this.recordsByRuleCustomer.get(k);
      if (list) list.push(r);
      else this.recordsByRuleCustomer.set(k, [r]);
    }
  }

  has(key: string): boolean {
    return this.recorded.has(key);
  }

  kindOf(key: string): DecisionKind | undefined {
    return this.recorded.get(key)?.kind;
  }

  recordsFor(ruleId: string, customerId: string): readonly IssuedRecord[] {
    return this.recordsByRuleCustomer.get(`${ruleId}\u0000${customerId}`) ?? [];
  }

  push(decision: Decision): void {
    this.decisions.push(decision);
    this.recorded.set(decision.idempotencyKey, decision);
  }

  /** Holdout, budget and idempotency for one rule's candidates. */
  grant(rule: Rule, candidates: Candidate[]): void {
    const { today, costAssumptions } = this.input;
    let used = this.input.budgetUsedThisMonth?.[rule.id] ?? NO_USAGE;
    let limit: "count" | "amount" | null = null;
    let withheld = 0;
    for (const c of [...candidates].sort(byPriority)) {
      const key = idempotencyKey(rule.id, c.customerId, c.period);
      if (this.has(key)) continue;
      if (limit) {
        withheld++;
        continue;
      }
      const base = {
        idempotencyKey: key,
        ruleId: rule.id,
        ruleKind: rule.kind,
        customerId: c.customerId,
        period: c.period,
        decidedOn: today,
        reason: c.reason,
        explanation: c.explanation,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        reward: c.reward,
        minimumSubtotal: c.minimumSubtotal,
        channel: c.channel,
        ...(c.tier ? { tier: c.tier } : {}),
      };
      if (isHeldOut(rule.id, c.customerId, rule.holdoutShare)) {
        this.push({ ...base, kind: "holdout", estimatedCost: 0, notify: false });
        continue;
      }
      const cost = estimateRedemptionCost(c.reward, c.minimumSubtotal, costAssumptions, c.averageOrderValue);
      const check = checkBudget(rule.budget, used, cost);
      if (!check.ok) {
        limit = check.limit;
        withheld++;
        continue;
      }
      used = addUsage(used, cost);
      this.push({ ...base, kind: "issue", estimatedCost: cost, notify: c.notify });
    }
    if (limit && rule.budget) {
      this.paused.push({
        ruleId: rule.id,
        limit,
        withheld,
        reason: budgetPauseReason(rule.budget, used, limit, today, withheld, this.input.currencyCode),
      });
    }
  }
}

function daysValidFrom(today: LocalDate, validityDays: number, timeZone: string) {
  return validityInstants(today, addDays(today, validityDays - 1), timeZone);
}

function tierProgram(run: Run, rule: TierProgramRule, input: ScheduleInput): void {
  const candidates: Candidate[] = [];
  for (const customer of input.customers) {
    const before = customer.tierStates?.[rule.id] ?? NO_TIER;
    const result = evaluateTier(rule, before, customer.tierMetrics, customer.predictedClv, input.today);
    if (!run.currentTier.has(customer.id)) run.currentTier.set(customer.id, result.state.tier);
    if (result.state !== before) {
      run.tierUpdates.push({ ruleId: rule.id, customerId: customer.id, state: result.state, changes: result.changes });
    }
    const tierName = result.issueTierCode;
    const tier = rule.tiers.find((t) => t.name === tierName);
    if (!tier?.reward) continue;
    candidates.push({
      customerId: customer.id,
      period: rule.oncePerCustomer ? periods.tier(tier.name) : periods.tier(tier.name, input.today),
      reason: "tierUpgrade",
      explanation: `Reached ${tier.name}: ${rule.metric} ${result.value} ≥ ${tier.threshold}.`,
      ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
      ...offerFields({ reward: tier.reward, minimumSubtotal: tier.minimumSubtotal }, customer),
      channel: "transactional",
      notify: true,
      tier: tier.name,
    });
  }
  run.grant(rule, candidates);
}

function birthdays(run: Run, rule: BirthdayRule, input: ScheduleInput): void {
  const candidates: Candidate[] = [];
  const inWindow: { customer: CustomerSnapshot; window: BirthdayWindow }[] = [];
  for (const customer of input.customers) {
    const birthday = parseBirthday(customer.birthday);
    if (!birthday) continue;
    const window = windowContaining(birthday, input.today, rule);
    if (!window) continue;
    inWindow.push({ customer, window });
    candidates.push({
      customerId: customer.id,
      period: periods.birthday(window.year),
      reason: "birthday",
      explanation: `Birthday on ${window.birthday}; code valid ${window.startsOn} to ${window.endsOn}.`,
      ...windowInstants(window, input.timeZone),
      ...offerFields(rule, customer),
      channel: "promotional",
      // The reminders carry the message; issuing alone only creates the code.
      notify: false,
    });
  }
  run.grant(rule, candidates);

  for (const { customer, window } of inWindow.sort((a, b) => (a.customer.id < b.customer.id ? -1 : 1))) {
    if (!customer.marketingConsent) continue;
    if (run.kindOf(idempotencyKey(rule.id, customer.id, periods.birthday(window.year))) !== "issue") continue;
    const moments = reminderMoments(window, rule);
    const sent = moments
      .filter((m) => run.has(idempotencyKey(rule.id, customer.id, periods.birthdayReminder(window.year, m.offset))))
      .map((m) => m.offset);
    for (const m of dueMoments(moments, input.today, sent)) {
      const period = periods.birthdayReminder(window.year, m.offset);
      run.push({
        idempotencyKey: idempotencyKey(rule.id, customer.id, period),
        ruleId: rule.id,
        ruleKind: rule.kind,
        customerId: customer.id,
        kind: "remind",
        period,
        decidedOn: input.today,
        reason: "birthday",
        explanation: m.lastChance
          ? `Last chance: birthday code ends ${window.endsOn}.`
          : `Reminder ${m.offset === 0 ? "on the birthday" : `${Math.abs(m.offset)} days ${m.offset < 0 ? "before" : "after"} the birthday`} (${window.birthday}).`,
        ...windowInstants(window, input.timeZone),
        reward: rule.reward,
        minimumSubtotal: rule.minimumSubtotal ?? null,
        moment: m.offset,
        lastChance: m.lastChance,
        estimatedCost: 0,
        notify: true,
        channel: "promotional",
      });
    }
  }
}

/** What every candidate takes from the rule (or tier) and the customer, for the offer and its cost. */
function offerFields(
  source: { reward: Reward; minimumSubtotal?: number | null },
  customer: Pick<CustomerSnapshot, "predictedClv" | "averageOrderValue"> | undefined,
) {
  return {
    reward: source.reward,
    minimumSubtotal: source.minimumSubtotal ?? null,
    predictedClv: customer?.predictedClv ?? null,
    averageOrderValue: customer?.averageOrderValue ?? null,
  };
}

function winbacks(run: Run, rule: WinbackRule, input: ScheduleInput): void {
  const candidates: Candidate[] = [];
  for (const customer of input.customers) {
    // Promotional: an offer nobody may tell the customer about would only spend budget.
    if (!customer.marketingConsent) continue;
    const previous: PreviousWinbackOffer[] = [];
    for (const r of run.recordsFor(rule.id, customer.id)) {
      const lapsedSince = lapseDateOfPeriod(r.period);
      if (lapsedSince && r.kind !== "remind") previous.push({ lapsedSince, decidedOn: r.decidedOn });
    }
    const verdict = winbackVerdict(customer, previous, input.today, rule.cooldownDays);
    if (!verdict.due) continue;
    candidates.push({
      customerId: customer.id,
      period: verdict.period,
      reason: "winback",
      explanation: `Lapsed since ${verdict.lapsedSince}.`,
      ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
      ...offerFields(rule, customer),
      channel: "promotional",
      notify: true,
    });
  }
  run.grant(rule, candidates);
}

function inAudience(run: Run, rule: HolidayCampaignRule, customer: CustomerSnapshot): boolean {
  const a = rule.audience;
  switch (a.type) {
    case "everyoneWithConsent":
      return true;
    case "segment":
      return customer.segmentIds?.includes(a.segmentId) ?? false;
    case "tier":
      return run.currentTier.get(customer.id) === a.tier;
  }
}

function campaign(run: Run, rule: HolidayCampaignRule, input: ScheduleInput): void {
  if (!isCampaignActive(rule, input.today)) return;
  const candidates: Candidate[] = [];
  for (const customer of input.customers) {
    if (!customer.marketingConsent || !inAudience(run, rule, customer)) continue;
    candidates.push({
      customerId: customer.id,
      period: periods.campaign(rule.id),
      reason: "campaign",
      explanation: `${rule.name} runs ${rule.startsAt} to ${rule.endsAt}.`,
      ...validityInstants(rule.startsAt, rule.endsAt, input.timeZone),
      ...offerFields(rule, customer),
      channel: "promotional",
      notify: true,
    });
  }
  run.grant(rule, candidates);
}

function feedbackThanks(run: Run, rule: FeedbackThanksRule, input: ScheduleInput, customers: Map<string, CustomerSnapshot>): void {
  const candidates = new Map<string, Candidate>();
  const events = [...(input.feedback ?? [])]
    .filter((e) => compareLocalDates(e.receivedOn, input.today) <= 0)
    .sort((a, b) => compareLocalDates(a.receivedOn, b.receivedOn) || (a.responseId < b.responseId ? -1 : 1));
  for (const e of events) {
    // At most one thank-you per customer per day, so a burst of responses can't mint a pile of codes.
    if (candidates.has(e.customerId)) continue;
    const period = rule.oncePerCustomer ? periods.feedback() : periods.feedback(e.responseId);
    if (run.has(idempotencyKey(rule.id, e.customerId, period))) continue;
    const customer = customers.get(e.customerId);
    candidates.set(e.customerId, {
      customerId: e.customerId,
      period,
      reason: "feedbackThanks",
      explanation: `Thanks for feedback ${e.responseId} (${e.receivedOn}).`,
      ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
      ...offerFields(rule, customer),
      channel: "transactional",
      notify: true,
    });
  }
  run.grant(rule, [...candidates.values()]);
}

/** Decide everything due on `input.today` (shop-local) for one shop. */
export function decideDay(input: ScheduleInput): ScheduleResult {
  if (!isLocalDate(input.today)) throw new RangeError(`today must be a shop-local date (YYYY-MM-DD): ${input.today}`);
  if (!isValidTimeZone(input.timeZone)) throw new RangeError(`Unknown time zone: ${input.timeZone}`);
  const run = new Run(input);
  const rules = input.rules.filter((r) => r.enabled);
  // Tiers first: campaign audiences use today's tiers.
  for (const rule of rules) if (rule.kind === "loyaltyTiers") tierProgram(run, rule, input);
  const customers = new Map(input.customers.map((c) => [c.id, c]));
  for (const rule of rules) {
    switch (rule.kind) {
      case "loyaltyTiers":
        break;
      case "birthday":
        birthdays(run, rule, input);
        break;
      case "winback":
        winbacks(run, rule, input);
        break;
      case "holidayCampaign":
        campaign(run, rule, input);
        break;
      case "feedbackThanks":
        feedbackThanks(run, rule, input, customers);
        break;
    }
  }
  return { decisions: run.decisions, paused: run.paused, tierUpdates: run.tierUpdates };
}
