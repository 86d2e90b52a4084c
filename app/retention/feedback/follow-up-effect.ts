/**
 * "Did it work?": do unhappy customers whose answer was followed up come back more often than unhappy
 * customers of the same period who got no answer at all? Both groups start the clock at their survey
 * answer (the same event for both, so the comparison is not tilted by how long the merchant took), and
 * a customer counts only once their whole window is over. Rates get Newcombe's interval for the
 * difference and the same verdict as a rule's holdout (app/retention/rewards/experiment-stats.ts).
 *
 * Not a randomised experiment: merchants choose whom to answer. The card says "helps" only when the
 * interval excludes zero, and the copy calls it an association.
 */
import {
  experimentState,
  rateDifference,
  wilsonInterval,
  type Estimate,
  type ExperimentState,
  type Interval,
} from "../rewards/experiment-stats";

export const RETURN_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

export interface FollowUpCase {
  /** When the customer answered the survey. */
  answeredAt: Date;
  /** The customer's later orders (test and cancelled ones already left out). */
  orderDates: readonly Date[];
}

export interface ArmResult {
  /** Customers whose window is over. */
  complete: number;
  returned: number;
  /** Still inside their window: not counted yet. */
  pending: number;
  rate: number | null;
  interval: Interval | null;
}

export interface FollowUpEffect {
  windowDays: number;
  resolved: ArmResult;
  unanswered: ArmResult;
  /** Resolved minus unanswered return rate, with Newcombe's 95% interval. */
  difference: Estimate | null;
  state: ExperimentState;
}

function arm(cases: readonly FollowUpCase[], now: Date, windowMs: number): ArmResult {
  let complete = 0;
  let returned = 0;
  let pending = 0;
  for (const c of cases) {
    const start = c.answeredAt.getTime();
    const end = start + windowMs;
    if (end > now.getTime()) {
      pending++;
      continue;
    }
    complete++;
    if (c.orderDates.some((d) => d.getTime() > start && d.getTime() <= end)) returned++;
  }
  return { complete, returned, pending, rate: complete > 0 ? returned / complete : null, interval: wilsonInterval(returned, complete) };
}

export function followUpEffect(
  input: { resolved: readonly FollowUpCase[]; unanswered: readonly FollowUpCase[] },
  now: Date,
  windowDays = RETURN_WINDOW_DAYS,
): FollowUpEffect {
  const windowMs = windowDays * DAY_MS;
  const resolved = arm(input.resolved, now, windowMs);
  const unanswered = arm(input.unanswered, now, windowMs);
  const difference = rateDifference(resolved.returned, resolved.complete, unanswered.returned, unanswered.complete);
  return { windowDays, resolved, unanswered, difference, state: experimentState(resolved.complete, unanswered.complete, difference) };
}
