/**
 * Text for the Feedback pages, built by the loaders (on the server, so the browser renders exactly
 * what it was sent). Pure: the translator and the duration formatter (app/formatting) are passed in.
 */
import type { MessageKey } from ".";
import type { FirstResponseCheck } from "../retention/feedback/follow-up";
import type { Reward } from "../retention/rewards";

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export type StatusTone = "success" | "warning" | "critical" | "attention" | "info";

export interface StatusBadge {
  tone: StatusTone;
  label: string;
}

export function firstResponseBadge(
  check: FirstResponseCheck,
  resolved: boolean,
  t: Translate,
  duration: (ms: number) => string,
): StatusBadge {
  switch (check.status) {
    case "met":
      return { tone: resolved ? "success" : "info", label: t("feedback.status.met") };
    case "missed":
      return { tone: "warning", label: t("feedback.status.missed") };
    case "due":
      return { tone: "attention", label: t("feedback.status.due", { time: duration(check.remainingMs) }) };
    case "overdue":
      return { tone: "critical", label: t("feedback.status.overdue", { time: duration(-check.remainingMs) }) };
  }
}

export function describeRewardText(reward: Reward, t: Translate, money: (amount: number) => string): string {
  switch (reward.type) {
    case "percentage":
      return t("feedback.reward.percentage", { value: reward.percentage });
    case "fixedAmount":
      return t("feedback.reward.fixedAmount", { amount: money(reward.amount) });
    case "freeShipping":
      return t("feedback.reward.freeShipping");
    case "storeCredit":
      return t("feedback.reward.storeCredit", { amount: money(reward.amount) });
  }
}

/** A comment shortened for a table cell, on a character boundary (never splitting a surrogate pair). */
export function excerpt(text: string | null, max = 120): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}

/** "#1001" when the order is known, otherwise the numeric id from the GID. */
export function orderLabel(orderShopifyId: string, name: string | null | undefined): string {
  if (name) return name;
  const id = /\/(\d+)$/.exec(orderShopifyId)?.[1];
  return id ? `#${id}` : orderShopifyId;
}
