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
  const cuts = quintileCuts(values, higherIsBetter);
  const scores = new Array<Score>(values.length);
  for (let i = 0; i < values.length; i++) scores[i] = quintileScore(values[i], cuts);
  return scores;
}

/**
 * The four values a score is read against: with firstPosition = number of strictly worse values, floor(5 ·
 * firstPosition / n) ≥ s exactly when firstPosition ≥ k_s = ⌈s·n/5⌉, i.e. when the k_s-th worst value is
 * strictly worse. So one sort and four comparisons per customer give quintileScores' answer, no search.
 * Kept with the sign applied (worse = smaller), the sign in element 4.
 */
export function quintileCuts(values: ArrayLike<number>, higherIsBetter: boolean): Float64Array {
  const n = values.length;
  const sign = higherIsBetter ? 1 : -1;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = sign * values[i];
  sorted.sort();
  const cuts = new Float64Array(5);
  // k_s = ⌈s·n/5⌉ ≥ 1 for n ≥ 1; with no values there is nothing to score.
  for (let s = 1; s <= 4; s++) cuts[s - 1] = n > 0 ? sorted[Math.floor((s * n + 4) / 5) - 1] : 0;
  cuts[4] = sign;
  return cuts;
}

export function quintileScore(value: number, cuts: Float64Array): Score {
  const key = cuts[4] * value;
  return (1 + (cuts[0] < key ? 1 : 0) + (cuts[1] < key ? 1 : 0) + (cuts[2] < key ? 1 : 0) + (cuts[3] < key ? 1 : 0)) as Score;
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
  const { r, f, m } = rfmScoreColumns(daysSinceLastOrder, orders, monetary);
  const results = new Array<RfmResult>(r.length);
  for (let i = 0; i < r.length; i++) {
    const [ri, fi, mi] = [r[i] as Score, f[i] as Score, m[i] as Score];
    results[i] = { r: ri, f: fi, m: mi, segment: rfmSegment(ri, fi) };
  }
  return results;
}

/** The R, F and M scores (1–5) as byte columns: what a shop-wide run keeps for every customer. */
export function rfmScoreColumns(
  daysSinceLastOrder: ArrayLike<number>,
  orders: ArrayLike<number>,
  monetary: ArrayLike<number>,
): { r: Uint8Array; f: Uint8Array; m: Uint8Array } {
  const n = daysSinceLastOrder.length;
  if (orders.length !== n || monetary.length !== n) throw new RangeError("RFM columns must have equal length");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(daysSinceLastOrder[i]) || !Number.isFinite(orders[i]) || !Number.isFinite(monetary[i])) {
      throw new RangeError(`customer ${i}: RFM inputs must be finite numbers`);
    }
  }
  const columns = { r: new Uint8Array(n), f: new Uint8Array(n), m: new Uint8Array(n) };
  for (const [values, higherIsBetter, out] of [
    [daysSinceLastOrder, false, columns.r],
    [orders, true, columns.f],
    [monetary, true, columns.m],
  ] as const) {
    const cuts = quintileCuts(values, higherIsBetter);
    for (let i = 0; i < n; i++) out[i] = quintileScore(values[i], cuts);
  }
  return columns;
}
