/**
 * Model choice per shop (issue 19, decision 017): the calibration period is split into a fit part and a
 * validation window (its last third, 28 days to a year); BG/NBD, Pareto/NBD and MBG/NBD are fitted on the fit
 * part and predict each customer's repeat purchases in the window. Each gets
 *   criterion = MAE / MAE(naive) + |Σ predicted − Σ actual| / Σ actual
 * (per-customer error relative to "same rate as before", plus the bias of the shop's total; lower is better).
 * A model passes when its fit is usable (converged, not at the search limits) and its criterion is below the
 * naive forecast's (1 + the naive total's bias). BG/NBD is kept unless Pareto/NBD or MBG/NBD passes and beats it
 * by CHOICE_MARGIN; when no model passes, the shop falls back to historic CLV. Too short a history (or too few
 * repeat buyers in the fit part, or no purchase in the window) gives no verdict: BG/NBD as before.
 * Deterministic: the fits are, and nothing here draws random numbers.
 */
import { daysPerUnit, dayNumber, dayString, type TimeUnit } from "../time";
import { purchaseDaysBetween } from "./backtest";
import { MIN_REPEAT_BUYERS } from "./bgnbd";
import type { PurchaseLedger, Transaction, ZeroDayRule } from "./cleaning";
import { fitProblem, fitPurchaseModel, purchaseExpected, PURCHASE_MODELS, type PurchaseModelName } from "./purchase-model";
import { summarizeTransactions, type FrequencyRecency } from "./summary";

/** How much lower (in criterion units) a more complex model must score than BG/NBD to replace it. */
export const CHOICE_MARGIN = 0.05;
/** The validation window: this share of the calibration period, clamped to [MIN, MAX] days. */
export const VALIDATION_SHARE = 1 / 3;
export const MIN_VALIDATION_DAYS = 28;
export const MAX_VALIDATION_DAYS = 365;

export interface ValidationErrors {
  /** Mean |predicted − actual| repeat purchases per customer in the window. */
  mae: number;
  /** MAE / MAE of the naive forecast (1 = no better than "same rate as before"). */
  relativeMae: number;
  /** |Σ predicted − Σ actual| / Σ actual. */
  aggregateBias: number;
  /** relativeMae + aggregateBias. */
  criterion: number;
  predicted: number;
}

export type CandidateResult =
  | ({ model: PurchaseModelName; status: "scored" } & ValidationErrors)
  | { model: PurchaseModelName; status: "refused"; problem: "insufficient" | "not-converged" | "at-bounds" };

export type ChoiceReason =
  /** BG/NBD passed and no other model beat it by the margin. */
  | "bgnbd-best"
  /** Pareto/NBD or MBG/NBD passed and beat BG/NBD (or, when BG/NBD failed, the naive forecast) by the margin. */
  | "beats-bgnbd"
  /** No model was usable and better than the naive forecast: historic CLV. */
  | "none-beats-naive"
  /** No verdict (history shorter than two windows, too few repeat buyers before the window, no purchase in it). */
  | "not-validated";

export interface ModelChoice {
  chosen: PurchaseModelName | "historic";
  reason: ChoiceReason;
  margin: number;
  /** Null when the history is too short for a window. */
  window: { fitEnd: string; calibrationEnd: string; lengthUnits: number; unit: TimeUnit } | null;
  customers: number;
  /** Repeat purchase days in the window of the customers seen before it. */
  actual: number;
  naive: Omit<ValidationErrors, "relativeMae"> | null;
  candidates: CandidateResult[];
}

export interface ModelChoiceOptions {
  /** Last calibration day (inclusive). */
  calibrationEnd: string;
  /** First day with a purchase (the calibration period's start). */
  firstDay: string;
  unit: TimeUnit;
  zeroDays?: ZeroDayRule;
  minRepeatBuyers?: number;
  margin?: number;
}

/** The validation window's days for a calibration period of `spanDays`; null when the fit part would be shorter. */
export function validationDays(spanDays: number): number | null {
  const days = Math.min(MAX_VALIDATION_DAYS, Math.max(MIN_VALIDATION_DAYS, Math.round(spanDays * VALIDATION_SHARE)));
  return spanDays >= 2 * days ? days : null;
}

function errors(predicted: Float64Array, actual: Float64Array, naiveMae: number, totalActual: number): ValidationErrors {
  let abs = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    abs += Math.abs(predicted[i] - actual[i]);
    total += predicted[i];
  }
  const mae = abs / Math.max(actual.length, 1);
  // A naive forecast without error (never seen on real data) makes any error look huge, but finite (it is stored).
  const relativeMae = mae / Math.max(naiveMae, 1e-12);
  const aggregateBias = Math.abs(total - totalActual) / totalActual;
  return { mae, relativeMae, aggregateBias, criterion: relativeMae + aggregateBias, predicted: total };
}

/** `transactions` is read twice (fit part, window): pass an array, a re-iterable log or a filled PurchaseLedger. */
export function chooseModel(transactions: Iterable<Transaction> | PurchaseLedger, options: ModelChoiceOptions): ModelChoice {
  const margin = options.margin ?? CHOICE_MARGIN;
  const end = dayNumber(options.calibrationEnd);
  const days = validationDays(end - dayNumber(options.firstDay));
  const noVerdict = (window: ModelChoice["window"]): ModelChoice => ({
    chosen: "bgnbd",
    reason: "not-validated",
    margin,
    window,
    customers: 0,
    actual: 0,
    naive: null,
    candidates: [],
  });
  if (days === null) return noVerdict(null);
  const lengthUnits = days / daysPerUnit(options.unit);
  const window = { fitEnd: dayString(end - days), calibrationEnd: options.calibrationEnd, lengthUnits, unit: options.unit };

  const compared = compareModels(transactions, { ...options, fitEnd: window.fitEnd, end: options.calibrationEnd });
  if (compared === null) return noVerdict(window);
  const { candidates, naive } = compared;
  const passes = (c: CandidateResult): c is Extract<CandidateResult, { status: "scored" }> =>
    c.status === "scored" && c.criterion < naive.criterion;
  const bgnbd = candidates[0];
  const reference = passes(bgnbd) ? bgnbd.criterion : naive.criterion;
  let best: Extract<CandidateResult, { status: "scored" }> | null = null;
  for (const c of candidates.slice(1)) {
    if (passes(c) && c.criterion <= reference - margin && (best === null || c.criterion < best.criterion)) best = c;
  }
  const choice = { margin, window, customers: compared.customers, actual: compared.actual, naive, candidates };
  if (best) return { chosen: best.model, reason: "beats-bgnbd", ...choice };
  if (passes(bgnbd)) return { chosen: "bgnbd", reason: "bgnbd-best", ...choice };
  return { chosen: "historic", reason: "none-beats-naive", ...choice };
}

export interface ModelComparison {
  customers: number;
  actual: number;
  naive: NonNullable<ModelChoice["naive"]>;
  candidates: CandidateResult[];
}

/**
 * Fits every model on the purchases up to `fitEnd` and scores each customer's predicted repeat purchases in
 * (fitEnd, end] — the choice's validation window, or (the command, the closing figures) a holdout after the
 * calibration period. Null when nothing was bought in that period or the fit part has too few repeat buyers.
 */
export function compareModels(
  transactions: Iterable<Transaction> | PurchaseLedger,
  options: { fitEnd: string; end: string; unit: TimeUnit; zeroDays?: ZeroDayRule; minRepeatBuyers?: number },
): ModelComparison | null {
  const fitEnd = dayNumber(options.fitEnd);
  const lengthUnits = (dayNumber(options.end) - fitEnd) / daysPerUnit(options.unit);
  const fitPart = summarizeTransactions(transactions, { asOf: options.fitEnd, unit: options.unit, zeroDays: options.zeroDays });
  const inWindow = purchaseDaysBetween(transactions, fitEnd, dayNumber(options.end), options.zeroDays);
  const actual = Float64Array.from(fitPart, (c) => inWindow.get(c.customerId) ?? 0);
  let totalActual = 0;
  for (const v of actual) totalActual += v;
  const repeatBuyers = fitPart.reduce((n, c) => n + (c.frequency > 0 ? 1 : 0), 0);
  if (totalActual === 0 || repeatBuyers < (options.minRepeatBuyers ?? MIN_REPEAT_BUYERS)) return null;

  // Naive: each customer's calibration repeat rate carried over (0 for a customer first seen on the last day).
  const naivePredicted = Float64Array.from(fitPart, (c) => (c.T > 0 ? (c.frequency / c.T) * lengthUnits : 0));
  let naiveAbs = 0;
  for (let i = 0; i < actual.length; i++) naiveAbs += Math.abs(naivePredicted[i] - actual[i]);
  const naiveMae = naiveAbs / Math.max(actual.length, 1);
  const naiveFull = errors(naivePredicted, actual, naiveMae, totalActual);
  return {
    customers: fitPart.length,
    actual: totalActual,
    naive: { mae: naiveMae, aggregateBias: naiveFull.aggregateBias, criterion: naiveFull.criterion, predicted: naiveFull.predicted },
    candidates: PURCHASE_MODELS.map((model) =>
      scoreCandidate(model, fitPart, actual, lengthUnits, naiveMae, totalActual, options.minRepeatBuyers),
    ),
  };
}

function scoreCandidate(
  model: PurchaseModelName,
  fitPart: readonly FrequencyRecency[],
  actual: Float64Array,
  lengthUnits: number,
  naiveMae: number,
  totalActual: number,
  minRepeatBuyers: number | undefined,
): CandidateResult {
  const fit = fitPurchaseModel(model, fitPart, { minRepeatBuyers });
  const problem = fitProblem(fit);
  if (problem !== null || fit.status !== "fitted") return { model, status: "refused", problem: problem ?? "insufficient" };
  const predicted = Float64Array.from(fitPart, (c) => purchaseExpected(fit.params, c, lengthUnits));
  if (!predicted.every(Number.isFinite)) return { model, status: "refused", problem: "not-converged" };
  return { model, status: "scored", ...errors(predicted, actual, naiveMae, totalActual) };
}
