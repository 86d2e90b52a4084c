/**
 * Defaults that fit the shop: a new rule's thresholds and amounts come from the shop's own order
 * values, in its currency, rounded to a "nice" number at that magnitude (150, 2,500, 40,000), never
 * from fixed figures that mean USD 100 in one shop and UAH 100 in another.
 */

/** What the defaults are computed from (read by models/shop-scale.server.ts). */
export interface ShopScale {
  /** Lifetime net spend of each customer with at least one order, any order. */
  customerSpend: readonly number[];
  /** The shop's average order value (net); null without orders. */
  averageOrderValue: number | null;
  /**
   * The shop's lapse horizon: days without an order after which its lifecycle model calls a one-time
   * buyer Lapsed (`oneTimeBuyerLapseDays`); absent or null before the shop's first scoring.
   */
  lapseDays?: number | null;
}

export interface ScaledDefaults {
  /** Loyalty tiers at the 50th / 80th / 95th percentile of customer spend; null without order history. */
  tierThresholds: [number, number, number] | null;
  /** A feedback thank-you worth about a twentieth of an average order; null without orders. */
  thankYouAmount: number | null;
  /** The shop's lapse horizon in whole days, when the shop has been scored (kinds about gaps between orders). */
  lapseDays?: number;
}

export const TIER_PERCENTILES = [0.5, 0.8, 0.95] as const;
const THANK_YOU_SHARE_OF_ORDER = 0.05;
// Mantissas a person would pick: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8 (× a power of ten).
const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10];

/** Nearest nice number to `value` at its own magnitude (at least 1 currency unit). */
export function niceAmount(value: number): number {
  if (!Number.isFinite(value) || value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const mantissa = value / magnitude;
  let best = NICE_STEPS[0];
  for (const step of NICE_STEPS) if (Math.abs(step - mantissa) < Math.abs(best - mantissa)) best = step;
  return roundFloat(best * magnitude);
}

/** The smallest nice number strictly above `value`. */
export function niceAbove(value: number): number {
  if (value < 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  // The mantissa is below 10, so the last step always qualifies.
  return NICE_STEPS.map((step) => roundFloat(step * magnitude)).find((candidate) => candidate > value)!;
}

function roundFloat(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Linear-interpolated percentile (p in 0–1) of an unsorted list; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function scaledDefaults(scale: ShopScale): ScaledDefaults {
  const spend = scale.customerSpend.filter((v) => Number.isFinite(v) && v > 0);
  let tierThresholds: ScaledDefaults["tierThresholds"] = null;
  if (spend.length > 0) {
    const raw = TIER_PERCENTILES.map((p) => niceAmount(percentile(spend, p)!));
    // Tiers must climb even when the shop's spend is bunched (two percentiles round to one number).
    for (let i = 1; i < raw.length; i++) if (raw[i] <= raw[i - 1]) raw[i] = niceAbove(raw[i - 1]);
    tierThresholds = [raw[0], raw[1], raw[2]];
  }
  const aov = scale.averageOrderValue;
  const thankYouAmount = aov !== null && aov > 0 ? niceAmount(aov * THANK_YOU_SHARE_OF_ORDER) : null;
  const lapse = scale.lapseDays;
  return { tierThresholds, thankYouAmount, ...(lapse && Number.isFinite(lapse) && lapse >= 1 ? { lapseDays: Math.round(lapse) } : {}) };
}
