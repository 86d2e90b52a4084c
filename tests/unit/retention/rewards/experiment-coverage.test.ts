import { describe, expect, it } from "vitest";
import { mulberry32, type Rng } from "../../../../app/retention/random";
import { rateDifference } from "../../../../app/retention/rewards/experiment-stats";

function buyers(rng: Rng, n: number, rate: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < rate) k++;
  return k;
}

describe("coverage of the 95% interval for the rate difference", () => {
  it("covers the true effect in 93–97% of 2,000 simulated holdout experiments", () => {
    const rng = mulberry32(20261205);
    const shapes = [
      // [eligible, holdout share, base rate, true lift]: small shops with rare buyers up to larger ones.
      [500, 0.1, 0.1, 0],
      [500, 0.1, 0.1, 0.03],
      [300, 0.2, 0.05, 0.02],
      [1000, 0.1, 0.2, 0.05],
      [2000, 0.05, 0.08, -0.02],
    ] as const;
    let covered = 0;
    const experiments = 2000;
    for (let e = 0; e < experiments; e++) {
      const [eligible, share, base, lift] = shapes[e % shapes.length];
      // Each customer is held out at random, as the rule's hash does.
      let held = 0;
      for (let i = 0; i < eligible; i++) if (rng() < share) held++;
      const treated = eligible - held;
      const d = rateDifference(buyers(rng, treated, base + lift), treated, buyers(rng, held, base), held)!;
      if (d.lower <= lift && lift <= d.upper) covered++;
    }
    const coverage = covered / experiments;
    expect(coverage).toBeGreaterThanOrEqual(0.93);
    expect(coverage).toBeLessThanOrEqual(0.97);
  });
});
