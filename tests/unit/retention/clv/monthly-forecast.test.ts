import { describe, expect, it } from "vitest";
import { bgnbdGammaGammaPredict } from "../../../../app/retention/clv/bgnbd-ranges";
import { expectedPurchases } from "../../../../app/retention/clv/bgnbd";
import {
  forecastMonth,
  monthActual,
  monthDays,
  monthsBetween,
  previousMonth,
  summariesBefore,
} from "../../../../app/retention/clv/monthly-forecast";
import { purchaseDaysByCustomer } from "../../../../app/retention/clv/cleaning";
import { dayNumber } from "../../../../app/retention/time";

const LOG = [
  { customerId: "a", date: "2026-01-10", amount: 30 },
  { customerId: "a", date: "2026-02-03", amount: 20 },
  { customerId: "a", date: "2026-03-05", amount: 25 },
  { customerId: "a", date: "2026-03-05", amount: 5 },
  { customerId: "b", date: "2026-03-02", amount: 40 },
  { customerId: "b", date: "2026-03-20", amount: 10 },
  { customerId: "c", date: "2026-02-27", amount: 15 },
  { customerId: "c", date: "2026-03-31", amount: -15 },
];

describe("monthly forecast arithmetic", () => {
  it("knows month bounds, the month before, and the complete months after a day", () => {
    expect(monthDays("2028-02")).toEqual({ first: dayNumber("2028-02-01"), last: dayNumber("2028-02-29") });
    expect(previousMonth("2026-01")).toBe("2025-12");
    expect(monthsBetween("2026-05-04", "2026-11")).toEqual(["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]);
    // A calibration ending on a month's last day leaves the next month whole.
    expect(monthsBetween("2026-05-31", "2026-07")).toEqual(["2026-06"]);
    expect(monthsBetween("2026-10-15", "2026-11")).toEqual([]);
  });

  it("counts what existing customers bought in the month: purchase days, netted, refund-only days left out", () => {
    const days = purchaseDaysByCustomer(LOG, dayNumber("2026-03-31"), undefined, "never");
    // a: one purchase day (two lines, 30); b is new in March; c's March day is a refund only.
    expect(monthActual(days, "2026-03")).toEqual({ actualPurchases: 1, actualRevenue: 30 });
    expect(monthActual(days, "2026-02")).toEqual({ actualPurchases: 1, actualRevenue: 20 });
  });

  it("forecasts from histories as of the day before the month", () => {
    const days = purchaseDaysByCustomer(LOG, dayNumber("2026-03-31"), undefined, "never");
    const summaries = summariesBefore(days, "2026-03", null);
    expect(summaries.map((c) => [c.customerId, c.frequency, c.recency, c.T, c.monetaryValue])).toEqual([
      ["a", 1, 24, 49, 20],
      ["c", 0, 0, 1, 0],
    ]);
    const params = { bgnbd: { r: 0.6, alpha: 60, a: 0.8, b: 3 }, gammaGamma: null };
    const forecast = forecastMonth({ predict: bgnbdGammaGammaPredict }, params, summaries, "2026-03");
    const expected = summaries.map((c) => expectedPurchases(params.bgnbd, c, 31));
    expect(forecast.customers).toBe(2);
    expect(forecast.predictedPurchases).toBeCloseTo(expected[0] + expected[1], 12);
    // Without a spend model each customer's own average per purchase day: a 25, c 15.
    expect(forecast.predictedRevenue).toBeCloseTo(expected[0] * 25 + expected[1] * 15, 10);
  });
});
