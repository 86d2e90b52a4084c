/** Derivative-free minimisation (Nelder–Mead) for the small, smooth likelihoods of the CLV models. */

export interface NelderMeadOptions {
  /** Initial simplex edge along each axis (same units as x). */
  step?: number;
  /** Stop when the simplex's function values differ by less than this (absolute)... */
  fTolerance?: number;
  /** ...and every vertex is within this distance of the best one (max norm). */
  xTolerance?: number;
  maxIterations?: number;
}

export interface MinimizeResult {
  x: number[];
  fx: number;
  iterations: number;
  evaluations: number;
  /** True when the tolerances were met; false when the iteration budget ran out. */
  converged: boolean;
}

/**
 * Nelder–Mead with the dimension-adaptive coefficients of Gao & Han (2012), which behave better than the
 * textbook ones beyond two or three dimensions. Non-finite objective values count as +Infinity, so callers
 * can reject infeasible points by returning NaN or Infinity.
 */
export function nelderMead(objective: (x: number[]) => number, start: number[], options: NelderMeadOptions = {}): MinimizeResult {
  const n = start.length;
  const step = options.step ?? 0.5;
  const fTolerance = options.fTolerance ?? 1e-10;
  const xTolerance = options.xTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 5000;
  const reflection = 1;
  const expansion = 1 + 2 / n;
  const contraction = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;

  let evaluations = 0;
  const f = (x: number[]): number => {
    evaluations += 1;
    const value = objective(x);
    return Number.isFinite(value) ? value : Infinity;
  };

  const simplex: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const vertex = start.slice();
    vertex[i] += step;
    simplex.push(vertex);
  }
  const values = simplex.map(f);
  const order = simplex.map((_, i) => i);

  const pointAlong = (centroid: number[], worst: number[], coefficient: number): number[] =>
    centroid.map((c, j) => c + coefficient * (c - worst[j]));

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    order.sort((i, j) => values[i] - values[j]);
    const best = order[0];
    const worst = order[n];
    const secondWorst = order[n - 1];

    let spread = 0;
    for (const i of order) {
      for (let j = 0; j < n; j++) spread = Math.max(spread, Math.abs(simplex[i][j] - simplex[best][j]));
    }
    if (Math.abs(values[worst] - values[best]) <= fTolerance && spread <= xTolerance) {
      converged = true;
      break;
    }

    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      const vertex = simplex[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += vertex[j] / n;
    }

    const reflected = pointAlong(centroid, simplex[worst], reflection);
    const fReflected = f(reflected);
    if (fReflected < values[best]) {
      const expanded = pointAlong(centroid, simplex[worst], expansion);
      const fExpanded = f(expanded);
      if (fExpanded < fReflected) {
        simplex[worst] = expanded;
        values[worst] = fExpanded;
      } else {
        simplex[worst] = reflected;
        values[worst] = fReflected;
      }
      continue;
    }
    if (fReflected < values[secondWorst]) {
      simplex[worst] = reflected;
      values[worst] = fReflected;
      continue;
    }
    const outside = fReflected < values[worst];
    const contracted = outside
      ? pointAlong(centroid, simplex[worst], reflection * contraction)
      : pointAlong(centroid, simplex[worst], -contraction);
    const fContracted = f(contracted);
    if (fContracted < (outside ? fReflected : values[worst])) {
      simplex[worst] = contracted;
      values[worst] = fContracted;
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const i = order[k];
      simplex[i] = simplex[i].map((v, j) => simplex[best][j] + shrink * (v - simplex[best][j]));
      values[i] = f(simplex[i]);
    }
  }

  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[bestIndex]) bestIndex = i;
  return { x: simplex[bestIndex].slice(), fx: values[bestIndex], iterations, evaluations, converged };
}

export interface MultiStartOptions extends NelderMeadOptions {
  /**
   * A cheaper approximation of the objective (e.g. on a subsample) for the exploratory runs; the refinement
   * always uses the real objective.
   */
  exploreObjective?: (x: number[]) => number;
  /** Looser tolerances for the exploratory runs from each start (only the best one is refined). */
  exploreFTolerance?: number;
  exploreXTolerance?: number;
  /** Initial simplex edge for the refinement from the best explored point. */
  refineStep?: number;
  /** Converged means: Nelder–Mead met its tolerances and every central-difference slope is below this. */
  gradientTolerance?: number;
  maxRestarts?: number;
  /**
   * Optional box. Outside it the objective counts as +Infinity, so Nelder–Mead stays inside; at a bound the
   * slope pointing out of the box is ignored by the convergence check (a boundary optimum is an optimum).
   */
  lower?: readonly number[];
  upper?: readonly number[];
}

export interface MultiStartResult extends MinimizeResult {
  /** Largest absolute slope at the answer, ignoring slopes that point out of the box (the stationarity check). */
  gradientMax: number;
  /** Indices of coordinates that ended at (within 1e-3 of) a bound. */
  atBounds: number[];
}

const BOUND_MARGIN = 1e-3;

/**
 * Largest |∂f/∂x_i| by central differences (one-sided next to a bound). At a bound, a slope that would
 * only improve f by leaving the box does not count.
 */
export function maxAbsGradient(
  objective: (x: number[]) => number,
  x: readonly number[],
  h = 1e-4,
  lower?: readonly number[],
  upper?: readonly number[],
): number {
  const f0 = objective(x.slice());
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const nearUpper = upper !== undefined && x[i] + h > upper[i] - BOUND_MARGIN;
    const nearLower = lower !== undefined && x[i] - h < lower[i] + BOUND_MARGIN;
    const up = x.slice();
    const down = x.slice();
    up[i] += h;
    down[i] -= h;
    const slope = nearUpper
      ? (f0 - objective(down)) / h
      : nearLower
        ? (objective(up) - f0) / h
        : (objective(up) - objective(down)) / (2 * h);
    if (nearUpper && slope < 0) continue;
    if (nearLower && slope > 0) continue;
    worst = Math.max(worst, Number.isFinite(slope) ? Math.abs(slope) : Infinity);
  }
  return worst;
}

/**
 * Several Nelder–Mead starts explored to loose tolerances, then the best one refined to full precision.
 * Convergence is checked independently of the simplex (which can collapse away from an optimum): the
 * central-difference gradient must vanish; if it does not, Nelder–Mead restarts from the current point.
 */
export function minimizeMultiStart(
  objective: (x: number[]) => number,
  starts: number[][],
  options: MultiStartOptions = {},
): MultiStartResult {
  if (starts.length === 0) throw new Error("minimizeMultiStart needs at least one start");
  const gradientTolerance = options.gradientTolerance ?? 1e-4;
  const maxRestarts = options.maxRestarts ?? 3;
  const { lower, upper } = options;
  const inBox = (x: number[]): boolean =>
    x.every((v, i) => (lower === undefined || v >= lower[i]) && (upper === undefined || v <= upper[i]));
  const boxed =
    (f: (x: number[]) => number) =>
    (x: number[]): number =>
      inBox(x) ? f(x) : Infinity;
  const exploreObjective = boxed(options.exploreObjective ?? objective);
  const f = boxed(objective);
  let evaluations = 0;
  let iterations = 0;
  let best: MinimizeResult | null = null;
  for (const start of starts) {
    const result = nelderMead(exploreObjective, start, {
      ...options,
      fTolerance: options.exploreFTolerance ?? options.fTolerance,
      xTolerance: options.exploreXTolerance ?? options.xTolerance,
    });
    evaluations += result.evaluations;
    iterations += result.iterations;
    if (best === null || result.fx < best.fx) best = result;
  }
  let x = (best as MinimizeResult).x;
  let step = options.refineStep ?? (options.step ?? 0.5) / 5;
  let current: MinimizeResult = { x, fx: Infinity, iterations: 0, evaluations: 0, converged: false };
  let gradientMax = Infinity;
  for (let attempt = 0; attempt <= maxRestarts; attempt++) {
    const result = nelderMead(f, x, { ...options, step });
    evaluations += result.evaluations + 2 * x.length;
    iterations += result.iterations;
    if (result.fx <= current.fx) current = result;
    x = current.x;
    gradientMax = maxAbsGradient(f, x, 1e-4, lower, upper);
    if (result.converged && gradientMax <= gradientTolerance) break;
    step /= 2;
  }
  return {
    x: current.x,
    fx: current.fx,
    iterations,
    evaluations,
    converged: current.converged && gradientMax <= gradientTolerance,
    gradientMax,
    atBounds: current.x
      .map((v, i) =>
        (lower !== undefined && v < lower[i] + BOUND_MARGIN) || (upper !== undefined && v > upper[i] - BOUND_MARGIN) ? i : -1,
      )
      .filter((i) => i >= 0),
  };
}

/**
 * Central-difference Hessian. At a maximum-likelihood estimate of a negative log-likelihood its inverse is
 * the asymptotic covariance (standard errors for uncertainty bands and for judging parameter recovery).
 */
export function numericalHessian(objective: (x: number[]) => number, x: readonly number[], h = 1e-3): number[][] {
  const n = x.length;
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const p = x.slice();
    p[di] += si * h;
    p[dj] += sj * h;
    return objective(p);
  };
  const f0 = objective(x.slice());
  const hessian = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    hessian[i][i] = (at(i, 1, i, 0) - 2 * f0 + at(i, -1, i, 0)) / (h * h);
    for (let j = 0; j < i; j++) {
      const value = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      hessian[i][j] = value;
      hessian[j][i] = value;
    }
  }
  return hessian;
}

/** Inverse of a small symmetric positive-definite matrix (Gauss–Jordan); null if singular. */
export function invertMatrix(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    if (Math.abs(a[pivot][col]) < 1e-300) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const scale = a[col][col];
    for (let k = 0; k < 2 * n; k++) a[col][k] /= scale;
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const factor = a[row][col];
      for (let k = 0; k < 2 * n; k++) a[row][k] -= factor * a[col][k];
    }
  }
  return a.map((row) => row.slice(n));
}
