/**
 * Loyalty tiers: which tier a customer's numbers earn, and how their tier moves over time.
 * Moving up is immediate (and may issue the new tier's code); moving down waits for the grace
 * period, so a customer who dips below a threshold for a few days keeps their status.
 */
import { addDays, daysBetween, type LocalDate } from "../time";
import type { TierProgramDraft } from "./rule-schema";

export interface TierMetrics {
  netSpend: { lifetime: number; rolling12m: number };
  orderCount: { lifetime: number; rolling12m: number };
}

export interface TierChange {
  from: string | null;
  to: string | null;
  on: LocalDate;
  /** `reset`: the stored tier no longer exists in the program (renamed or removed). */
  direction: "up" | "down" | "reset";
}

export interface TierState {
  tier: string | null;
  since: LocalDate | null;
  /** First day the customer was below their current tier's threshold; cleared when they requalify. */
  belowSince: LocalDate | null;
  history: TierChange[];
}

export const NO_TIER: TierState = Object.freeze({ tier: null, since: null, belowSince: null, history: [] }) as TierState;

export type TierProgram = Pick<TierProgramDraft, "metric" | "window" | "graceDays" | "tiers">;

export interface TierEvaluation {
  state: TierState;
  /** Changes made by this evaluation (also appended to `state.history`). */
  changes: TierChange[];
  /** Set when the customer moved up into a tier that has a reward: issue that tier's code. */
  issueTierCode: string | null;
  /** While in grace: the first day the customer moves down if they don't requalify. */
  graceEndsOn: LocalDate | null;
  /** The metric value used, or null when it is unknown (e.g. no CLV prediction yet). */
  value: number | null;
}

export function metricValue(
  program: Pick<TierProgram, "metric" | "window">,
  metrics: TierMetrics,
  predictedClv: number | null,
): number | null {
  if (program.metric === "predictedClv") return predictedClv ?? null;
  const v = metrics[program.metric][program.window];
  return Number.isFinite(v) ? v : null;
}

/** Index of the highest tier whose threshold the value reaches (≥ qualifies), or -1. */
export function qualifyingTierIndex(program: Pick<TierProgram, "tiers">, value: number | null): number {
  if (value === null) return -1;
  let found = -1;
  program.tiers.forEach((tier, i) => {
    if (value >= tier.threshold) found = i;
  });
  return found;
}

export function qualifyingTier(program: Pick<TierProgram, "tiers">, value: number | null): string | null {
  const i = qualifyingTierIndex(program, value);
  return i < 0 ? null : program.tiers[i].name;
}

function moveTo(state: TierState, index: number, program: TierProgram, today: LocalDate, direction: TierChange["direction"]) {
  const to = index < 0 ? null : program.tiers[index].name;
  const change: TierChange = { from: state.tier, to, on: today, direction };
  return {
    state: { tier: to, since: today, belowSince: null, history: [...state.history, change] },
    change,
  };
}

/** Evaluate one customer on a shop-local day. Pure: returns the next state, never mutates. */
export function evaluateTier(
  program: TierProgram,
  state: TierState,
  metrics: TierMetrics,
  predictedClv: number | null,
  today: LocalDate,
): TierEvaluation {
  const value = metricValue(program, metrics, predictedClv);
  const qualified = qualifyingTierIndex(program, value);
  const current = state.tier === null ? -1 : program.tiers.findIndex((t) => t.name === state.tier);
  const none = { changes: [], issueTierCode: null, graceEndsOn: null, value };

  if (state.tier !== null && current < 0) {
    const { state: next, change } = moveTo(state, qualified, program, today, "reset");
    return { ...none, state: next, changes: [change] };
  }
  if (qualified > current) {
    const { state: next, change } = moveTo(state, qualified, program, today, "up");
    const tier = program.tiers[qualified];
    return { ...none, state: next, changes: [change], issueTierCode: tier.reward ? tier.name : null };
  }
  if (qualified === current) {
    return { ...none, state: state.belowSince ? { ...state, belowSince: null } : state };
  }
  const belowSince = state.belowSince ?? today;
  const graceEndsOn = addDays(belowSince, program.graceDays);
  if (daysBetween(belowSince, today) >= program.graceDays) {
    const { state: next, change } = moveTo(state, qualified, program, today, "down");
    return { ...none, state: next, changes: [change] };
  }
  return { ...none, state: state.belowSince ? state : { ...state, belowSince }, graceEndsOn };
}
