/**
 * "Who would receive this rule on its first day, and what could it cost?" Runs the real daily decision,
 * so the preview and the confirmation before turning a rule on can never disagree with what the
 * scheduler will do.
 */
import { rewardKind } from "./kinds";
import { compareLocalDates, type LocalDate } from "../time";
import { roundMoney } from "./reward-cost";
import type { Rule, RuleDraft } from "./rule-schema";
import { decideDay, type ScheduleInput, type ScheduleResult } from "./schedule";

export interface RulePreview {
  /** Customers who would be issued a code today. */
  recipients: string[];
  count: number;
  /** Cost if every code is redeemed (shop currency). */
  maxCost: number;
  heldOut: number;
  /** A/B rules: of the recipients, those drawn for offer B (0 without a test). */
  offerB: number;
  reminders: number;
  /** Set when the budget would stop the rule today. */
  pausedReason: string | null;
  withheldByBudget: number;
  /** Due, but over the per-customer cap across all rules (they stay due for a later day). */
  capped: number;
  /** Due a code, but nothing would tell them (no Flow workflow, no store credit, no surface): recorded as withheld. */
  withheldNoChannel: number;
  /** Due a promotional reward, but without marketing consent under the shop's policy. */
  excludedForConsent: number;
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

/** One rule's part of a day's decisions. */
export function summarizeRule(ruleId: string, result: ScheduleResult): RulePreview {
  const mine = result.decisions.filter((d) => d.ruleId === ruleId);
  const issued = mine.filter((d) => d.kind === "issue" && !d.withheldReason);
  const pause = result.paused.find((p) => p.ruleId === ruleId) ?? null;
  return {
    recipients: issued.map((d) => d.customerId),
    count: issued.length,
    maxCost: roundMoney(issued.reduce((sum, d) => sum + d.estimatedCost, 0)),
    heldOut: mine.filter((d) => d.kind === "holdout").length,
    offerB: issued.filter((d) => d.arm === "B").length,
    reminders: mine.filter((d) => d.kind === "remind").length,
    pausedReason: pause?.reason ?? null,
    withheldByBudget: pause?.withheld ?? 0,
    capped: result.capped.filter((c) => c.ruleId === ruleId).length,
    withheldNoChannel: mine.filter((d) => d.withheldReason).length,
    excludedForConsent: result.excludedForConsent[ruleId] ?? 0,
  };
}

export function previewRule(rule: Rule | RuleDraft, input: Omit<ScheduleInput, "rules">): RulePreview {
  const withId: Rule = { ...rule, id: "id" in rule && typeof rule.id === "string" ? rule.id : PREVIEW_RULE_ID, enabled: true } as Rule;
  return summarizeRule(withId.id, decideDay({ ...input, rules: [withId] }));
}

export interface FirstRun extends RulePreview {
  /** The shop-local day of the run that would first decide for the rule. */
  runsOn: LocalDate;
  /** Customers the rule selects on that run: codes, holdouts, and those over the budget or the per-customer cap. */
  audience: number;
}

/**
 * A dry run of the day's decision with `ruleId` turned on beside the shop's other enabled rules (same
 * order, same caps, same ledger): what that rule's first run would issue. Writes nothing.
 */
export function firstRun(ruleId: string, input: ScheduleInput): FirstRun {
  const rules = input.rules.map((r) => (r.id === ruleId ? { ...r, enabled: true } : r));
  const summary = summarizeRule(ruleId, decideDay({ ...input, rules }));
  return {
    ...summary,
    runsOn: input.today,
    audience: summary.count + summary.heldOut + summary.withheldByBudget + summary.capped + summary.withheldNoChannel,
  };
}
