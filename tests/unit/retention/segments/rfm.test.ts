import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../app/retention/random";
import { quintileScores, RFM_SEGMENT_LABELS, RFM_SEGMENTS, rfmSegment, scoreRfm, type Score } from "../../../../app/retention/segments/rfm";

const customers = [
  { daysSinceLastOrder: 5, orders: 5, monetary: 100 },
  { daysSinceLastOrder: 10, orders: 3, monetary: 90 },
  { daysSinceLastOrder: 10, orders: 2, monetary: 80 },
  { daysSinceLastOrder: 30, orders: 2, monetary: 70 },
  { daysSinceLastOrder: 60, orders: 1, monetary: 60 },
  { daysSinceLastOrder: 90, orders: 1, monetary: 50 },
  { daysSinceLastOrder: 90, orders: 1, monetary: 40 },
  { daysSinceLastOrder: 90, orders: 1, monetary: 30 },
  { daysSinceLastOrder: 200, orders: 1, monetary: 20 },
  { daysSinceLastOrder: 400, orders: 1, monetary: 10 },
];

describe("RFM quintile scores", () => {
  it("scores hand-built data, giving each tie group the quintile of its first position", () => {
    const scores = scoreRfm(customers);
    // Recency, worst first: 400 (pos 0) → 1, 200 (1) → 1, 90×3 (2) → 2, 60 (5) → 3, 30 (6) → 4, 10×2 (7) → 4, 5 (9) → 5.
    expect(scores.map((s) => s.r)).toEqual([5, 4, 4, 4, 3, 2, 2, 2, 1, 1]);
    // Orders: six 1s at positions 0–5 → 1; 2s start at 6 → 4; 3 at 8 → 5; 5 at 9 → 5. Scores 2–3 go unused.
    expect(scores.map((s) => s.f)).toEqual([5, 5, 4, 4, 1, 1, 1, 1, 1, 1]);
    expect(scores.map((s) => s.m)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(scores.map((s) => s.segment)).toEqual([
      "champions",
      "loyal",
      "loyal",
      "loyal",
      "about_to_sleep",
      "hibernating",
      "hibernating",
      "hibernating",
      "hibernating",
      "hibernating",
    ]);
  });

  it("does not depend on row order", () => {
    const reversed = scoreRfm([...customers].reverse()).reverse();
    expect(reversed).toEqual(scoreRfm(customers));
    const rotated = [...customers.slice(3), ...customers.slice(0, 3)];
    const rotatedScores = scoreRfm(rotated);
    expect([...rotatedScores.slice(7), ...rotatedScores.slice(0, 7)]).toEqual(scoreRfm(customers));
  });

  it("gives identical customers identical scores and uses fewer scores with fewer distinct values", () => {
    expect(quintileScores([7, 7, 7, 7], true)).toEqual([1, 1, 1, 1]);
    expect(quintileScores([1, 2, 1, 2], true)).toEqual([1, 3, 1, 3]);
    expect(quintileScores([], true)).toEqual([]);
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("reads each score against four cut values exactly as floor(5 · strictly worse / n) + 1 defines it", () => {
    const rng = mulberry32(41);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 24, 25, 26, 99, 1000]) {
      // Few distinct values, so ties straddle the quintile boundaries.
      const values = Array.from({ length: n }, () => Math.floor(rng() * (2 + (n % 13))) * (rng() < 0.1 ? -0.5 : 1.5));
      for (const higherIsBetter of [true, false]) {
        const worse = (a: number, b: number) => (higherIsBetter ? a < b : a > b);
        const byDefinition = values.map((v) => Math.floor((5 * values.filter((u) => worse(u, v)).length) / n) + 1);
        expect(quintileScores(values, higherIsBetter), `n = ${n}`).toEqual(byDefinition);
      }
    }
  });

  it("rejects non-finite inputs", () => {
    expect(() => scoreRfm([{ daysSinceLastOrder: Number.NaN, orders: 1, monetary: 1 }])).toThrow(/finite/);
  });
});

describe("R × F segment grid", () => {
  const expected: Record<number, string[]> = {
    5: ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
    4: ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
    3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
    1: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  };

  it("matches the table of RFM-NOTES.md cell by cell", () => {
    for (const r of [1, 2, 3, 4, 5] as Score[]) {
      for (const f of [1, 2, 3, 4, 5] as Score[]) expect(rfmSegment(r, f)).toBe(expected[r][f - 1]);
    }
  });

  it("uses each of the 10 names and labels them", () => {
    const used = new Set<string>();
    for (const r of [1, 2, 3, 4, 5] as Score[]) for (const f of [1, 2, 3, 4, 5] as Score[]) used.add(rfmSegment(r, f));
    expect([...used].sort()).toEqual([...RFM_SEGMENTS].sort());
    expect(RFM_SEGMENT_LABELS.cant_lose).toBe("Can't lose them");
  });
});
