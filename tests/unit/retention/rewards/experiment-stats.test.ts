import { describe, expect, it } from "vitest";
import {
  addMoment,
  customersToDetect,
  expectedRunLength,
  experimentState,
  intervalHalfWidth,
  meanDifference,
  minimumDetectableEffect,
  NO_MOMENTS,
  rateDifference,
  wilsonInterval,
} from "../../../../app/retention/rewards/experiment-stats";

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const moments = (values: number[]) => values.reduce(addMoment, NO_MOMENTS);

describe("Wilson score interval", () => {
  // Newcombe RG (1998a), Two-sided confidence intervals for the single proportion, Stat Med 17:857–872, Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i/%i → %f to %f", (x, n, lower, upper) => {
    const w = wilsonInterval(x, n)!;
    expect(w.lower).toBeCloseTo(lower, 3);
    expect(w.upper).toBeCloseTo(upper, 3);
  });

  it("has no interval without observations", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe("Newcombe's hybrid score interval for a difference (method 10)", () => {
  // Newcombe RG (1998b), Interval estimation for the difference between independent proportions:
  // comparison of eleven methods, Stat Med 17:873–890, Table II, method 10, examples (a)–(h).
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])("%i/%i − %i/%i → %f to %f", (x1, n1, x2, n2, lower, upper) => {
    const d = rateDifference(x1, n1, x2, n2)!;
    expect(d.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(d.lower).toBeCloseTo(lower, 3);
    expect(d.upper).toBeCloseTo(upper, 3);
  });

  it("gives the worked example's difference of 0.2000", () => {
    expect(round3(rateDifference(56, 70, 48, 80)!.difference)).toBe(0.2);
  });

  it("has no interval when an arm is empty", () => {
    expect(rateDifference(3, 10, 0, 0)).toBeNull();
  });
});

describe("Welch interval for revenue per eligible customer", () => {
  it("is the difference of means ± 1.96 standard errors with each arm's own variance", () => {
    // a: mean 10, sample variance 80/3; b: mean 4, sample variance 56/3.
    const a = moments([4, 8, 12, 16]);
    const b = moments([0, 2, 4, 10]);
    const d = meanDifference(a, b)!;
    const se = Math.sqrt(80 / 3 / 4 + 56 / 3 / 4);
    expect(d.difference).toBeCloseTo(6, 12);
    expect(d.lower).toBeCloseTo(6 - 1.959964 * se, 5);
    expect(d.upper).toBeCloseTo(6 + 1.959964 * se, 5);
  });

  it("needs two customers per arm", () => {
    expect(meanDifference(moments([5]), moments([1, 2]))).toBeNull();
  });
});

describe("planning a holdout", () => {
  it("at a 10% base rate, 500 eligible with a 10% holdout give an interval of about ±8.8 points", () => {
    expect(Math.round(intervalHalfWidth(0.1, 500, 0.1)! * 1000) / 10).toBe(8.8);
  });

  it("detecting +3 points at a 10% base rate and a 10% holdout needs about 8,900 eligible customers", () => {
    const n = customersToDetect(0.1, 0.03, 0.1)!;
    expect(Math.round(n / 100) * 100).toBe(8900);
    // A larger holdout needs fewer customers; a larger lift needs far fewer.
    expect(customersToDetect(0.1, 0.03, 0.5)!).toBeLessThan(n / 2);
    expect(customersToDetect(0.1, 0.06, 0.1)!).toBeLessThan(n / 3);
  });

  it("the minimum detectable effect is the lift those customers detect", () => {
    const n = customersToDetect(0.1, 0.03, 0.1)!;
    expect(minimumDetectableEffect(0.1, n, 0.1)!).toBeCloseTo(0.03, 4);
    expect(minimumDetectableEffect(0.1, 500, 0.1)!).toBeGreaterThan(0.1);
    expect(minimumDetectableEffect(0.1, 5, 0.1)).toBeNull();
    expect(minimumDetectableEffect(0.1, 500, 0)).toBeNull();
  });

  it("the run length is the customers needed over the eligible volume per period, rounded up", () => {
    expect(expectedRunLength(0.1, 0.03, 1000, 0.1)).toBe(9);
    expect(expectedRunLength(0.1, 0.03, 0, 0.1)).toBeNull();
  });
});

describe("experiment state", () => {
  it("is too early until both arms have 20 complete customers", () => {
    expect(experimentState(200, 19, { lower: 0.1, upper: 0.2 })).toBe("tooEarly");
    expect(experimentState(19, 200, { lower: 0.1, upper: 0.2 })).toBe("tooEarly");
    expect(experimentState(200, 200, null)).toBe("tooEarly");
  });

  it("works above zero, hurts below, and has no detectable effect while the interval spans zero", () => {
    expect(experimentState(200, 20, { lower: 0.01, upper: 0.2 })).toBe("works");
    expect(experimentState(200, 20, { lower: -0.2, upper: -0.01 })).toBe("hurts");
    expect(experimentState(200, 20, { lower: -0.01, upper: 0.2 })).toBe("noDetectableEffect");
  });
});
