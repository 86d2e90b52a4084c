/**
 * Maximum likelihood in log-parameters for the purchase models other than BG/NBD (Pareto/NBD, MBG/NBD): the same
 * BFGS with a box as bgnbd.ts, the same "fitted / insufficient" verdict and the same signs of a degenerate fit
 * (not converged, parameters at the search limits), so the model choice can refuse them alike.
 */
import { minimizeBfgsMultiStart, type ValueAndGradient } from "./optimize";
import { aggregateBgNbd, MIN_REPEAT_BUYERS, type BgNbdData, type BgNbdInsufficient } from "./bgnbd";
import type { FrequencyRecency } from "./summary";

export interface LogFitted<P> {
  status: "fitted";
  params: P;
  logLikelihood: number;
  converged: boolean;
  gradientMax: number;
  parametersAtLimit: (keyof P)[];
  evaluations: number;
  customers: number;
  repeatBuyers: number;
}

export type LogFit<P> = LogFitted<P> | BgNbdInsufficient;

export interface LogFitSpec<P> {
  names: readonly (keyof P & string)[];
  /** Total log-likelihood; writes ∂/∂θ (natural scale) into `gradient` when given. */
  logLikelihood: (params: P, data: BgNbdData, gradient?: Float64Array) => number;
  starts: (data: BgNbdData) => P[];
  /** Box in log-parameters. */
  bounds: (data: BgNbdData) => { lower: number[]; upper: number[] };
  gradientTolerance: number;
  /** Iteration cap per BFGS run (default 500). */
  maxIterations?: number;
}

const EXPLORE_SAMPLE_SIZE = 10_000;

function toParams<P>(names: readonly (keyof P & string)[], theta: ArrayLike<number>): P {
  const p = {} as Record<string, number>;
  names.forEach((name, i) => (p[name] = Math.exp(theta[i])));
  return p as P;
}

function objective<P>(spec: LogFitSpec<P>, data: BgNbdData): ValueAndGradient {
  const scale = -1 / data.customers;
  const g = new Float64Array(spec.names.length);
  return (theta, gradient) => {
    const p = toParams(spec.names, theta);
    const value = spec.logLikelihood(p, data, g) * scale;
    for (let i = 0; i < spec.names.length; i++) gradient[i] = g[i] * (p as Record<string, number>)[spec.names[i]] * scale;
    return value;
  };
}

function insufficient(data: BgNbdData, minRepeatBuyers: number): BgNbdInsufficient {
  return {
    status: "insufficient",
    reason:
      data.customers === 0
        ? "No customers with orders yet."
        : `Only ${data.repeatBuyers} of ${data.customers} customers have bought more than once; ` +
          `the purchase model needs at least ${minRepeatBuyers} repeat buyers to estimate how often customers return and when they stop.`,
    customers: data.customers,
    repeatBuyers: data.repeatBuyers,
    minRepeatBuyers,
    repeatBuyersNeeded: minRepeatBuyers - data.repeatBuyers,
  };
}

export function fitLogParameters<P>(
  spec: LogFitSpec<P>,
  customers: readonly FrequencyRecency[],
  options: { minRepeatBuyers?: number } = {},
): LogFit<P> {
  const data = aggregateBgNbd(customers);
  const minRepeatBuyers = options.minRepeatBuyers ?? MIN_REPEAT_BUYERS;
  if (data.repeatBuyers < minRepeatBuyers) return insufficient(data, minRepeatBuyers);
  // As in bgnbd.ts: large shops try their starts on a systematic subsample; the winner is refined on everyone.
  let exploreData = data;
  if (customers.length > EXPLORE_SAMPLE_SIZE) {
    const stride = customers.length / EXPLORE_SAMPLE_SIZE;
    exploreData = aggregateBgNbd(Array.from({ length: EXPLORE_SAMPLE_SIZE }, (_, i) => customers[Math.floor(i * stride)]));
  }
  const { lower, upper } = spec.bounds(data);
  const result = minimizeBfgsMultiStart(
    objective(spec, data),
    spec.starts(data).map((p) => spec.names.map((name) => Math.log((p as Record<string, number>)[name]))),
    {
      exploreFg: exploreData === data ? undefined : objective(spec, exploreData),
      lower,
      upper,
      gradientTolerance: spec.gradientTolerance,
      exploreGradientTolerance: 1e-3,
      maxIterations: spec.maxIterations ?? 500,
    },
  );
  const params = toParams(spec.names, result.x);
  return {
    status: "fitted",
    params,
    logLikelihood: spec.logLikelihood(params, data),
    converged: result.converged,
    gradientMax: result.gradientMax,
    parametersAtLimit: result.atBounds.map((i) => spec.names[i]),
    evaluations: result.evaluations,
    customers: data.customers,
    repeatBuyers: data.repeatBuyers,
  };
}

/** The per-customer groups of aggregateBgNbd as (x, t_x, T, weight) rows, one-time buyers included (t_x = 0). */
export function forEachGroup(data: BgNbdData, visit: (x: number, tx: number, T: number, weight: number) => void): void {
  for (let i = 0; i < data.zeroT.length; i++) visit(0, 0, data.TValues[data.zeroT[i]], data.zeroWeight[i]);
  for (let i = 0; i < data.repWeight.length; i++) {
    visit(data.xValues[data.repX[i]], data.txValues[data.repTx[i]], data.TValues[data.repT[i]], data.repWeight[i]);
  }
}
