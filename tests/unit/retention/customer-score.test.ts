import { describe, expect, it } from "vitest";
import { probabilityAlive } from "../../../app/retention/clv/bgnbd";
import type { CustomerSummary } from "../../../app/retention/clv/summary";
import { lapsedDaysAgo, scoreCustomer, type ScoringModel } from "../../../app/retention/customer-score";
import { DEFAULT_LIFECYCLE_SETTINGS } from "../../../app/retention/segments/lifecycle";
import { mulberry32 } from "../../../app/retention/random";

const params = { r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 };
const model: ScoringModel = {
  purchase: params,
  gammaGamma: null,
  cadence: { typicalIntervalDays: 60, repeatBuyers: 100 },
  lifespanYears: 1,
  horizonMonths: 12,
  monthlyDiscountRate: 0.01,
  lifecycle: { ...DEFAULT_LIFECYCLE_SETTINGS, pAliveThreshold: 0.3, intervalMultiple: 3 },
};
const summary = (over: Partial<CustomerSummary>): CustomerSummary => ({
  customerId: "c",
  frequency: 0,
  recency: 0,
  T: 0,
  monetaryValue: 0,
  orderCount: 1,
  totalSpend: 50,
  ...over,
});

describe("when a Lapsed customer crossed the line", () => {
  it("dates a one-time buyer by the interval rule: quiet days beyond multiple × the shop's interval", () => {
    // 400 quiet days, allowed 3 × 60 = 180: overdue from day 181, i.e. 219 days ago.
    const scored = scoreCustomer(summary({ T: 400 }), model, 1);
    expect(scored.lifecycle.group).toBe("lapsed");
    expect(scored.lifecycle.reason.rule).toBe("overdue");
    expect(scored.lapsedDaysAgo).toBe(219);
  });

  it("dates a repeat buyer by the first quiet day on which P(alive) fell below the threshold", () => {
    const c = summary({ frequency: 4, recency: 100, T: 700, orderCount: 5, totalSpend: 250 });
    const scored = scoreCustomer(c, model, 3);
    expect(scored.lifecycle.reason.rule).toBe("p-alive-low");
    const ago = scored.lapsedDaysAgo!;
    const crossed = 600 - ago;
    expect(ago).toBeGreaterThan(0);
    expect(probabilityAlive(params, { frequency: 4, recency: 100, T: 100 + crossed })).toBeLessThan(0.3);
    expect(probabilityAlive(params, { frequency: 4, recency: 100, T: 100 + crossed - 1 })).toBeGreaterThanOrEqual(0.3);
  });

  it("is null for anyone not Lapsed, and never in the future", () => {
    const active = scoreCustomer(summary({ frequency: 3, recency: 90, T: 100, orderCount: 4, totalSpend: 200 }), model, 5);
    expect(active.lifecycle.group).not.toBe("lapsed");
    expect(active.lapsedDaysAgo).toBeNull();
    const justOver = scoreCustomer(summary({ T: 181 }), model, 1);
    expect(justOver.lapsedDaysAgo).toBe(0);
    expect(lapsedDaysAgo(summary({ T: 181 }), justOver.lifecycle, null)).toBe(0);
  });
});

describe("never NaN or Infinity", () => {
  it("gives finite (or null) numbers for every customer under any parameters in the fit's box", () => {
    // Seeded sweep: r, a, b within e^±10, α wider, customers from brand-new to decades of history.
    const rng = mulberry32(23);
    const logUniform = (lo: number, hi: number): number => Math.exp(lo + (hi - lo) * rng());
    for (let i = 0; i < 40; i++) {
      const bgnbd = { r: logUniform(-10, 10), alpha: logUniform(-12, 14), a: logUniform(-10, 10), b: logUniform(-10, 10) };
      const gammaGamma = { p: logUniform(-3, 3), q: 1 + logUniform(-10, 3), v: logUniform(-3, 8) };
      const T = i % 5 === 0 ? 0 : logUniform(-2, 9);
      const frequency = i % 3 === 0 ? 0 : Math.floor(logUniform(0, 6));
      const c = summary({ frequency, recency: frequency === 0 ? 0 : T * rng(), T, orderCount: frequency + 1, monetaryValue: 30 });
      const scored = scoreCustomer(c, { ...model, purchase: bgnbd, gammaGamma }, 3);
      for (const value of [scored.predictedClv, scored.pAlive, scored.expectedPurchases, scored.expectedSpend, scored.historicClv.clv]) {
        if (value !== null) expect(Number.isFinite(value), JSON.stringify({ bgnbd, gammaGamma, c })).toBe(true);
      }
    }
  });
});
