/**
 * Lifecycle groups merchants think in — New, Loyal, Regular, Lapsed — each with the reason as data (for the
 * UI to translate) and as an English sentence.
 */
import type { Score } from "./rfm";

export const LIFECYCLE_GROUPS = ["new", "loyal", "regular", "lapsed"] as const;
export type LifecycleGroup = (typeof LIFECYCLE_GROUPS)[number];

export interface LifecycleSettings {
  /** Repeat buyers with P(alive) below this are Lapsed. */
  pAliveThreshold: number;
  /** When the model cannot say: Lapsed after this many usual intervals without an order. */
  intervalMultiple: number;
  /** Usual interval assumed when neither the customer nor the shop has repeat purchases. */
  defaultIntervalDays: number;
  /** Regular needs at least this many purchase days (two intervals make a cadence). */
  regularMinOrders: number;
  /** ... and an RFM frequency score at least this high ("top of frequency"). */
  regularMinFrequencyScore: Score;
}

/**
 * 0.3: below a one-in-three chance of still being a customer, a win-back message is the better bet.
 * 3×: one late order is normal, three intervals of silence rarely are. 90 days: a common seasonal cycle.
 */
export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  pAliveThreshold: 0.3,
  intervalMultiple: 3,
  defaultIntervalDays: 90,
  regularMinOrders: 3,
  regularMinFrequencyScore: 4,
};

export interface LifecycleInput {
  /** Orders placed (shown to the merchant). */
  orders: number;
  /** Distinct purchase days (frequency + 1); intervals are measured between these. */
  purchaseDays: number;
  daysSinceLastOrder: number;
  /** Days from the first to the last purchase. */
  firstToLastDays: number;
  /** Model P(alive), or null when the shop's model is not fitted. */
  pAlive: number | null;
  frequencyScore: Score;
}

/** The shop's typical repeat cadence: median of repeat buyers' mean days between purchases. */
export interface ShopCadence {
  typicalIntervalDays: number | null;
  repeatBuyers: number;
}

export function shopCadence(customers: readonly Pick<LifecycleInput, "purchaseDays" | "firstToLastDays">[]): ShopCadence {
  return cadenceOfIntervals(
    Float64Array.from(
      customers.filter((c) => c.purchaseDays > 1),
      (c) => c.firstToLastDays / (c.purchaseDays - 1),
    ),
  );
}

/** shopCadence from summary columns (x = purchase days − 1, t_x = first-to-last days), without an object per customer. */
export function shopCadenceOfColumns(frequency: ArrayLike<number>, recency: ArrayLike<number>): ShopCadence {
  let repeat = 0;
  for (let i = 0; i < frequency.length; i++) if (frequency[i] > 0) repeat += 1;
  const intervals = new Float64Array(repeat);
  for (let i = 0, k = 0; i < frequency.length; i++) if (frequency[i] > 0) intervals[k++] = recency[i] / frequency[i];
  return cadenceOfIntervals(intervals);
}

function cadenceOfIntervals(intervals: Float64Array): ShopCadence {
  intervals.sort();
  if (intervals.length === 0) return { typicalIntervalDays: null, repeatBuyers: 0 };
  const mid = intervals.length >> 1;
  const median = intervals.length % 2 === 1 ? intervals[mid] : (intervals[mid - 1] + intervals[mid]) / 2;
  return { typicalIntervalDays: median, repeatBuyers: intervals.length };
}

export type LifecycleRule =
  /** Lapsed: model P(alive) under the threshold. */
  | "p-alive-low"
  /** Lapsed: no order for intervalMultiple × the usual interval (model cannot say). */
  | "overdue"
  /** New: a single purchase, not overdue. */
  | "single-purchase"
  /** Regular: buys at least as often as the shop's typical cadence, top frequency score. */
  | "cadence"
  /** Loyal: came back and is still active. */
  | "returned";

export interface LifecycleReason {
  rule: LifecycleRule;
  orders: number;
  daysSinceLastOrder: number;
  /** The interval the customer is judged against, in days. */
  usualIntervalDays: number;
  /** Whose interval that is: the customer's own, the shop's typical one, or the default setting. */
  intervalSource: "customer" | "shop" | "default";
  shopTypicalIntervalDays: number | null;
  pAlive: number | null;
  pAliveThreshold: number;
  intervalMultiple: number;
}

export interface LifecycleAssignment {
  group: LifecycleGroup;
  reason: LifecycleReason;
  /** The reason as one English sentence. */
  text: string;
}

export function classifyLifecycle(
  input: LifecycleInput,
  cadence: ShopCadence,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): LifecycleAssignment {
  const usualIntervalDays = usualInterval(input.purchaseDays, input.firstToLastDays, cadence, settings);
  const rule = lifecycleRule(
    input.purchaseDays,
    input.daysSinceLastOrder,
    input.pAlive,
    input.frequencyScore,
    usualIntervalDays,
    cadence,
    settings,
  );
  const reason = lifecycleReason(
    rule,
    input.orders,
    input.purchaseDays,
    input.daysSinceLastOrder,
    usualIntervalDays,
    input.pAlive,
    cadence,
    settings,
  );
  return { group: RULE_GROUP[rule], reason, text: describeLifecycleReason(reason) };
}

/** The group each rule puts a customer in. */
export const RULE_GROUP: Readonly<Record<LifecycleRule, LifecycleGroup>> = {
  "p-alive-low": "lapsed",
  overdue: "lapsed",
  "single-purchase": "new",
  cadence: "regular",
  returned: "loyal",
};

/** The interval a customer is judged against: their own mean interval, else the shop's typical one, else the default. */
export function usualInterval(purchaseDays: number, firstToLastDays: number, cadence: ShopCadence, settings: LifecycleSettings): number {
  if (purchaseDays > 1) return firstToLastDays / (purchaseDays - 1);
  return cadence.typicalIntervalDays ?? settings.defaultIntervalDays;
}

function intervalSource(purchaseDays: number, cadence: ShopCadence): LifecycleReason["intervalSource"] {
  return purchaseDays > 1 ? "customer" : cadence.typicalIntervalDays !== null ? "shop" : "default";
}

/**
 * The lifecycle rule that applies, on plain numbers (the scoring kernel calls this for every customer and builds
 * the reason object only when a row is written).
 */
export function lifecycleRule(
  purchaseDays: number,
  daysSinceLastOrder: number,
  pAlive: number | null,
  frequencyScore: Score,
  usualIntervalDays: number,
  cadence: ShopCadence,
  settings: LifecycleSettings,
): LifecycleRule {
  const repeat = purchaseDays > 1;
  // BG/NBD gives P(alive) = 1 to every one-time buyer (dropout only follows a repeat purchase), so for them
  // the model "cannot say" and the interval rule decides.
  const modelSays = repeat && pAlive !== null;
  if (modelSays && pAlive < settings.pAliveThreshold) return "p-alive-low";
  if (!modelSays && daysSinceLastOrder > settings.intervalMultiple * usualIntervalDays) return "overdue";
  if (!repeat) return "single-purchase";
  if (
    purchaseDays >= settings.regularMinOrders &&
    frequencyScore >= settings.regularMinFrequencyScore &&
    (cadence.typicalIntervalDays === null || usualIntervalDays <= cadence.typicalIntervalDays)
  ) {
    return "cadence";
  }
  return "returned";
}

/** The reason as data, from what lifecycleRule decided on. */
export function lifecycleReason(
  rule: LifecycleRule,
  orders: number,
  purchaseDays: number,
  daysSinceLastOrder: number,
  usualIntervalDays: number,
  pAlive: number | null,
  cadence: ShopCadence,
  settings: LifecycleSettings,
): LifecycleReason {
  return {
    rule,
    orders,
    daysSinceLastOrder,
    usualIntervalDays,
    intervalSource: intervalSource(purchaseDays, cadence),
    shopTypicalIntervalDays: cadence.typicalIntervalDays,
    pAlive,
    pAliveThreshold: settings.pAliveThreshold,
    intervalMultiple: settings.intervalMultiple,
  };
}

const days = (n: number): string => {
  const rounded = Math.round(n);
  return `${rounded} day${rounded === 1 ? "" : "s"}`;
};
const percent = (p: number): string => `${Math.round(p * 100)}%`;

/** English rendering of a reason, e.g. "3 orders, last 212 days ago, usually buys every 40 days; …". */
export function describeLifecycleReason(reason: LifecycleReason): string {
  const orders = `${reason.orders} order${reason.orders === 1 ? "" : "s"}`;
  const last = reason.orders === 1 ? `${days(reason.daysSinceLastOrder)} ago` : `last ${days(reason.daysSinceLastOrder)} ago`;
  const cadence =
    reason.intervalSource === "customer"
      ? `usually buys every ${days(reason.usualIntervalDays)}`
      : reason.intervalSource === "shop"
        ? `customers of this shop usually return within ${days(reason.usualIntervalDays)}`
        : `no repeat purchases in this shop yet, so a ${days(reason.usualIntervalDays)} cycle is assumed`;
  const head = `${orders}, ${last}, ${cadence}`;
  switch (reason.rule) {
    case "p-alive-low":
      return `${head}; only a ${percent(reason.pAlive ?? 0)} chance they still buy here (below ${percent(reason.pAliveThreshold)}).`;
    case "overdue":
      return `${head}; no order for more than ${reason.intervalMultiple}× that.`;
    case "single-purchase":
      return `${head}; first purchase, not overdue yet.`;
    case "cadence":
      return reason.shopTypicalIntervalDays === null
        ? `${head}; one of the shop's most frequent buyers.`
        : `${head}, as often as or more often than the shop's typical ${days(reason.shopTypicalIntervalDays)}, and one of its most frequent buyers.`;
    case "returned":
      return reason.pAlive === null
        ? `${head}; came back and is not overdue.`
        : `${head}; came back and is likely still active (${percent(reason.pAlive)} chance).`;
  }
}
