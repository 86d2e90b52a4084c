/** Special functions for the CLV models, written for accuracy near the edges the likelihoods visit. */

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log Γ(z) for z > 0 (Lanczos, g = 7; relative error ~1e-15), reflection for z < 0.5. */
export function lgamma(z: number): number {
  if (z < 0.5) {
    // Γ(z)Γ(1−z) = π / sin(πz); only used for 0 < z < 0.5 here, where sin(πz) > 0.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  }
  const zm1 = z - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS_COEFFICIENTS[i] / (zm1 + i);
  const t = zm1 + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (zm1 + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log(e^u + e^v) without overflow or loss when one term dominates. */
export function logSumExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

const SERIES_SCALE_LIMIT = 1e250;
const LOG_SERIES_SCALE_LIMIT = Math.log(SERIES_SCALE_LIMIT);

/**
 * (1 − z)^k · ₂F₁(k, b; c; z) for 0 ≤ z < 1, by the plain series with a running rescale.
 *
 * The BG/NBD expectations only ever need ₂F₁ multiplied by (1 − z)^k (with k = r + x); computing the product
 * directly keeps it finite even when ₂F₁ alone overflows (many purchases, long horizon). The scaled terms are
 * negative-binomial-like weights times (b)_n/(c)_n, so the sum is well conditioned for c > 0. With −1 < c < 0
 * (BG/NBD with x = 0 and a + b < 1) one term changes sign; the caller's prefactor (c) absorbs the size.
 * Returns NaN if the series has not converged within maxTerms.
 */
export function scaledHyp2f1(k: number, b: number, c: number, z: number, maxTerms = 2_000_000): number {
  if (z === 0) return 1;
  if (!(z > 0 && z < 1)) return Number.NaN;
  let logOffset = k * Math.log1p(-z);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((k + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (Math.abs(sum) > SERIES_SCALE_LIMIT) {
      sum /= SERIES_SCALE_LIMIT;
      term /= SERIES_SCALE_LIMIT;
      logOffset += LOG_SERIES_SCALE_LIMIT;
    }
    // Later ratios approach z (from above or below), so past the peak the tail is below term · ρ / (1 − ρ)
    // with ρ = max(ratio, z).
    if (Math.abs(term) > 1e-16 * Math.abs(sum)) continue;
    const bound = Math.max(ratio, z);
    if (ratio >= 0 && bound < 1 && Math.abs(term) * (bound / (1 - bound)) <= 1e-16 * Math.abs(sum)) {
      return sum === 0 ? 0 : Math.sign(sum) * Math.exp(Math.log(Math.abs(sum)) + logOffset);
    }
  }
  return Number.NaN;
}

/** ₂F₁(a, b; c; z) for 0 ≤ z < 1 (plain series; see scaledHyp2f1 for the overflow-safe form). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  const scaled = scaledHyp2f1(a, b, c, z);
  return scaled * Math.exp(-a * Math.log1p(-z));
}

/** Γ(z) with its sign, for any real z that is not a pole (reflection below 0.5); ±Infinity at the poles. */
export function gammaSigned(z: number): number {
  if (z >= 0.5) return Math.exp(lgamma(z));
  return Math.PI / (Math.sin(Math.PI * z) * gammaSigned(1 - z));
}

/** ₂F₁(a, b; c; w) by the plain series, for small w (≤ 1e-4 here, so a handful of terms); c not a pole. */
function smallArgumentHyp2f1(a: number, b: number, c: number, w: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 10_000; n++) {
    term *= ((a + n) * (b + n) * w) / ((c + n) * (n + 1));
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && n > Math.abs(c)) return sum;
  }
  return sum;
}

/** Below this w = 1 − z the series in z needs more than ~400,000 terms; the connection formula in w takes over. */
const SMALL_W = 1e-4;
/** Below this |δ| the series for [1 − (1−z)^k ₂F₁]/δ is rewritten so the O(δ) difference is not lost. */
const SMALL_DELTA = 1e-2;
/** Below this z the bracket is O(z) and the plain form would cancel; Euler's form is used. */
const SMALL_Z = 0.5;

/**
 * G(k, β, δ, z) = [1 − (1 − z)^k ₂F₁(k, β; β + δ; z)] / δ, the bracket of the BG/NBD expectations (k = r + x,
 * β = b + x, δ = a − 1), with w = 1 − z passed exactly (z is t / (α + T + t), w is (α + T) / (α + T + t)).
 *
 * The closed form is 0/0 at a = 1; Euler's transformation (1−z)^k ₂F₁(k, β; β+δ; z) = (1−z)^δ ₂F₁(β+δ−k, δ; β+δ; z)
 * = (1−z)^δ (1 + δ S) makes the δ explicit: G = −expm1(δ ln w)/δ − (1−z)^δ S. As z → 1 (tiny α, a customer
 * whose first purchase was today) the series in z does not end; there the connection formula to 1 − z is used.
 */
export function bgnbdGrowth(k: number, beta: number, delta: number, z: number, w: number): number {
  if (!(z > 0)) return 0;
  // For small z, log1p keeps the digits of ln w that the O(z) result is made of.
  const logW = z < 0.5 ? Math.log1p(-z) : Math.log(w);
  if (w >= SMALL_W) {
    // For small z too the plain form 1 − (≈1) would cancel (huge T: 8 digits lost); Euler's form has no such loss.
    if (Math.abs(delta) >= SMALL_DELTA && z >= SMALL_Z) {
      const scaled = scaledHyp2f1(k, beta, beta + delta, z);
      return trusted(1 - scaled, 1, Math.abs(scaled)) / delta;
    }
    const c = beta + delta;
    // S = Σ_{n≥1} (c−k)_n (δ+1)_{n−1} / ((c)_n n!) z^n. With k ≫ c the terms alternate and grow before they
    // shrink; their largest size against the sum says how many digits the cancellation cost.
    let term = ((c - k) * z) / c;
    let sum = term;
    let largest = Math.abs(term);
    for (let n = 1; n < 2_000_000 && term !== 0; n++) {
      const ratio = ((c - k + n) * (delta + n) * z) / ((c + n) * (n + 1));
      term *= ratio;
      sum += term;
      largest = Math.max(largest, Math.abs(term));
      if (Math.abs(term) <= 1e-17 * Math.abs(sum) && Math.abs(ratio) < 1) break;
    }
    const first = delta === 0 ? -logW : -Math.expm1(delta * logW) / delta;
    const second = Math.exp(delta * logW) * trusted(sum, largest, 0);
    return trusted(first - second, Math.abs(first), Math.abs(second));
  }
  // ₂F₁(A, B; C; z) = Γ(C)Γ(C−A−B)/(Γ(C−A)Γ(C−B)) ₂F₁(A, B; A+B−C+1; w)
  //                 + w^(C−A−B) Γ(C)Γ(A+B−C)/(Γ(A)Γ(B)) ₂F₁(C−A, C−B; C−A−B+1; w), with A = c−k, B = δ, C = c.
  // The gammas have poles where k − δ is an integer and the formula is 0/0 at δ = 0: there it is not used
  // (NaN sends the caller to direct integration).
  const gap = k - delta;
  if (Math.abs(delta) < 1e-5 || Math.abs(gap - Math.round(gap)) < 1e-5) return Number.NaN;
  const d = delta;
  const c = beta + d;
  const g1 = (gammaSigned(c) * gammaSigned(k - d)) / (gammaSigned(k) * gammaSigned(beta));
  const g2 = (gammaSigned(c) * gammaSigned(d - k)) / (gammaSigned(c - k) * gammaSigned(d));
  const left = Math.exp(d * logW) * g1 * smallArgumentHyp2f1(c - k, d, 1 + d - k, w);
  const right = Math.exp(k * logW) * g2 * smallArgumentHyp2f1(k, beta, 1 + k - d, w);
  const value = left + right;
  return trusted(1 - value, 1, Math.max(Math.abs(left), Math.abs(right))) / d;
}

/**
 * `value` if computing it as a difference of terms of size `a` and `b` kept at least ~8 significant digits,
 * NaN otherwise (the caller then uses a slower method that has no cancellation).
 */
function trusted(value: number, a: number, b: number): number {
  return Math.abs(value) >= 1e-8 * Math.max(a, b) ? value : Number.NaN;
}

/** ψ(z) = d/dz ln Γ(z) for z > 0: recurrence up to z ≥ 10, then the asymptotic series (error ~1e-16). */
export function digamma(z: number): number {
  let shift = 0;
  while (z < 10) {
    shift -= 1 / z;
    z += 1;
  }
  const inv = 1 / z;
  const inv2 = inv * inv;
  // ln z − 1/(2z) − Σ B_2k / (2k z^2k)
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return shift + Math.log(z) - 0.5 * inv - series;
}

/** log(1 + e^y) without overflow. */
function softplus(y: number): number {
  return y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

/** Tanh-sinh step; the integrand below is analytic in τ, so the trapezoid rule converges doubly exponentially. */
const TANH_SINH_STEP = 1 / 64;

/**
 * E_p[(1 − (1 + p·s)^−k) / p] for p ~ Beta(a, β): the BG/NBD expected purchases in the next t of a customer
 * alive now (k = r + x, β = b + x, s = t / (α + T)), by direct numerical integration over the dropout
 * probability p (given p, the purchase rate's posterior Gamma(k, α + T) integrates out in closed form).
 *
 * Slower than the hypergeometric forms (~2,000 evaluations) but valid for every positive parameter: the
 * integrand is positive and at most k·s, so the answer is finite and in [0, k·s] by construction. Used
 * where the series cannot be trusted (parameters at the edges of the search box).
 */
export function betaMixtureGrowth(k: number, a: number, beta: number, s: number): number {
  if (!(s > 0)) return 0;
  const logBeta = lgamma(a) + lgamma(beta) - lgamma(a + beta);
  // In y = logit p the Beta density is a log-concave bump at ln(a/β) of width ≈ √(1/a + 1/β); centring and
  // scaling the tanh-sinh map on it keeps a narrow bump (large a and β) resolved. Integrate far enough into
  // both tails that the density has fallen by e^−45: 12 widths around the bump (Gaussian there), and beyond
  // it p^a resp. (1 − p)^β decay like e^(a·y) resp. e^(−β·y).
  const centre = Math.log(a / beta);
  const width = Math.min(1, Math.sqrt(1 / a + 1 / beta));
  const reach = Math.max(12 * width, 45 / Math.min(a, beta));
  const tauMax = Math.asinh(reach / (Math.PI * width)) + 0.5;
  let sum = 0;
  for (let tau = -tauMax; tau <= tauMax; tau += TANH_SINH_STEP) {
    // p = 1 / (1 + e^−y); dp = p (1 − p) dy, dy = width π cosh τ dτ. In logs: p reaches 1e-100000.
    const y = centre + width * Math.PI * Math.sinh(tau);
    const logP = -softplus(-y);
    const logQ = -softplus(y);
    // Density × Jacobian: p^a (1 − p)^β / B(a, β) · π cosh τ; the integrand is that times (1 − (1 + p s)^−k) / p.
    const logMass = a * logP + beta * logQ - logBeta + Math.log(width * Math.PI * Math.cosh(tau));
    const logPs = logP + Math.log(s);
    let term: number;
    if (logPs < -30) {
      // (1 − (1 + p s)^−k) / p → k s as p s → 0 (relative error below k·p·s).
      term = k * s * Math.exp(logMass);
    } else {
      term = -Math.expm1(-k * Math.log1p(Math.exp(logPs))) * Math.exp(logMass - logP);
    }
    if (Number.isFinite(term)) sum += term;
  }
  return sum * TANH_SINH_STEP;
}
