/**
 * RFM scores 1–5 by quintiles within the shop, and the named R × F grid (RFM-NOTES.md §1–2).
 * Ties follow Kinship's rule: equal values get equal scores — the whole tie group takes the quintile of its
 * first position in the ranking — so scores never depend on the order customers arrive in.
 */

export type Score = 1 | 2 | 3 | 4 | 5;

export interface RfmInput {
  /** Days from the last order to the analysis date (fewer is better). */
  daysSinceLastOrder: number;
  /** Number of orders (more is better). */
  orders: number;
  /** Net spend over the analysis window — total, not average order value (more is better). */
  monetary: number;
}

export interface RfmScore {
  r: Score;
  f: Score;
  m: Score;
}

export const RFM_SEGMENTS = [
  "champions",
  "loyal",
  "potential_loyalist",
  "new",
  "promising",
  "need_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** English names as merchants know them; the key is what gets stored and translated. */
export const RFM_SEGMENT_LABELS: Record<RfmSegment, string> = {
  champions: "Champions",
  loyal: "Loyal",
  potential_loyalist: "Potential loyalist",
  new: "New",
  promising: "Promising",
  need_attention: "Need attention",
  about_to_sleep: "About to sleep",
  at_risk: "At risk",
  cant_lose: "Can't lose them",
  hibernating: "Hibernating",
};

/** The R × F grid, rows R = 1..5, columns F = 1..5. */
const GRID: readonly (readonly RfmSegment[])[] = [
  ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
  ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
  ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
];

export function rfmSegment(r: Score, f: Score): RfmSegment {
  return GRID[r - 1][f - 1];
}

/**
 * Quintile scores 1 (worst) .. 5 (best). Values are ranked worst first; each group of equal values gets
 * floor(5 · firstPosition / n) + 1, where firstPosition is the number of strictly worse values (found by
 * binary search in a sorted copy, so the result cannot depend on input order). A measure with fewer than
 * five distinct values uses fewer scores.
 */
export function quintileScores(values: ArrayLike<number>, higherIsBetter: boolean): Score[] {
  const n = values.length;
  const sign = higherIsBetter ? 1 : -1;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = sign * values[i];
  sorted.sort();
  const scores = new Array<Score>(n);
  for (let i = 0; i < n; i++) {
    const key = sign * values[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    scores[i] = (Math.floor((5 * lo) / n) + 1) as Score;
  }
  return scores;
}

export interface RfmResult extends RfmScore {
  segment: RfmSegment;
}

/** Scores every customer of one shop against the others. */
export function scoreRfm(customers: readonly RfmInput[]): RfmResult[] {
  return scoreRfmColumns(
    customers.map((c) => c.daysSinceLastOrder),
    customers.map((c) => c.orders),
    customers.map((c) => c.monetary),
  );
}

/** scoreRfm on parallel columns (no per-customer input objects; used when scoring large shops). */
export function scoreRfmColumns(
  daysSinceLastOrder: ArrayLike<number>,
  orders: ArrayLike<number>,
  monetary: ArrayLike<number>,
): RfmResult[] {
  const n = daysSinceLastOrder.length;
  if (orders.length !== n || monetary.length !== n) throw new RangeError("RFM columns must have equal length");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(daysSinceLastOrder[i]) || !Number.isFinite(orders[i]) || !Number.isFinite(monetary[i])) {
      throw new RangeError(`customer ${i}: RFM inputs must be finite numbers`);
    }
  }
  const r = quintileScores(daysSinceLastOrder, false);
  const f = quintileScores(orders, true);
  const m = quintileScores(monetary, true);
  const results = new Array<RfmResult>(n);
  for (let i = 0; i < n; i++) results[i] = { r: r[i], f: f[i], m: m[i], segment: rfmSegment(r[i], f[i]) };
  return results;
}
