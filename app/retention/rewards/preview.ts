/**
 * "Who would receive this rule on its first day, and what could it cost?" Runs the real daily decision
 * for this one rule, so the preview can never disagree with what the scheduler will do.
 */
import { rewardKind } from "./kinds";
import { compareLocalDates, type LocalDate } from "../time";
import { roundMoney } from "./reward-cost";
import type { Rule, RuleDraft } from "./rule-schema";
import { decideDay, type ScheduleInput } from "./schedule";

export interface RulePreview {
  /** Customers who would be issued a code today. */
  recipients: string[];
  count: number;
  /** Cost if every code is redeemed (shop currency). */
  maxCost: number;
  heldOut: number;
  reminders: number;
  /** Set when the budget would stop the rule today. */
  pausedReason: string | null;
  withheldByBudget: number;
}

/**
 * The day a preview evaluates: today, or a dated rule's first day when it starts later (a campaign
 * that starts next month would otherwise always preview as 0 customers).
 */
export function previewDay(rule: Rule | RuleDraft, today: LocalDate): LocalDate {
  const range = rewardKind(rule.kind).dateRange?.(rule as never);
  return range && compareLocalDates(range.startsAt, today) > 0 ? range.startsAt : today;
}

/** An unsaved draft is previewed under a temporary id; its holdout split may differ once saved. */
export const PREVIEW_RULE_ID = "preview";

export function previewRule(rule: Rule | RuleDraft, input: Omit<ScheduleInput, "rules">): RulePreview {
  const withId: Rule = { ...rule, id: "id" in rule && typeof rule.id === "string" ? rule.id : PREVIEW_RULE_ID, enabled: true } as Rule;
  const { decisions, paused } = decideDay({ ...input, rules: [withId] });
  const issued = decisions.filter((d) => d.kind === "issue");
  const pause = paused.find((p) => p.ruleId === withId.id) ?? null;
  return {
    recipients: issued.map((d) => d.customerId),
    count: issued.length,
    maxCost: roundMoney(issued.reduce((sum, d) => sum + d.estimatedCost, 0)),
    heldOut: decisions.filter((d) => d.kind === "holdout").length,
    reminders: decisions.filter((d) => d.kind === "remind").length,
    pausedReason: pause?.reason ?? null,
    withheldByBudget: pause?.withheld ?? 0,
  };
}
