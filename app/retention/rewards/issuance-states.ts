/**
 * What a merchant reads about codes in flight, from the ledger's statuses (the one mapping; pages
 * and tests use these words, never the raw statuses):
 *
 *   queued          recorded, Shopify not asked yet            (Cancel queued and "Turn off" cancel these)
 *   being created   recorded after Shopify was asked (an answer may be lost: the next run adopts or
 *                   creates it), or created in Shopify but not yet written to the customer
 *   delivered       delivered to the customer (later deactivated when it expired unused)
 *   failed          Shopify refused it
 *   withheld        decided but not sent: no delivery channel or consent
 *   cancelled       cancelled by the merchant before Shopify was asked
 *   expired         its validity ended before it could be created
 *
 * Only codes (`kind: "issue"`) are counted: holdouts are a measurement group, reminders are messages.
 */

export const ISSUANCE_STATES = ["queued", "creating", "delivered", "failed", "withheld", "cancelled", "expired"] as const;
export type IssuanceState = (typeof ISSUANCE_STATES)[number];
export type IssuanceCounts = Record<IssuanceState, number>;

export interface LedgerStateInput {
  kind: string;
  status: string;
  /** Whether Shopify was ever asked to create this code. */
  attempted: boolean;
}

const BY_STATUS: Record<string, IssuanceState> = {
  created: "creating",
  delivered: "delivered",
  deactivated: "delivered",
  failed: "failed",
  withheld: "withheld",
  cancelled: "cancelled",
  expired: "expired",
};

/** The merchant's word for one ledger row, or null for rows that are not codes. */
export function issuanceStateOf(row: LedgerStateInput): IssuanceState | null {
  if (row.kind !== "issue") return null;
  if (row.status === "recorded") return row.attempted ? "creating" : "queued";
  return BY_STATUS[row.status] ?? null;
}

export function emptyIssuanceCounts(): IssuanceCounts {
  return Object.fromEntries(ISSUANCE_STATES.map((s) => [s, 0])) as IssuanceCounts;
}

/** Adds `n` rows of one ledger shape to the counts (the database hands them over grouped). */
export function addToCounts(counts: IssuanceCounts, row: LedgerStateInput, n: number): IssuanceCounts {
  const state = issuanceStateOf(row);
  if (state) counts[state] += n;
  return counts;
}

/** Codes Kinship still has to finish: while any are left, a run is not "completed". */
export function unfinishedCodes(counts: IssuanceCounts): number {
  return counts.queued + counts.creating;
}

export type IssuanceRunState = "none" | "running" | "completed" | "failed";

/**
 * When the scheduler will next issue for the shop (null: paused). The scheduler runs each shop's
 * day at its first tick after local midnight; a day that ended failed or unfinished is taken up
 * again once `retryAfterMs` has passed since it stopped (the scheduler, not this function, decides
 * whether a day is complete: only when no code is left queued or being created). A time at or
 * before `now` means "at the next tick".
 */
export function nextIssuanceRun(input: {
  now: Date;
  paused: boolean;
  /** Today's run (the shop-local day's lease), if it started. */
  today: { state: IssuanceRunState; finishedAt: Date | null };
  /** Start of the shop's next local day. */
  tomorrowStartsAt: Date;
  retryAfterMs: number;
}): Date | null {
  if (input.paused) return null;
  const { state, finishedAt } = input.today;
  if (state === "running" || state === "none") return input.now;
  if (state === "completed") return input.tomorrowStartsAt;
  const retryAt = new Date((finishedAt ?? input.now).getTime() + input.retryAfterMs);
  return retryAt.getTime() > input.now.getTime() ? retryAt : input.now;
}
