/**
 * Monthly budget caps. A rule that would go over its cap pauses for the rest of the shop-local month
 * and says why, instead of silently issuing fewer codes.
 */
import { firstDayOfNextMonth, monthOf, type LocalDate } from "../time";
import { roundMoney } from "./reward-cost";
import type { Budget } from "./rule-fields";

export interface BudgetUsage {
  /** Codes issued this month. */
  count: number;
  /** Estimated cost of those codes (shop currency). */
  amount: number;
}

export const NO_USAGE: BudgetUsage = Object.freeze({ count: 0, amount: 0 });

export type BudgetCheck = { ok: true } | { ok: false; limit: "count" | "amount" };

/** Can one more code costing `cost` be issued without going over the cap? */
export function checkBudget(budget: Budget | null | undefined, used: BudgetUsage, cost: number): BudgetCheck {
  if (!budget) return { ok: true };
  if (budget.maxCount !== undefined && used.count + 1 > budget.maxCount) return { ok: false, limit: "count" };
  if (budget.maxAmount !== undefined && roundMoney(used.amount + cost) > budget.maxAmount) return { ok: false, limit: "amount" };
  return { ok: true };
}

export function addUsage(used: BudgetUsage, cost: number): BudgetUsage {
  return { count: used.count + 1, amount: roundMoney(used.amount + cost) };
}

/** Merchant-readable explanation of a pause. */
export function budgetPauseReason(
  budget: Budget,
  used: BudgetUsage,
  limit: "count" | "amount",
  today: LocalDate,
  withheld: number,
  currencyCode?: string,
): string {
  const month = monthOf(today);
  const cap =
    limit === "count"
      ? `the monthly cap of ${budget.maxCount} codes is reached (${used.count} issued in ${month})`
      : `the monthly budget of ${budget.maxAmount!.toFixed(2)}${currencyCode ? ` ${currencyCode}` : ""} is reached (${used.amount.toFixed(2)} committed in ${month})`;
  const who =
    withheld === 1 ? "1 customer who was due a code did not get one" : `${withheld} customers who were due a code did not get one`;
  return `Paused: ${cap}; ${who}. The rule resumes on ${firstDayOfNextMonth(today)}.`;
}

/** Budget used this month from recorded issues that carry their estimated cost. */
export function usageThisMonth(
  records: ReadonlyArray<{ ruleId: string; kind: string; decidedOn: LocalDate; estimatedCost?: number }>,
  today: LocalDate,
): Record<string, BudgetUsage> {
  const month = monthOf(today);
  const usage: Record<string, BudgetUsage> = {};
  for (const r of records) {
    if (r.kind !== "issue" || monthOf(r.decidedOn) !== month) continue;
    usage[r.ruleId] = addUsage(usage[r.ruleId] ?? NO_USAGE, r.estimatedCost ?? 0);
  }
  return usage;
}
