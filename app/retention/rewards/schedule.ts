/**
 * The daily decision: given the shop-local date, the shop's rules, its customers and what was
 * already recorded, who is due what today. Pure and deterministic: the same input gives the same
 * decisions, and recording today's decisions and running again gives nothing new (every decision's
 * idempotency key is checked against the records).
 */
import type {
  CustomerSnapshot,
  DayInput,
  DayRun,
  DecisionKind,
  FeedbackEvent,
  IssuedRecord,
  Candidate,
  ReminderCandidate,
  TierUpdate,
} from "./day-run";
import { addUsage, budgetPauseReason, checkBudget, NO_USAGE, type BudgetUsage } from "./budget";
import { idempotencyKey } from "./codes";
import { assignArm } from "./holdout";
import { customerCapLimit, type CustomerCaps } from "./customer-caps";
import { isLocalDate, type LocalDate } from "../time";
import { estimateRedemptionCost, type CostAssumptions } from "./reward-cost";
import { combinesWithOf, REWARD_KINDS, rewardKind, RULE_KINDS, type RewardReason, type RuleKind } from "./kinds";
import type { CombinesWith, Reward, Rule } from "./rule-schema";
import { isValidTimeZone } from "../time";
export type {
  Candidate,
  CustomerSnapshot,
  DayInput,
  DayRun,
  DecisionKind,
  FeedbackEvent,
  GrantingRule,
  IssuedRecord,
  ReminderCandidate,
  TierUpdate,
} from "./day-run";

/** How the merchant classes a kind's rewards: promotional ones need marketing consent (when the shop's policy says so). */
export type RewardPurpose = "promotional" | "service";

/**
 * How a customer hears of a code: an enabled Flow workflow using Kinship's trigger, Shopify's own
 * store-credit notification, or the surface where it was earned (the survey's thank-you shows it).
 */
/**
 * How a customer hears of a code: a Flow workflow, Shopify's own store-credit email, the surface it was
 * earned on (the survey's thank-you), or the customer account page "My rewards", which lists every live
 * code of the signed-in customer (docs/decisions/026).
 */
export type DeliveryChannel = "flow" | "storeCredit" | "surface" | "customerAccountPage";

/** Why an issue was recorded but never created in Shopify. */
export const WITHHELD_REASONS = ["noDeliveryChannel"] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

/** What the shop has that can carry a code to a customer. */
export interface DeliveryOptions {
  /** Flow's lifecycle callback says an enabled workflow uses Kinship's trigger. */
  flowWorkflow: boolean;
  /** The shop's customer account page "My rewards" is in use (`customerAccountPageInUse`): it shows the code. */
  customerAccountPage?: boolean;
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
  /** Which of the shop's other discount classes the code combines with (the rule's, or its kind's default). */
  combinesWith: CombinesWith;
  /** A/B rules: the offer this customer's arm gets (issues and reminders); absent for other rules. */
  arm?: "A" | "B";
  /** Birthday reminders: days relative to the birthday. */
  moment?: number;
  lastChance?: boolean;
  tier?: string;
  /** Cost if redeemed (issue decisions only; 0 for reminders and holdouts). */
  estimatedCost: number;
  /** Fire the Flow trigger for this decision (consent already checked for promotional ones). */
  notify: boolean;
  channel: "promotional" | "transactional";
  /** How the customer hears of it (issues only); null when nothing can carry it: then it is withheld. */
  delivery?: DeliveryChannel | null;
  /** Set when the issue is recorded as withheld (never created in Shopify, costs nothing). */
  withheldReason?: WithheldReason;
}

export interface ScheduleInput extends DayInput {
  today: LocalDate;
  timeZone: string;
  rules: readonly Rule[];
  customers: readonly CustomerSnapshot[];
  issued: readonly IssuedRecord[];
  budgetUsedThisMonth?: Readonly<Record<string, BudgetUsage>>;
  feedback?: readonly FeedbackEvent[];
  costAssumptions: CostAssumptions;
  currencyCode?: string;
  /** Codes one customer may get across all rules per day and per 30 days (Settings); none when absent. */
  customerCaps?: CustomerCaps | null;
  /**
   * Rule kinds whose rewards need marketing consent (the shop's consent policy). Absent: the kinds
   * the registry calls promotional.
   */
  kindsNeedingConsent?: readonly RuleKind[];
  /** What can carry a code to a customer. Absent: the caller vouches that Flow does (decision tests of other concerns). */
  delivery?: DeliveryOptions;
}

export interface RulePause {
  ruleId: string;
  limit: "count" | "amount";
  /** Customers due a code today who did not get one. */
  withheld: number;
  reason: string;
}

/** A code a customer was due today but not given: the per-customer cap was reached (they may get it on a later day). */
export interface CappedDecision {
  ruleId: string;
  customerId: string;
  period: string;
  limit: "day" | "30days";
}

export interface ScheduleResult {
  decisions: Decision[];
  paused: RulePause[];
  /** Due but over the per-customer cap: counted, not recorded (the customer stays due). */
  capped: CappedDecision[];
  /** Per rule id: customers due a reward today who were left out because they have no marketing consent. */
  excludedForConsent: Record<string, number>;
  /** Tier states that changed today; persist them with the decisions. */
  tierUpdates: TierUpdate[];
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
  readonly capped: CappedDecision[] = [];
  readonly tierUpdates: TierUpdate[] = [];
  /** Days on which each customer was issued a code (earlier runs and this one), for the per-customer caps. */
  private readonly issueDays = new Map<string, LocalDate[]>();
  private readonly recorded = new Map<string, IssuedRecord>();
  private readonly recordsByRuleCustomer = new Map<string, IssuedRecord[]>();
  private readonly currentTier = new Map<string, string | null>();
  readonly excludedForConsent: Record<string, number> = {};
  private readonly customers: Map<string, CustomerSnapshot>;
  private readonly consentKinds: ReadonlySet<RuleKind>;
  private readonly withheld = new Set<string>();

  constructor(private readonly input: ScheduleInput) {
    this.customers = new Map(input.customers.map((c) => [c.id, c]));
    this.consentKinds = new Set(input.kindsNeedingConsent ?? RULE_KINDS.filter((k) => REWARD_KINDS[k].channel === "promotional"));
    for (const r of input.issued) {
      this.recorded.set(r.idempotencyKey, r);
      const k = `${r.ruleId}\u0000${r.customerId}`;
      const list = this.recordsByRuleCustomer.get(k);
      if (list) list.push(r);
      else this.recordsByRuleCustomer.set(k, [r]);
      if (r.kind === "issue") this.noteIssue(r.customerId, r.decidedOn);
    }
  }

  private noteIssue(customerId: string, day: LocalDate): void {
    const days = this.issueDays.get(customerId);
    if (days) days.push(day);
    else this.issueDays.set(customerId, [day]);
  }

  has(key: string): boolean {
    return this.recorded.has(key);
  }

  kindOf(key: string): DecisionKind | undefined {
    return this.recorded.get(key)?.kind;
  }

  granted(key: string): boolean {
    return this.kindOf(key) === "issue" && !this.withheld.has(key);
  }

  mayContact(rule: Rule, customer: CustomerSnapshot | undefined): boolean {
    return !this.consentKinds.has(rule.kind) || customer?.marketingConsent === true;
  }

  /** How a code of this rule would reach the customer, or null. */
  private deliveryFor(rule: Rule, reward: Reward): DeliveryChannel | null {
    if (REWARD_KINDS[rule.kind].shownWhereEarned) return "surface";
    // Store credit (a reward type added alongside): Shopify notifies the customer itself (notify: true).
    if ((reward as { type: string }).type === "storeCredit") return "storeCredit";
    if (this.input.delivery?.flowWorkflow ?? true) return "flow";
    return this.input.delivery?.customerAccountPage ? "customerAccountPage" : null;
  }

  recordsFor(ruleId: string, customerId: string): readonly IssuedRecord[] {
    return this.recordsByRuleCustomer.get(`${ruleId}\u0000${customerId}`) ?? [];
  }

  push(decision: Decision): void {
    if (decision.withheldReason) this.withheld.add(decision.idempotencyKey);
    this.decisions.push(decision);
    this.recorded.set(decision.idempotencyKey, decision);
    if (decision.kind === "issue" && !decision.withheldReason) this.noteIssue(decision.customerId, decision.decidedOn);
  }

  noteTier(customerId: string, tier: string | null): void {
    if (!this.currentTier.has(customerId)) this.currentTier.set(customerId, tier);
  }

  tierOf(customerId: string): string | null | undefined {
    return this.currentTier.get(customerId);
  }

  remind(rule: Rule, reminder: ReminderCandidate): void {
    // An A/B rule's reminder speaks of the offer the customer's arm got.
    const arm = rule.offerB ? armOf(rule, reminder.customerId) : undefined;
    const r = arm === "B" && rule.offerB ? { ...reminder, reward: rule.offerB.reward } : reminder;
    // Store credit has no code to remind of: Shopify announced it when it was credited.
    if (r.reward.type === "storeCredit") return;
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
      combinesWith: combinesWithOf(rule),
      moment: r.moment,
      lastChance: r.lastChance,
      ...(arm && arm !== "holdout" ? { arm } : {}),
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
    let excluded = 0;
    for (const candidate of [...candidates].sort(byPriority)) {
      const key = idempotencyKey(rule.id, candidate.customerId, candidate.period);
      // One draw on the holdout's hash: held out, offer A (the candidate's own reward) or offer B.
      const arm = armOf(rule, candidate.customerId);
      const c = arm === "B" && rule.offerB ? { ...candidate, reward: rule.offerB.reward } : candidate;
      if (this.has(key)) continue;
      // The shop's consent policy: a promotional reward nobody may tell the customer about is not decided at all.
      if (!this.mayContact(rule, this.customers.get(c.customerId))) {
        excluded++;
        continue;
      }
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
        combinesWith: combinesWithOf(rule),
        channel: kind.channel,
        ...(c.tier ? { tier: c.tier } : {}),
        ...(rule.offerB && arm !== "holdout" ? { arm } : {}),
      };
      // Across all rules: a customer never gets more codes than the shop's caps allow; the rest wait. Checked
      // before the arm is used, whichever it is: a capped customer waits in the holdout as in the treated arm,
      // so a rule deciding after others does not lose only from its treated arm the customers they reached.
      const capLimit = customerCapLimit(this.input.customerCaps, this.issueDays.get(c.customerId) ?? [], today);
      if (capLimit) {
        this.capped.push({ ruleId: rule.id, customerId: c.customerId, period: c.period, limit: capLimit });
        continue;
      }
      if (arm === "holdout") {
        this.push({ ...base, kind: "holdout", estimatedCost: 0, notify: false });
        continue;
      }
      const delivery = this.deliveryFor(rule, c.reward);
      if (!delivery) {
        // Nothing would tell the customer: recorded as withheld, never created in Shopify, costs nothing
        // (and uses none of the customer's cap).
        this.push({ ...base, kind: "issue", estimatedCost: 0, notify: false, delivery: null, withheldReason: "noDeliveryChannel" });
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
      this.push({ ...base, kind: "issue", estimatedCost: cost, notify: kind.notifyOnIssue, delivery });
    }
    if (excluded) this.excludedForConsent[rule.id] = (this.excludedForConsent[rule.id] ?? 0) + excluded;
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

/** A customer's arm in a rule (its A/B test, if any, drawn after the holdout). */
function armOf(rule: Rule, customerId: string) {
  return assignArm(rule.id, customerId, rule.holdoutShare, rule.offerB?.share ?? 0);
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
  return {
    decisions: run.decisions,
    paused: run.paused,
    capped: run.capped,
    tierUpdates: run.tierUpdates,
    excludedForConsent: run.excludedForConsent,
  };
}
