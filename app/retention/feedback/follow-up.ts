/**
 * The merchant's follow-up queue for low scores: what to answer first, how long people have waited,
 * whether the first response came within the target, and whether answered customers came back.
 * Timestamps are instants (Date); durations are milliseconds.
 */
import { DEFAULT_LOW_SCORE_THRESHOLD, isLowScore } from "./reasons";

export const HOUR_MS = 3_600_000;
export const DEFAULT_FIRST_RESPONSE_TARGET_MS = 24 * HOUR_MS;

export interface FollowUpItem {
  id: string;
  score: number;
  /** When the feedback arrived. */
  createdAt: Date;
  /** The customer's predicted CLV: the value at risk if they do not come back. Null when unknown. */
  predictedClv: number | null;
  /** First note or compensation by the merchant. */
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
}

export type QueueOrder = "value" | "age";

/** Low scores go to the queue; with the default threshold that is every NPS detractor (0–6). */
export function needsFollowUp(score: number, threshold: number = DEFAULT_LOW_SCORE_THRESHOLD): boolean {
  return isLowScore(score, threshold);
}

/**
 * "value": highest predicted CLV first (unknown CLV last), then oldest first.
 * "age": oldest first. Ties fall back to id so the order is stable between page loads.
 */
export function sortFollowUpQueue<T extends FollowUpItem>(items: readonly T[], order: QueueOrder): T[] {
  const byAge = (a: T, b: T) => a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a.id, b.id);
  const byValue = (a: T, b: T) => {
    const va = validClv(a.predictedClv);
    const vb = validClv(b.predictedClv);
    if (va === null && vb === null) return byAge(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    return vb - va || byAge(a, b);
  };
  return [...items].sort(order === "value" ? byValue : byAge);
}

/** How long the item has been open: until resolution, or until `now` while unresolved. */
export function timeWaitingMs(item: Pick<FollowUpItem, "createdAt" | "resolvedAt">, now: Date): number {
  const end = item.resolvedAt ?? now;
  return Math.max(0, end.getTime() - item.createdAt.getTime());
}

/**
 * - met / missed: responded, within or after the target;
 * - due / overdue: no response yet, still within the target or already past it.
 */
export type FirstResponseStatus = "met" | "missed" | "due" | "overdue";

export interface FirstResponseCheck {
  status: FirstResponseStatus;
  /** Time to first response, or time so far without one. */
  elapsedMs: number;
  /** Target minus elapsed: negative once the target is missed. */
  remainingMs: number;
}

export function firstResponseCheck(
  item: Pick<FollowUpItem, "createdAt" | "firstResponseAt">,
  now: Date,
  targetMs: number = DEFAULT_FIRST_RESPONSE_TARGET_MS,
): FirstResponseCheck {
  const responded = item.firstResponseAt !== null;
  const end = item.firstResponseAt ?? now;
  const elapsedMs = Math.max(0, end.getTime() - item.createdAt.getTime());
  const within = elapsedMs <= targetMs;
  const status: FirstResponseStatus = responded ? (within ? "met" : "missed") : within ? "due" : "overdue";
  return { status, elapsedMs, remainingMs: targetMs - elapsedMs };
}

export interface QueueRow<T extends FollowUpItem> {
  item: T;
  waitingMs: number;
  firstResponse: FirstResponseCheck;
}

export interface QueueOptions {
  order: QueueOrder;
  now: Date;
  targetMs?: number;
  /** Resolved items are left out unless asked for. */
  includeResolved?: boolean;
}

export function buildFollowUpQueue<T extends FollowUpItem>(items: readonly T[], options: QueueOptions): QueueRow<T>[] {
  const open = options.includeResolved ? items : items.filter((item) => item.resolvedAt === null);
  return sortFollowUpQueue(open, options.order).map((item) => ({
    item,
    waitingMs: timeWaitingMs(item, options.now),
    firstResponse: firstResponseCheck(item, options.now, options.targetMs),
  }));
}

export interface FirstResponseStats {
  targetMs: number;
  responded: number;
  metTarget: number;
  missedTarget: number;
  /** Not responded yet and already past the target. */
  overdue: number;
  /** metTarget / responded, 0..1; null before any response. */
  shareMet: number | null;
  /** Median time to first response over responded items; null before any response. */
  medianMs: number | null;
}

export function firstResponseStats(
  items: readonly Pick<FollowUpItem, "createdAt" | "firstResponseAt">[],
  now: Date,
  targetMs: number = DEFAULT_FIRST_RESPONSE_TARGET_MS,
): FirstResponseStats {
  const checks = items.map((item) => firstResponseCheck(item, now, targetMs));
  const answered = checks.filter((c) => c.status === "met" || c.status === "missed");
  const metTarget = checks.filter((c) => c.status === "met").length;
  return {
    targetMs,
    responded: answered.length,
    metTarget,
    missedTarget: answered.length - metTarget,
    overdue: checks.filter((c) => c.status === "overdue").length,
    shareMet: answered.length === 0 ? null : metTarget / answered.length,
    medianMs: median(answered.map((c) => c.elapsedMs)),
  };
}

/** Recovered = the customer placed an order after the item was resolved. */
export function isRecovered(resolvedAt: Date | null, orderDates: readonly Date[]): boolean {
  if (resolvedAt === null) return false;
  return orderDates.some((date) => date.getTime() > resolvedAt.getTime());
}

export interface RecoveryStats {
  resolved: number;
  recovered: number;
  /** recovered / resolved, 0..1; null before anything is resolved. */
  rate: number | null;
}

export function recoveryStats(items: readonly { resolvedAt: Date | null; orderDates: readonly Date[] }[]): RecoveryStats {
  const resolved = items.filter((item) => item.resolvedAt !== null);
  const recovered = resolved.filter((item) => isRecovered(item.resolvedAt, item.orderDates)).length;
  return {
    resolved: resolved.length,
    recovered,
    rate: resolved.length === 0 ? null : recovered / resolved.length,
  };
}

function validClv(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
