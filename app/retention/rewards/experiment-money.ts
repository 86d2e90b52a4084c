/**
 * A rule's effect in money, from the same measured customers as its purchase rates (intention to
 * treat, complete windows only), per 100 eligible customers:
 *
 * - incremental revenue: what the customers bought in their window at the price before Kinship's
 *   discount (the order's net value plus the Kinship discount it redeemed), treated minus held out;
 * - the cost of the discounts actually redeemed: Kinship codes matched by code on synced orders,
 *   the redeeming order's total discount (held-out customers had no code and cost nothing);
 * - incremental profit: margin × revenue − discounts, per customer, treated minus held out. With a
 *   margin of 1 (the default: Kinship knows no cost of goods) it is the extra money received.
 *
 * Every figure is a difference of two means with Welch's 95% interval (customers who bought nothing
 * count as 0), the method the rule's revenue per eligible customer already uses.
 */
import { addMoment, meanDifference, NO_MOMENTS, type Estimate, type Moments } from "./experiment-stats";

/** One measured customer: net order value in the window and the Kinship discount redeemed in it. */
export interface CustomerMoney {
  net: number;
  discount: number;
}

export interface RuleMoney {
  /** Per 100 eligible customers, treated minus held out; null with fewer than two measured customers in an arm. */
  revenue: Estimate | null;
  discountCost: Estimate | null;
  profit: Estimate | null;
  /** The margin profit was computed with (1: before cost of goods). */
  grossMargin: number;
}

export const PER_CUSTOMERS = 100;

function momentsOf(customers: readonly CustomerMoney[], value: (c: CustomerMoney) => number): Moments {
  return customers.reduce((m, c) => addMoment(m, value(c)), NO_MOMENTS);
}

function per100(estimate: Estimate | null): Estimate | null {
  if (!estimate) return null;
  const scale = (x: number) => Math.round(x * PER_CUSTOMERS * 100) / 100;
  return { difference: scale(estimate.difference), lower: scale(estimate.lower), upper: scale(estimate.upper) };
}

/** A margin outside (0, 1] is refused: a profit figure from it would mean nothing. */
export function isGrossMargin(value: number): boolean {
  return Number.isFinite(value) && value > 0 && value <= 1;
}

export function ruleMoney(treated: readonly CustomerMoney[], heldOut: readonly CustomerMoney[], grossMargin = 1): RuleMoney {
  const margin = isGrossMargin(grossMargin) ? grossMargin : 1;
  const difference = (value: (c: CustomerMoney) => number) => per100(meanDifference(momentsOf(treated, value), momentsOf(heldOut, value)));
  return {
    revenue: difference((c) => c.net + c.discount),
    discountCost: difference((c) => c.discount),
    profit: difference((c) => margin * (c.net + c.discount) - c.discount),
    grossMargin: margin,
  };
}
