/**
 * What a reward kind's daily decision works with: today's input, the customers, the candidates it
 * grants and the run it grants them through. Declared apart from the scheduler (schedule.ts) so the
 * kinds, which the scheduler's registry imports, import nothing that imports them back.
 */
import type { LocalDate } from "../time";
import type { OrderHistory } from "./order-history";
import type { Budget, OfferB, Reward } from "./rule-fields";
import type { TierChange, TierMetrics, TierState } from "./tiers";

/** What the run needs of a rule to grant its candidates (any kind's rule has these). */
export interface GrantingRule {
  id: string;
  kind: string;
  holdoutShare: number;
  budget?: Budget | null;
  /** A/B: the second offer and its share of the eligible customers. */
  offerB?: OfferB | null;
}

/** The part of the day's input a kind reads. */
export interface DayInput {
  today: LocalDate;
  timeZone: string;
  customers: readonly CustomerSnapshot[];
  feedback?: readonly FeedbackEvent[];
  /** The shop's birthday rules (settings); absent: no anti-gaming wait, moments due all day. */
  birthdays?: {
    /** A birthday set fewer days than this before it falls earns no code that year. */
    minNoticeDays: number;
    /** False before the shop's birthday send hour: today's birthday codes and reminders wait. */
    momentsDue: boolean;
  };
}

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
  /** Shop-local day of the customer's first order, when known. */
  firstOrderOn?: LocalDate | null;
  /** Shop-local day of the customer's latest order, when known. */
  lastOrderOn?: LocalDate | null;
  /**
   * A New customer's first day as Lapsed if no second order comes (the lifecycle model's interval rule,
   * `oneTimeBuyerLapseDays`); null for other customers and before the shop's first scoring.
   */
  lapsesOn?: LocalDate | null;
  /** Email marketing state is SUBSCRIBED. */
  marketingConsent: boolean;
  segmentIds?: readonly string[];
  averageOrderValue?: number | null;
  /** Current tier state per loyalty program rule id. */
  tierStates?: Readonly<Record<string, TierState>>;
  /**
   * Every order that counts for value (not a test, not cancelled): shop-local days, ascending, and net
   * amounts. A kind derives what it needs with the helpers of `order-history.ts` (read it through
   * `historyOf`); loaded only when a rule being decided is of a kind with `readsOrderHistory`.
   */
  orderHistory?: OrderHistory;
}

export interface FeedbackEvent {
  customerId: string;
  responseId: string;
  receivedOn: LocalDate;
  /** Carried for completeness and deliberately ignored: thanks never depend on the score. */
  score?: number | null;
}

export interface TierUpdate {
  ruleId: string;
  customerId: string;
  state: TierState;
  changes: TierChange[];
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
export interface ReminderCandidate extends Pick<
  Candidate,
  "customerId" | "period" | "explanation" | "startsAt" | "endsAt" | "reward" | "minimumSubtotal"
> {
  moment: number;
  lastChance: boolean;
}

/** What a kind's `decide` may do with today's run. */
export interface DayRun {
  readonly tierUpdates: TierUpdate[];
  has(key: string): boolean;
  kindOf(key: string): DecisionKind | undefined;
  /** A code was granted under this key and something carries it to the customer (not held out, not withheld). */
  granted(key: string): boolean;
  /** The customer may be contacted about this rule's rewards under the shop's consent policy. */
  mayContact(rule: GrantingRule, customer: CustomerSnapshot | undefined): boolean;
  recordsFor(ruleId: string, customerId: string): readonly IssuedRecord[];
  /** Holdout, budget and idempotency for one rule's candidates. */
  grant(rule: GrantingRule, candidates: Candidate[]): void;
  remind(rule: GrantingRule, reminder: ReminderCandidate): void;
  /** The customer's tier after today's evaluation (the first program that knows the customer wins). */
  noteTier(customerId: string, tier: string | null): void;
  tierOf(customerId: string): string | null | undefined;
}
