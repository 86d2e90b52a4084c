/** What the Feedback pages' loaders send to the browser: numbers for charts, text already formatted. */
import type { StatusBadge } from "../i18n/feedback-text";

export interface MetricView {
  label: string;
  value: string;
  help: string;
}

export interface TrendPointView {
  /** Period label, e.g. "3 Mar". */
  label: string;
  nps: number | null;
  csat: number | null;
}

export interface ReasonView {
  reason: string;
  label: string;
  count: number;
  /** 0..1 of the answers that named a reason. */
  share: number;
  detail: string;
}

export interface QueueRowView {
  id: string;
  customer: string;
  score: number;
  reasons: string;
  comment: string | null;
  value: string;
  waiting: string;
  badge: StatusBadge;
}

/** "Did it work?": return rates of resolved vs never-answered unhappy customers, already worded. */
export interface FollowUpEffectView {
  state: "tooEarly" | "noDetectableEffect" | "works" | "hurts";
  stateLabel: string;
  stateHelp: string;
  tone: "info" | "success" | "critical";
  resolved: string;
  unanswered: string;
  difference: string | null;
  pending: string | null;
  method: string;
}
