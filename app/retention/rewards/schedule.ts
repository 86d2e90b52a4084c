/**
 * The daily decision: given the shop-local date, the shop's rules, its customers and what was
 * already recorded, who is due what today. Pure and deterministic: the same input gives the same
 * decisions, and recording today's decisions and running again gives nothing new (every decision's
 * idempotency key is checked against the records).
 */
import { addUsage, budgetPauseReason, checkBudget, NO_USAGE, type BudgetUsage } from "./budget";
import { idempotencyKey } from "./codes";
import { isHeldOut } from "./holdout";
import { isLocalDate, type LocalDate } from "./local-date";
import { estimateRedemptionCost, type CostAssumptions } from "./reward-cost";
import { REWARD_KINDS, rewardKind, RULE_KINDS, type RewardReason, type RuleKind } from "./kinds";
import type { Reward, Rule } from "./rule-schema";
import type { TierChange, TierMetrics, TierState } from "./tiers";
import { isValidTimeZone } from "./time-zone";

export type DecisionKind = "issue" | "remind" | "holdout";

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
  /** Shop-local day the birthday was last set or changed (anti-gaming), when known. */
  birthdayChangedOn?: LocalDate | null;
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
  /** The shop's birthday rules (settings); absent: no anti-gaming wait, moments due all day. */
  birthdays?: {
    /** A birthday set fewer days than this before it falls earns no code that year. */
    minNoticeDays: number;
    /** False before the shop's birthday send hour: today's birthday codes and reminders wait. */
    momentsDue: boolean;
  };
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

/** One customer a rule would grant a code today; reason, channel and notification come from the rule's kind. */
export interface Candidate {
  customerId: string;
  period: string;
  explanation: string;
  startsAt: string;
  endsAt: string;
  reward: Reward;
  minimumSubtotal: number | null;
  tier?: string;
  predictedClv: number | null;
  averageOrderValue: number | null;
}

/** A reminder about a code already issued (no cost, never held out). */
/** A reminder of a code already granted: the grant's fields, when it goes out and whether it is the last. */
export interface ReminderCandidate extends Pick<Candidate, "customerId" | "period" | "explanation" | "startsAt" | "endsAt" | "reward" | "minimumSubtotal"> {
  moment: number;
  lastChance: boolean;
}

/** What a kind's `decide` may do with today's run. */
export interface DayRun {
  readonly tierUpdates: TierUpdate[];
  has(key: string): boolean;
  kindOf(key: string): DecisionKind | undefined;
  recordsFor(ruleId: string, customerId: string): readonly IssuedRecord[];
  /** Holdout, budget and idempotency for one rule's candidates. */
  grant(rule: Rule, candidates: Candidate[]): void;
  remind(rule: Rule, reminder: ReminderCandidate): void;
  /** The customer's tier after today's evaluation (the first program that knows the customer wins). */
  noteTier(customerId: string, tier: string | null): void;
  tierOf(customerId: string): string | null | undefined;
}

// When a budget can't cover everyone, the customers with the highest predicted value go first.
function byPriority(a: Candidate, b: Candidate): number {
  const av = a.predictedClv ?? -Infinity;
  const bv = b.predictedClv ?? -Infinity;
  if (av !== bv) return bv - av;
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

class Run implements DayRun {
  readonly decisions: Decision[] = [];
  readonly paused: RulePause[] = [];
  readonly tierUpdates: TierUpdate[] = [];
  private readonly recorded = new Map<string, IssuedRecord>();
  private readonly recordsByRuleCustomer = new Map<string, IssuedRecord[]>();
  private readonly currentTier = new Map<string, string | null>();

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

  noteTier(customerId: string, tier: string | null): void {
    if (!this.currentTier.has(customerId)) this.currentTier.set(customerId, tier);
  }

  tierOf(customerId: string): string | null | undefined {
    return this.currentTier.get(customerId);
  }

  remind(rule: Rule, r: ReminderCandidate): void {
    this.push({
      idempotencyKey: idempotencyKey(rule.id, r.customerId, r.period),
      ruleId: rule.id,
      ruleKind: rule.kind,
      customerId: r.customerId,
      kind: "remind",
      period: r.period,
      decidedOn: this.input.today,
      reason: REWARD_KINDS[rule.kind].reason,
      explanation: r.explanation,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      reward: r.reward,
      minimumSubtotal: r.minimumSubtotal,
      moment: r.moment,
      lastChance: r.lastChance,
      estimatedCost: 0,
      notify: true,
      channel: REWARD_KINDS[rule.kind].channel,
    });
  }

  /** Holdout, budget and idempotency for one rule's candidates. */
  grant(rule: Rule, candidates: Candidate[]): void {
    const { today, costAssumptions } = this.input;
    const kind = REWARD_KINDS[rule.kind];
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
        reason: kind.reason,
        explanation: c.explanation,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        reward: c.reward,
        minimumSubtotal: c.minimumSubtotal,
        channel: kind.channel,
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
      this.push({ ...base, kind: "issue", estimatedCost: cost, notify: kind.notifyOnIssue });
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

/** Decide everything due on `input.today` (shop-local) for one shop. */
export function decideDay(input: ScheduleInput): ScheduleResult {
  if (!isLocalDate(input.today)) throw new RangeError(`today must be a shop-local date (YYYY-MM-DD): ${input.today}`);
  if (!isValidTimeZone(input.timeZone)) throw new RangeError(`Unknown time zone: ${input.timeZone}`);
  const run = new Run(input);
  const rules = input.rules.filter((r) => r.enabled);
  const customers = new Map(input.customers.map((c) => [c.id, c]));
  // Kinds that decide first (tiers: campaign audiences use today's tiers), then the rest in rule order.
  const first = new Set<RuleKind>(RULE_KINDS.filter((k) => rewardKind(k).decidesFirst));
  for (const rule of [...rules.filter((r) => first.has(r.kind)), ...rules.filter((r) => !first.has(r.kind))]) {
    rewardKind(rule.kind).decide(run, rule, input, customers);
  }
  return { decisions: run.decisions, paused: run.paused, tierUpdates: run.tierUpdates };
}
