/**
 * Deterministic holdout: a customer is withheld from a rule when a hash of (rule, customer) falls below
 * the configured share. The same customer stays in the same arm on every run and every period, so the
 * treated-vs-held-out comparison is not muddied by customers switching sides.
 */

const encoder = new TextEncoder();

// FNV-1a over UTF-8, then the murmur3 finaliser so nearby ids ("c1", "c2") spread across [0, 1).
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable number in [0, 1) for this rule and customer. */
export function holdoutScore(ruleId: string, customerId: string): number {
  return hash32(`${ruleId}\u0000${customerId}`) / 2 ** 32;
}

export function isHeldOut(ruleId: string, customerId: string, share: number): boolean {
  if (!(share > 0)) return false;
  return holdoutScore(ruleId, customerId) < share;
}

/** Where a rule puts an eligible customer: held out, the rule's own offer (A), or its second offer (B). */
export type Arm = "holdout" | "A" | "B";

/**
 * The arm of a customer in a rule, on the holdout's score: the first `holdoutShare` of [0, 1) is held
 * out (the very customers `isHeldOut` names, so adding an A/B test moves no one out of the holdout),
 * the next `offerBShare` get offer B, the rest offer A. Stable across runs like the holdout.
 */
export function assignArm(ruleId: string, customerId: string, holdoutShare: number, offerBShare = 0): Arm {
  const score = holdoutScore(ruleId, customerId);
  if (holdoutShare > 0 && score < holdoutShare) return "holdout";
  if (offerBShare > 0 && score < Math.max(0, holdoutShare) + offerBShare) return "B";
  return "A";
}
