/**
 * "Who would receive this rule today, and what could it cost?" Runs the real daily decision for this
 * one rule, so the preview can never disagree with what the scheduler will do.
 */
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
  /** Due a code, but nothing would tell them (no Flow workflow, no store credit, no surface): recorded as withheld. */
  withheldNoChannel: number;
  /** Due a promotional reward, but without marketing consent under the shop's policy. */
  excludedForConsent: number;
}

/** An unsaved draft is previewed under a temporary id; its holdout split may differ once saved. */
export const PREVIEW_RULE_ID = "preview";

export function previewRule(rule: Rule | RuleDraft, input: Omit<ScheduleInput, "rules">): RulePreview {
  const withId: Rule = { ...rule, id: "id" in rule && typeof rule.id === "string" ? rule.id : PREVIEW_RULE_ID, enabled: true } as Rule;
  const { decisions, paused, excludedForConsent } = decideDay({ ...input, rules: [withId] });
  const issued = decisions.filter((d) => d.kind === "issue" && !d.withheldReason);
  const pause = paused.find((p) => p.ruleId === withId.id) ?? null;
  return {
    recipients: issued.map((d) => d.customerId),
    count: issued.length,
    maxCost: roundMoney(issued.reduce((sum, d) => sum + d.estimatedCost, 0)),
    heldOut: decisions.filter((d) => d.kind === "holdout").length,
    reminders: decisions.filter((d) => d.kind === "remind").length,
    pausedReason: pause?.reason ?? null,
    withheldByBudget: pause?.withheld ?? 0,
    withheldNoChannel: decisions.filter((d) => d.withheldReason).length,
    excludedForConsent: excludedForConsent[withId.id] ?? 0,
  };
}
