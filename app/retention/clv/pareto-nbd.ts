/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): while alive a customer buys at rate λ ~ Gamma(r, α) and
 * dies after an exponential lifetime of rate μ ~ Gamma(s, β), at any moment (BG/NBD only lets them leave right
 * after a purchase). Likelihood as in Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and
 * related expressions", eq. (18)–(20); time unit = the unit of the summaries.
 */
import { lgamma, logSumExp } from "./special";
import type { BgNbdData } from "./bgnbd";
import { fitLogParameters, forEachGroup, type LogFit, type LogFitSpec } from "./log-fit";
import type { FrequencyRecency } from "./summary";

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export type ParetoNbdFit = LogFit<ParetoNbdParams>;

/**
 * ln[ ₂F₁(r+s+x, c₂; r+s+x+1; z) / (max(α,β) + t)^(r+s+x) ] with z = |α−β| / (max(α,β)+t) ∈ [0, 1).
 *
 * The series as written has terms that first grow (like n^(c₂−1) zⁿ) and needs tens of thousands of them when z is
 * near 1 — a fit drifting towards homogeneous dropout (s, β → ∞) took minutes. Euler's transformation
 * ₂F₁(a, b; a+1; z) = (1−z)^(1−b) ₂F₁(1, a+1−b; a+1; z) gives a series of positive terms that shrink from the start
 * (each ratio is below z), with 1 − z = (min(α,β)+t)/(max(α,β)+t) exact.
 */
function logHypTerm(rsx: number, c2: number, lo: number, hi: number, t: number): number {
  const z = (hi - lo) / (hi + t);
  const logOneMinusZ = Math.log(lo + t) - Math.log(hi + t);
  return (1 - c2) * logOneMinusZ + Math.log(decreasingSeries(rsx + 1 - c2, rsx + 1, z)) - rsx * Math.log(hi + t);
}

/**
 * Σₙ (b)ₙ/(c)ₙ zⁿ for 0 ≤ b < c, 0 ≤ z < 1: every ratio is below z, so the tail after a term u is below u·z/(1−z).
 * At most SERIES_TERMS terms (z up to about 0.993, i.e. max(α,β)/(min(α,β)+t) up to ~140): beyond, the likelihood
 * is NaN, which the optimizer treats as outside the feasible region. Fits only go there when lifetimes look
 * homogeneous (s, β → ∞), where the fit is degenerate anyway, and each evaluation stays bounded.
 */
const SERIES_TERMS = 5_000;

function decreasingSeries(b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < SERIES_TERMS; n++) {
    term *= ((b + n) / (c + n)) * z;
    sum += term;
    if (term * z <= 1e-17 * sum * (1 - z)) return sum;
  }
  return Number.NaN;
}

/** The two pieces of one customer's likelihood bracket, in logs: "alive at T" and "died in (t_x, T]". */
function logPieces(params: ParetoNbdParams, x: number, tx: number, T: number): { alive: number; died: number } {
  const { r, alpha, s, beta } = params;
  const rsx = r + s + x;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  if (T === tx) return { alive, died: -Infinity };
  // The case split of the note: the series' second parameter is s + 1 when α ≥ β, r + x when α < β, so that its
  // argument |α−β|/(max+t) lies in [0, 1).
  const c2 = alpha >= beta ? s + 1 : r + x;
  const lo = Math.min(alpha, beta);
  const hi = Math.max(alpha, beta);
  const atTx = logHypTerm(rsx, c2, lo, hi, tx);
  const atT = logHypTerm(rsx, c2, lo, hi, T);
  // A₀ = term(t_x) − term(T) > 0; the difference in logs keeps its digits while the two are far apart.
  const logA0 = atTx + Math.log(-Math.expm1(atT - atTx));
  return { alive, died: Math.log(s / rsx) + logA0 };
}

/** Total log-likelihood: ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln[alive + died] over customers. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: BgNbdData): number {
  const { r, alpha, s, beta } = params;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return Number.NaN;
  const constant = -lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  let total = 0;
  forEachGroup(data, (x, tx, T, weight) => {
    const { alive, died } = logPieces(params, x, tx, T);
    total += weight * (lgamma(r + x) + constant + logSumExp(alive, died));
  });
  return total;
}

/**
 * Central differences in log-parameters, h = 1e-5: the likelihood is smooth and its rounding is ~1e-16 relative,
 * so the slope's error (~1e-10 of the mean log-likelihood) is far below the convergence tolerance.
 */
const STEP = 1e-5;
const NAMES = ["r", "alpha", "s", "beta"] as const;

function withNumericGradient(params: ParetoNbdParams, data: BgNbdData, gradient?: Float64Array): number {
  const value = paretoNbdLogLikelihood(params, data);
  if (!gradient) return value;
  for (let i = 0; i < NAMES.length; i++) {
    const name = NAMES[i];
    const up = { ...params, [name]: params[name] * Math.exp(STEP) };
    const down = { ...params, [name]: params[name] * Math.exp(-STEP) };
    // ∂/∂ln θ divided by θ: the caller applies the chain rule back to log scale.
    gradient[i] = (paretoNbdLogLikelihood(up, data) - paretoNbdLogLikelihood(down, data)) / (2 * STEP) / params[name];
  }
  return value;
}

const LOG_LIMIT = 10;
const LOG_LIMIT_SCALE = 14;

/**
 * s above e^3 ≈ 20 means lifetimes of nearly one length for everyone (μ's coefficient of variation 1/√s < 0.23):
 * the data show no dropout heterogeneity, Pareto/NBD adds nothing over BG/NBD, and its series get long (β ≫ α).
 * Such a fit ends at the limit and is refused by the model choice; the iteration cap bounds its cost.
 */
const LOG_LIMIT_S = 3;
const MAX_ITERATIONS = 150;

export const PARETO_GRADIENT_TOLERANCE = 1e-6;

const spec: LogFitSpec<ParetoNbdParams> = {
  names: NAMES,
  logLikelihood: withNumericGradient,
  // α is a time per purchase, β a lifetime scale: anchored on the observed repeat rate and the mean age.
  starts: (d) => {
    const perPurchase = d.sumT / Math.max(d.sumX, 1);
    const age = d.sumT / d.customers;
    return [
      { r: 1, alpha: perPurchase, s: 1, beta: age },
      { r: 0.5, alpha: 0.5 * perPurchase, s: 0.5, beta: 0.5 * age },
      { r: 2, alpha: 2 * perPurchase, s: 2, beta: 4 * age },
    ];
  },
  bounds: (d) => {
    const perPurchase = Math.log(d.sumT / Math.max(d.sumX, 1));
    const age = Math.log(Math.max(d.sumT / d.customers, 1e-9));
    return {
      lower: [-LOG_LIMIT, perPurchase - LOG_LIMIT_SCALE, -LOG_LIMIT, age - LOG_LIMIT_SCALE],
      upper: [LOG_LIMIT, perPurchase + LOG_LIMIT_SCALE, LOG_LIMIT_S, age + LOG_LIMIT_SCALE],
    };
  },
  gradientTolerance: PARETO_GRADIENT_TOLERANCE,
  maxIterations: MAX_ITERATIONS,
};

export function fitParetoNbd(customers: readonly FrequencyRecency[], options: { minRepeatBuyers?: number } = {}): ParetoNbdFit {
  return fitLogParameters(spec, customers, options);
}

/** P(alive | x, t_x, T) = 1 / (1 + died / alive) (the note's eq. 21). */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, c: FrequencyRecency): number {
  const { alive, died } = logPieces(params, c.frequency, c.recency, c.T);
  const logOdds = died - alive;
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in (T, T+t] given the history (the note's eq. 22):
 *   P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]
 * with the bracket over (s−1) written as −expm1((s−1)·ln w)/(s−1), which tends to −ln w at s = 1.
 */
export function paretoNbdExpectedPurchases(
  params: ParetoNbdParams,
  c: FrequencyRecency,
  t: number,
  alive = paretoNbdProbabilityAlive(params, c),
): number {
  if (!(t > 0)) return 0;
  const { r, alpha, s, beta } = params;
  const logW = -Math.log1p(t / (beta + c.T));
  const sm1 = s - 1;
  const growth = Math.abs(sm1 * logW) < 1e-12 ? -logW : -Math.expm1(sm1 * logW) / sm1;
  return (alive * (r + c.frequency) * (beta + c.T) * growth) / (alpha + c.T);
}
