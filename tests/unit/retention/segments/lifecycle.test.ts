import { describe, expect, it } from "vitest";
import {
  classifyLifecycle,
  DEFAULT_LIFECYCLE_SETTINGS,
  shopCadence,
  type LifecycleInput,
} from "../../../../app/retention/segments/lifecycle";

const cadence = { typicalIntervalDays: 40, repeatBuyers: 120 };
const base: LifecycleInput = {
  orders: 3,
  purchaseDays: 3,
  daysSinceLastOrder: 20,
  firstToLastDays: 80,
  pAlive: 0.8,
  frequencyScore: 3,
};

describe("lifecycle groups", () => {
  it("New: one order, not overdue — judged against the shop's typical interval", () => {
    const result = classifyLifecycle(
      { ...base, orders: 1, purchaseDays: 1, firstToLastDays: 0, daysSinceLastOrder: 12, pAlive: 1 },
      cadence,
    );
    expect(result.group).toBe("new");
    expect(result.reason).toMatchObject({ rule: "single-purchase", intervalSource: "shop", usualIntervalDays: 40 });
    expect(result.text).toBe(
      "1 order, 12 days ago, customers of this shop usually return within 40 days; first purchase, not overdue yet.",
    );
  });

  it("Lapsed (overdue): a one-time buyer past k × the typical interval, even though BG/NBD says P(alive) = 1", () => {
    const result = classifyLifecycle(
      { ...base, orders: 1, purchaseDays: 1, firstToLastDays: 0, daysSinceLastOrder: 121, pAlive: 1 },
      cadence,
    );
    expect(result.group).toBe("lapsed");
    expect(result.reason.rule).toBe("overdue");
    expect(result.text).toContain("no order for more than 3× that");
  });

  it("Lapsed (P(alive)): a repeat buyer the model gives up on", () => {
    const result = classifyLifecycle({ ...base, daysSinceLastOrder: 212, pAlive: 0.12 }, cadence);
    expect(result.group).toBe("lapsed");
    expect(result.reason).toMatchObject({ rule: "p-alive-low", pAlive: 0.12, pAliveThreshold: 0.3 });
    expect(result.text).toBe("3 orders, last 212 days ago, usually buys every 40 days; only a 12% chance they still buy here (below 30%).");
  });

  it("Lapsed (overdue) for a repeat buyer when the shop has no fitted model", () => {
    const result = classifyLifecycle({ ...base, daysSinceLastOrder: 130, pAlive: null }, cadence);
    expect(result.group).toBe("lapsed");
    expect(result.reason).toMatchObject({ rule: "overdue", intervalSource: "customer", usualIntervalDays: 40 });
  });

  it("Regular: enough orders, at or above the shop's cadence, top frequency score", () => {
    const result = classifyLifecycle({ ...base, orders: 8, purchaseDays: 8, firstToLastDays: 140, frequencyScore: 5 }, cadence);
    expect(result.group).toBe("regular");
    expect(result.reason.rule).toBe("cadence");
    expect(result.text).toBe(
      "8 orders, last 20 days ago, usually buys every 20 days, as often as or more often than the shop's typical 40 days, and one of its most frequent buyers.",
    );
  });

  it("Loyal: came back, still active, but not a top-frequency regular", () => {
    const result = classifyLifecycle(base, cadence);
    expect(result.group).toBe("loyal");
    expect(result.reason.rule).toBe("returned");
    expect(result.text).toBe("3 orders, last 20 days ago, usually buys every 40 days; came back and is likely still active (80% chance).");
    // A frequent but slower-than-typical buyer is Loyal too.
    expect(classifyLifecycle({ ...base, firstToLastDays: 200, frequencyScore: 5 }, cadence).group).toBe("loyal");
  });

  it("falls back to the default interval when nobody in the shop has bought twice", () => {
    const noRepeat = shopCadence([{ purchaseDays: 1, firstToLastDays: 0 }]);
    expect(noRepeat).toEqual({ typicalIntervalDays: null, repeatBuyers: 0 });
    const input = { ...base, orders: 1, purchaseDays: 1, firstToLastDays: 0, pAlive: null };
    const recent = classifyLifecycle({ ...input, daysSinceLastOrder: 100 }, noRepeat);
    expect(recent.group).toBe("new");
    expect(recent.reason).toMatchObject({ intervalSource: "default", usualIntervalDays: DEFAULT_LIFECYCLE_SETTINGS.defaultIntervalDays });
    expect(recent.text).toContain("a 90 days cycle is assumed");
    expect(classifyLifecycle({ ...input, daysSinceLastOrder: 271 }, noRepeat).group).toBe("lapsed");
  });

  it("thresholds are shop settings", () => {
    const strict = { ...DEFAULT_LIFECYCLE_SETTINGS, pAliveThreshold: 0.9 };
    expect(classifyLifecycle(base, cadence, strict).group).toBe("lapsed");
    const patient = { ...DEFAULT_LIFECYCLE_SETTINGS, intervalMultiple: 10 };
    const oneTimer = { ...base, orders: 1, purchaseDays: 1, firstToLastDays: 0, daysSinceLastOrder: 200, pAlive: 1 };
    expect(classifyLifecycle(oneTimer, cadence).group).toBe("lapsed");
    expect(classifyLifecycle(oneTimer, cadence, patient).group).toBe("new");
  });

  it("shop cadence is the median of repeat buyers' mean intervals", () => {
    const result = shopCadence([
      { purchaseDays: 1, firstToLastDays: 0 },
      { purchaseDays: 2, firstToLastDays: 10 },
      { purchaseDays: 3, firstToLastDays: 60 },
      { purchaseDays: 5, firstToLastDays: 400 },
    ]);
    expect(result).toEqual({ typicalIntervalDays: 30, repeatBuyers: 3 });
  });
});
