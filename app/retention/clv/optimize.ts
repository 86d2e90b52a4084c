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

/** f(x) that also writes ∇f(x) into `gradient`; non-finite values mean "infeasible". */
export type ValueAndGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface BfgsOptions {
  /** Converged when the largest projected gradient component is at most this. */
  gradientTolerance?: number;
  maxIterations?: number;
  /** Longest first step along any coordinate (keeps a poor start from leaping into overflow). */
  maxStep?: number;
  /** Optional box; a coordinate that reaches a bound is held there while the slope pushes outwards. */
  lower?: readonly number[];
  upper?: readonly number[];
  /** Inverse-Hessian estimate to start from (row-major n×n), e.g. from a run on a subsample. */
  inverseHessian?: Float64Array;
}

/** Converged means: the largest |∂f/∂x_i|, ignoring slopes that only point out of the box, is ≤ the tolerance. */
export interface BfgsResult extends MultiStartResult {
  /** The final inverse-Hessian estimate (row-major), to warm-start a refinement. */
  inverseHessian: Float64Array;
}

const WOLFE_SUFFICIENT_DECREASE = 1e-4;
const WOLFE_CURVATURE = 0.9;
const LINE_SEARCH_STEPS = 30;

/**
 * Projected BFGS with a strong-Wolfe line search (Nocedal & Wright 2006, alg. 6.1, 3.5 and 3.6). Box bounds
 * are handled by an active set: a coordinate at a bound whose slope points outwards is frozen for that
 * iteration, and a step is never longer than the distance to the nearest bound (it stops on it exactly).
 */
export function minimizeBfgs(fg: ValueAndGradient, start: readonly number[], options: BfgsOptions = {}): BfgsResult {
  const n = start.length;
  const tolerance = options.gradientTolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 200;
  const maxStep = options.maxStep ?? 1;
  const lower = Float64Array.from({ length: n }, (_, i) => options.lower?.[i] ?? -Infinity);
  const upper = Float64Array.from({ length: n }, (_, i) => options.upper?.[i] ?? Infinity);
  const x = Float64Array.from(start, (v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  const resetH = (scale: number): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  let freshH = true;
  if (options.inverseHessian?.length === n * n && options.inverseHessian.every(Number.isFinite)) {
    H.set(options.inverseHessian);
    freshH = false;
  } else {
    resetH(1);
  }
  let evaluations = 0;
  const trial = new Float64Array(n);
  const trialG = new Float64Array(n);
  const evaluate = (point: Float64Array, gradient: Float64Array): number => {
    evaluations += 1;
    const value = fg(point, gradient);
    return Number.isFinite(value) && gradient.every(Number.isFinite) ? value : Infinity;
  };
  let fx = evaluate(x, g);
  const free = new Uint8Array(n);
  const projectedGradient = (): number => {
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const blocked = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
      free[i] = blocked ? 0 : 1;
      if (!blocked) worst = Math.max(worst, Math.abs(g[i]));
    }
    return worst;
  };
  const d = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let gradientMax = Number.isFinite(fx) ? projectedGradient() : Infinity;
  const wasFree = Uint8Array.from(free);
  let curvatureScale = 1;
  let stalled = 0;
  while (Number.isFinite(fx) && gradientMax > tolerance && iterations < maxIterations) {
    iterations += 1;
    // A coordinate that joined or left its bound invalidates the curvature model of the others' subspace.
    let activeSetChanged = false;
    for (let i = 0; i < n; i++) if (free[i] !== wasFree[i]) activeSetChanged = true;
    wasFree.set(free);
    if (activeSetChanged && !freshH) {
      resetH(curvatureScale);
      freshH = true;
    }
    // Search direction −H g over the free coordinates.
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      if (free[i]) for (let j = 0; j < n; j++) if (free[j]) v -= H[i * n + j] * g[j];
      d[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      resetH(1);
      freshH = true;
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? -g[i] : 0;
        slope += d[i] * g[i];
      }
    }
    // Longest feasible step, and a first step no longer than maxStep in any coordinate.
    let stepMax = Infinity;
    let longest = 0;
    for (let i = 0; i < n; i++) {
      if (d[i] > 0) stepMax = Math.min(stepMax, (upper[i] - x[i]) / d[i]);
      else if (d[i] < 0) stepMax = Math.min(stepMax, (lower[i] - x[i]) / d[i]);
      longest = Math.max(longest, Math.abs(d[i]));
    }
    const firstStep = Math.min(1, stepMax, freshH ? maxStep / longest : Infinity);
    const found = lineSearch(fx, slope, firstStep, stepMax);
    if (found === null) {
      if (freshH) break;
      // A stale curvature model can point badly; retry once along the steepest descent.
      resetH(1);
      freshH = true;
      continue;
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = trial[i] - x[i];
      // The update learns curvature only in the free subspace (a frozen coordinate's slope still changes).
      y[i] = free[i] ? trialG[i] - g[i] : 0;
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    const decrease = fx - found;
    x.set(trial);
    g.set(trialG);
    fx = found;
    gradientMax = projectedGradient();
    if (sy > 1e-12 * Math.sqrt(yy) * Math.hypot(...s)) {
      curvatureScale = sy / yy;
      if (freshH) resetH(curvatureScale);
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
      freshH = false;
    }
    // No progress left at double precision: stop and let the gradient decide.
    stalled = decrease <= 1e-15 * Math.abs(fx) ? stalled + 1 : 0;
    if (stalled >= 3) break;
  }

  /** Strong-Wolfe search on φ(t) = f(x + t d); leaves the accepted point in trial / trialG. */
  function lineSearch(f0: number, slope0: number, first: number, stepMax: number): number | null {
    const at = (t: number): { f: number; slope: number } => {
      for (let i = 0; i < n; i++) {
        let v = Math.min(upper[i], Math.max(lower[i], x[i] + t * d[i]));
        // Land exactly on the bound that limits the step (rounding would leave it a hair inside).
        if (t === stepMax && Math.abs(v - upper[i]) <= 1e-12 * (1 + Math.abs(upper[i]))) v = upper[i];
        if (t === stepMax && Math.abs(v - lower[i]) <= 1e-12 * (1 + Math.abs(lower[i]))) v = lower[i];
        trial[i] = v;
      }
      const f = evaluate(trial, trialG);
      let slope = 0;
      for (let i = 0; i < n; i++) slope += trialG[i] * d[i];
      return { f, slope };
    };
    let previousT = 0;
    let previous = { f: f0, slope: slope0 };
    let t = first;
    for (let k = 0; k < LINE_SEARCH_STEPS; k++) {
      const current = at(t);
      if (current.f > f0 + WOLFE_SUFFICIENT_DECREASE * t * slope0 || (k > 0 && current.f >= previous.f)) {
        return zoom(previousT, previous, t, current);
      }
      if (Math.abs(current.slope) <= -WOLFE_CURVATURE * slope0) return current.f;
      if (current.slope >= 0) return zoom(t, current, previousT, previous);
      // Still going down at the bound: stop on it (the coordinate becomes active).
      if (t >= stepMax) return current.f;
      previousT = t;
      previous = current;
      t = Math.min(stepMax, 4 * t);
    }
    return null;

    function zoom(loT: number, lo: { f: number; slope: number }, hiT: number, hi: { f: number; slope: number }): number | null {
      for (let k = 0; k < LINE_SEARCH_STEPS; k++) {
        const width = hiT - loT;
        let t = loT + width / 2;
        if (Number.isFinite(hi.f)) {
          // Minimiser of the cubic through both ends, kept inside the middle 80% of the bracket.
          const d1 = lo.slope + hi.slope - (3 * (lo.f - hi.f)) / (loT - hiT);
          const root = d1 * d1 - lo.slope * hi.slope;
          if (root >= 0) {
            const d2 = Math.sign(hiT - loT) * Math.sqrt(root);
            const cubic = hiT - (hiT - loT) * ((hi.slope + d2 - d1) / (hi.slope - lo.slope + 2 * d2));
            const a = Math.min(loT, hiT) + 0.1 * Math.abs(width);
            const b = Math.max(loT, hiT) - 0.1 * Math.abs(width);
            if (Number.isFinite(cubic)) t = Math.min(b, Math.max(a, cubic));
          }
        } else {
          t = loT + 0.1 * width;
        }
        const current = at(t);
        if (current.f > f0 + WOLFE_SUFFICIENT_DECREASE * t * slope0 || current.f >= lo.f) {
          hiT = t;
          hi = current;
        } else {
          if (Math.abs(current.slope) <= -WOLFE_CURVATURE * slope0) return current.f;
          if (current.slope * (hiT - loT) >= 0) {
            hiT = loT;
            hi = lo;
          }
          loT = t;
          lo = current;
        }
        if (Math.abs(hiT - loT) < 1e-14 * Math.max(1, Math.abs(loT))) break;
      }
      // Best point found if it improved at all (the Wolfe curvature condition may be unattainable in rounding).
      if (loT > 0 && lo.f < f0) {
        at(loT);
        return lo.f;
      }
      return null;
    }
  }

  const xs = Array.from(x);
  return {
    x: xs,
    fx,
    iterations,
    evaluations,
    converged: Number.isFinite(fx) && gradientMax <= tolerance,
    gradientMax,
    atBounds: atBoundsOf(xs, options.lower, options.upper),
    inverseHessian: H,
  };
}

function atBoundsOf(x: readonly number[], lower?: readonly number[], upper?: readonly number[]): number[] {
  return x
    .map((v, i) => ((lower !== undefined && v < lower[i] + BOUND_MARGIN) || (upper !== undefined && v > upper[i] - BOUND_MARGIN) ? i : -1))
    .filter((i) => i >= 0);
}

export interface BfgsMultiStartOptions extends BfgsOptions {
  /** A cheaper approximation (e.g. on a subsample) for the runs from each start; the refinement uses `fg`. */
  exploreFg?: ValueAndGradient;
  /** Looser gradient tolerance for the runs from each start. */
  exploreGradientTolerance?: number;
}

/**
 * BFGS from each start to a loose tolerance (on the cheap objective when given), then the best point
 * refined to full precision on the real one. `evaluations` counts both; `refineEvaluations` the real ones.
 */
export function minimizeBfgsMultiStart(
  fg: ValueAndGradient,
  starts: number[][],
  options: BfgsMultiStartOptions = {},
): BfgsResult & { refineEvaluations: number } {
  if (starts.length === 0) throw new Error("minimizeBfgsMultiStart needs at least one start");
  const explore = options.exploreFg ?? fg;
  let best: BfgsResult | null = null;
  let evaluations = 0;
  let iterations = 0;
  for (const start of starts) {
    const result = minimizeBfgs(explore, start, { ...options, gradientTolerance: options.exploreGradientTolerance ?? 1e-3 });
    evaluations += result.evaluations;
    iterations += result.iterations;
    if (best === null || result.fx < best.fx || !Number.isFinite(best.fx)) best = result;
  }
  // The curvature learnt while exploring carries over: refinement then needs a handful of evaluations.
  const refined = minimizeBfgs(fg, (best as BfgsResult).x, { inverseHessian: (best as BfgsResult).inverseHessian, ...options });
  return {
    ...refined,
    evaluations: evaluations + refined.evaluations,
    iterations: iterations + refined.iterations,
    refineEvaluations: refined.evaluations,
  };
}
