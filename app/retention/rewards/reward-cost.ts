/**
 * What a code could cost if redeemed, in shop currency. Percentage and free-shipping rewards have no
 * fixed value, so they are priced from order-value and shipping assumptions the caller measures.
 */
import type { Reward } from "./rule-fields";

export interface CostAssumptions {
  /** The shop's average order value (net), used when the customer has none. */
  averageOrderValue: number;
  /** Average shipping charge the shop would waive with free shipping. */
  averageShippingCost: number;
}

export function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Cost if the code is redeemed on an order of the customer's usual size (at least the minimum subtotal). */
export function estimateRedemptionCost(
  reward: Reward,
  minimumSubtotal: number | null | undefined,
  assumptions: CostAssumptions,
  customerAverageOrderValue?: number | null,
): number {
  const orderValue = Math.max(minimumSubtotal ?? 0, customerAverageOrderValue ?? assumptions.averageOrderValue);
  switch (reward.type) {
    case "fixedAmount":
      return roundMoney(reward.amount);
    // Credit is money the customer holds once issued: it counts in full against the budget.
    case "storeCredit":
      return roundMoney(reward.amount);
    case "percentage":
      return roundMoney((orderValue * reward.percentage) / 100);
    case "freeShipping":
      return roundMoney(assumptions.averageShippingCost);
  }
}

/** Short merchant/customer-facing description, e.g. "15% off", "10.00 EUR off", "Free shipping". */
export function describeReward(reward: Reward, currencyCode: string): string {
  switch (reward.type) {
    case "percentage":
      return `${reward.percentage}% off`;
    case "fixedAmount":
      return `${reward.amount.toFixed(2)} ${currencyCode} off`;
    case "freeShipping":
      return "Free shipping";
    case "storeCredit":
      return `${reward.amount.toFixed(2)} ${currencyCode} store credit`;
  }
}
