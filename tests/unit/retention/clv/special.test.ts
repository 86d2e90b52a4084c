import { describe, expect, it } from "vitest";
import { digamma, hyp2f1, lgamma, logSumExp, scaledHyp2f1 } from "../../../../app/retention/clv/special";
import { invertMatrix, minimizeBfgs, minimizeMultiStart, nelderMead, type ValueAndGradient } from "../../../../app/retention/clv/optimize";

describe("lgamma", () => {
  it("matches factorials and Γ(1/2) = √π", () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(2)).toBeCloseTo(0, 14);
    expect(lgamma(11)).toBeCloseTo(Math.log(3628800), 12);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lgamma(171)).toBeCloseTo(706.5730622457874, 9);
  });
  it("is accurate for small arguments (reflection branch)", () => {
    // Γ(z) ≈ 1/z − γ for tiny z.
    const z = 1e-8;
    expect(lgamma(z)).toBeCloseTo(Math.log(1 / z - 0.5772156649015329), 8);
  });
});

describe("logSumExp", () => {
  it("handles terms that would overflow or underflow", () => {
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp(-1000, -1001)).toBeCloseTo(-1000 + Math.log1p(Math.exp(-1)), 12);
    expect(logSumExp(-Infinity, 3)).toBe(3);
  });
});

describe("hypergeometric 2F1", () => {
  it("matches closed forms", () => {
    for (const z of [0.01, 0.3, 0.9, 0.999]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
      const exact = Math.pow(1 - z, -2.5);
      expect(Math.abs(hyp2f1(2.5, 1.3, 1.3, z) / exact - 1)).toBeLessThan(1e-12);
    }
  });
  it("keeps (1 − z)^k · 2F1 finite when 2F1 alone overflows", () => {
    // 2F1(k, b; b; z) = (1 − z)^−k, so the scaled product is exactly 1 even for k = 800, z = 0.999.
    expect(scaledHyp2f1(800, 4, 4, 0.999)).toBeCloseTo(1, 9);
  });
});

describe("Nelder–Mead", () => {
  const rosenbrock = (x: number[]): number => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;

  it("minimises the Rosenbrock function", () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { fTolerance: 1e-14, xTolerance: 1e-9 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it("multi-start picks the global minimum and confirms a vanishing gradient", () => {
    // Two basins; the deeper one is at x = 3.
    const f = (x: number[]): number => Math.min((x[0] + 2) ** 2 + 1, (x[0] - 3) ** 2) + x[1] ** 2;
    const result = minimizeMultiStart(
      f,
      [
        [-2, 0],
        [2.5, 1],
      ],
      { fTolerance: 1e-14, xTolerance: 1e-9 },
    );
    expect(result.x[0]).toBeCloseTo(3, 5);
    expect(result.converged).toBe(true);
    expect(result.gradientMax).toBeLessThan(1e-4);
  });

  it("treats NaN as infeasible", () => {
    const f = (x: number[]): number => (x[0] < 0 ? Number.NaN : (x[0] - 1) ** 2);
    expect(nelderMead(f, [0.5], { fTolerance: 1e-14, xTolerance: 1e-10 }).x[0]).toBeCloseTo(1, 6);
  });
});

describe("invertMatrix", () => {
  it("inverts and detects singular matrices", () => {
    const inverse = invertMatrix([
      [4, 1],
      [1, 3],
    ]);
    expect(inverse?.[0][0]).toBeCloseTo(3 / 11, 12);
    expect(inverse?.[0][1]).toBeCloseTo(-1 / 11, 12);
    expect(
      invertMatrix([
        [1, 2],
        [2, 4],
      ]),
    ).toBeNull();
  });
});

describe("digamma", () => {
  it("matches mpmath to ~1e-15 from tiny to huge arguments", () => {
    // mpmath.digamma at 30 digits.
    const cases: [number, number][] = [
      [1e-5, -100000.577199216],
      [0.5, -1.96351002602142],
      [1, -0.577215664901533],
      [5.9, 1.68781942590796],
      [100, 4.60016185273809],
      [22026, 9.99995615210819],
    ];
    for (const [z, want] of cases) expect(Math.abs(digamma(z) - want)).toBeLessThan(2e-14 * Math.max(1, Math.abs(want)));
  });
});

describe("BFGS with a box", () => {
  const rosenbrock: ValueAndGradient = (x, g) => {
    g[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]);
    g[1] = 200 * (x[1] - x[0] ** 2);
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
  };

  it("minimises the Rosenbrock function in far fewer evaluations than Nelder–Mead", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-9 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 7);
    expect(result.x[1]).toBeCloseTo(1, 7);
    const simplex = nelderMead((x) => rosenbrock(Float64Array.from(x), new Float64Array(2)), [-1.2, 1], {
      fTolerance: 1e-14,
      xTolerance: 1e-9,
    });
    expect(result.evaluations).toBeLessThan(simplex.evaluations / 3);
  });

  it("stops on a bound that the optimum lies beyond, reports it, and counts that as converged", () => {
    // Unconstrained minimum at (3, −2); the box stops x0 at 1.
    const bowl: ValueAndGradient = (x, g) => {
      g[0] = 2 * (x[0] - 3);
      g[1] = 2 * (x[1] + 2);
      return (x[0] - 3) ** 2 + (x[1] + 2) ** 2;
    };
    const result = minimizeBfgs(bowl, [0, 0], { lower: [-5, -5], upper: [1, 5] });
    expect(result.x[0]).toBe(1);
    expect(result.x[1]).toBeCloseTo(-2, 8);
    expect(result.atBounds).toEqual([0]);
    expect(result.converged).toBe(true);
  });

  it("says not converged when the iteration budget runs out", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.gradientMax).toBeGreaterThan(1e-6);
  });
});
