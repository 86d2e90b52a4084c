/**
 * Seeded pseudo-random numbers and the samplers the CLV simulator and the emulator's shop generator share.
 * Everything takes an explicit `rng` so results are reproducible from a seed.
 */

export type Rng = () => number;

/** Mulberry32: tiny, fast 32-bit PRNG; uniform in [0, 1). Good enough for simulation, not for crypto. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in (0, 1): never exactly 0, so logs and powers stay finite. */
export function uniformOpen(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return u;
}

/** Standard normal via Box–Muller (one value per call; simplicity over speed). */
export function normalSample(rng: Rng): number {
  const u1 = uniformOpen(rng);
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Exponential with the given rate (mean 1 / rate). */
export function exponentialSample(rng: Rng, rate: number): number {
  if (!(rate > 0)) throw new RangeError(`exponential rate must be > 0, got ${rate}`);
  return -Math.log(uniformOpen(rng)) / rate;
}

/**
 * Gamma(shape, scale) (mean shape × scale) by Marsaglia & Tsang (2000).
 * For shape < 1 uses the boost Gamma(shape) = Gamma(shape + 1) · U^(1/shape).
 */
export function gammaSample(rng: Rng, shape: number, scale = 1): number {
  if (!(shape > 0) || !(scale > 0)) {
    throw new RangeError(`gamma shape and scale must be > 0, got ${shape}, ${scale}`);
  }
  if (shape < 1) {
    const boost = Math.pow(uniformOpen(rng), 1 / shape);
    return gammaSample(rng, shape + 1, scale) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalSample(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen(rng);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(rng: Rng, a: number, b: number): number {
  const x = gammaSample(rng, a, 1);
  const y = gammaSample(rng, b, 1);
  return x / (x + y);
}

/**
 * Poisson(mean). Knuth's product method for small means; for large means the sum of
 * Poisson pieces of size ≤ 30 keeps exp(-mean) from underflowing while staying exact.
 */
export function poissonSample(rng: Rng, mean: number): number {
  if (!(mean >= 0)) throw new RangeError(`poisson mean must be >= 0, got ${mean}`);
  let remaining = mean;
  let count = 0;
  while (remaining > 0) {
    const chunk = Math.min(remaining, 30);
    remaining -= chunk;
    const limit = Math.exp(-chunk);
    let product = uniformOpen(rng);
    while (product > limit) {
      count += 1;
      product *= uniformOpen(rng);
    }
  }
  return count;
}
