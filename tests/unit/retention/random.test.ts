import { describe, expect, it } from "vitest";
import { betaSample, exponentialSample, gammaSample, mulberry32, normalSample, poissonSample } from "../../../app/retention/random";

const N = 100_000;
/** Sample mean and variance of n draws. */
function moments(draw: () => number, n = N): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = draw();
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

/**
 * Means are checked to 5 standard errors of the mean (sd/√N), so a correct sampler fails with probability
 * < 1e-6 (and never, with the fixed seed); a wrong shape/scale convention misses by far more.
 */
function expectMean(draw: () => number, mean: number, variance: number): void {
  const m = moments(draw);
  expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / N));
  expect(m.variance / variance).toBeGreaterThan(0.9);
  expect(m.variance / variance).toBeLessThan(1.1);
}

describe("seeded samplers", () => {
  it("mulberry32 is deterministic, in [0, 1), and differs by seed", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    const rng = mulberry32(1);
    for (let i = 0; i < 10_000; i++) {
      const u = rng();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
    expectMean(mulberry32(5), 0.5, 1 / 12);
  });

  it("gamma(shape, scale) has mean shape·scale and variance shape·scale², for shape below and above 1", () => {
    const rng = mulberry32(2);
    expectMean(() => gammaSample(rng, 0.25, 4), 1, 4);
    expectMean(() => gammaSample(rng, 6.25, 1 / 3), 6.25 / 3, 6.25 / 9);
  });

  it("beta, exponential, normal and poisson have the right first two moments", () => {
    const rng = mulberry32(3);
    expectMean(() => betaSample(rng, 0.8, 2.5), 0.8 / 3.3, (0.8 * 2.5) / (3.3 * 3.3 * 4.3));
    expectMean(() => exponentialSample(rng, 4), 0.25, 1 / 16);
    expectMean(() => normalSample(rng), 0, 1);
    expectMean(() => poissonSample(rng, 3.5), 3.5, 3.5);
    expectMean(() => poissonSample(rng, 250), 250, 250);
  });

  it("rejects invalid parameters", () => {
    const rng = mulberry32(4);
    expect(() => gammaSample(rng, 0, 1)).toThrow(RangeError);
    expect(() => exponentialSample(rng, -1)).toThrow(RangeError);
    expect(() => poissonSample(rng, -1)).toThrow(RangeError);
    expect(poissonSample(rng, 0)).toBe(0);
  });
});
