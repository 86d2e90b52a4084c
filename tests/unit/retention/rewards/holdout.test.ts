import { holdoutScore, isHeldOut } from "../../../../app/retention/rewards/holdout";

const customers = Array.from({ length: 10_000 }, (_, i) => `gid://shopify/Customer/${1000 + i}`);

describe("holdout", () => {
  // Bounds are 4 binomial standard deviations: a fair hash fails them about once in 16,000 draws.
  const bound = (share: number, n: number) => 4 * Math.sqrt((share * (1 - share)) / n);

  it("withholds close to the configured share", () => {
    for (const share of [0.05, 0.1, 0.25, 0.5]) {
      const held = customers.filter((c) => isHeldOut("rule-birthday", c, share)).length / customers.length;
      expect(Math.abs(held - share)).toBeLessThan(bound(share, customers.length));
    }
  });

  it("is unbiased across many rules (500,000 assignments)", () => {
    let held = 0;
    for (let r = 0; r < 50; r++) held += customers.filter((c) => isHeldOut(`rule-${r}`, c, 0.1)).length;
    const share = held / (50 * customers.length);
    expect(Math.abs(share - 0.1)).toBeLessThan(bound(0.1, 50 * customers.length));
  });

  it("assigns the same customer to the same arm every time", () => {
    const first = customers.map((c) => isHeldOut("rule-1", c, 0.1));
    const second = customers.map((c) => isHeldOut("rule-1", c, 0.1));
    expect(second).toEqual(first);
    expect(holdoutScore("rule-1", customers[0])).toBe(holdoutScore("rule-1", customers[0]));
  });

  it("draws independent groups for different rules", () => {
    const a = new Set(customers.filter((c) => isHeldOut("rule-a", c, 0.1)));
    const both = customers.filter((c) => a.has(c) && isHeldOut("rule-b", c, 0.1)).length;
    // Independent 10% groups overlap on about 1% of customers (100 of 10,000).
    expect(both).toBeGreaterThan(60);
    expect(both).toBeLessThan(140);
  });

  it("withholds nobody at share 0", () => {
    expect(customers.some((c) => isHeldOut("rule-1", c, 0))).toBe(false);
  });
});
