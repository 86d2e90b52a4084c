/** Special functions for the CLV models, written for accuracy near the edges the likelihoods visit. */

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
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
