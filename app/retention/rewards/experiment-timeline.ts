/**
 * The arms over time, for a rule's results chart: after each week, the purchase rate of every
 * customer measured so far in each arm (a customer is measured once their window is over), so the
 * lines settle as customers accumulate and a merchant sees an early gap shrink or hold.
 */

/** A measured customer: when their window ended (ms) and whether they bought in it. */
export interface MeasuredCustomer {
  windowEnd: number;
  purchased: boolean;
}

export interface ArmsPoint {
  /** End of the week (ISO date, UTC). */
  date: string;
  treatedRate: number | null;
  heldOutRate: number | null;
  treatedComplete: number;
  heldOutComplete: number;
}

const WEEK_MS = 7 * 86_400_000;
/** At most this many points: older weeks are merged so a long-running rule still draws a readable line. */
export const MAX_POINTS = 52;

interface Tally {
  complete: number;
  purchasers: number;
}

export function armsOverTime(treated: readonly MeasuredCustomer[], heldOut: readonly MeasuredCustomer[]): ArmsPoint[] {
  const ends = [...treated, ...heldOut].map((c) => c.windowEnd);
  if (ends.length === 0) return [];
  const first = Math.min(...ends);
  const last = Math.max(...ends);
  const weeks = Math.floor((last - first) / WEEK_MS) + 1;
  const step = Math.ceil(weeks / MAX_POINTS) * WEEK_MS;
  const buckets = Math.floor((last - first) / step) + 1;
  const count = (customers: readonly MeasuredCustomer[]) => {
    const perBucket: Tally[] = Array.from({ length: buckets }, () => ({ complete: 0, purchasers: 0 }));
    for (const c of customers) {
      const b = perBucket[Math.floor((c.windowEnd - first) / step)];
      b.complete++;
      if (c.purchased) b.purchasers++;
    }
    return perBucket;
  };
  const t = count(treated);
  const h = count(heldOut);
  const points: ArmsPoint[] = [];
  const running = { t: { complete: 0, purchasers: 0 }, h: { complete: 0, purchasers: 0 } };
  for (let i = 0; i < buckets; i++) {
    running.t = { complete: running.t.complete + t[i].complete, purchasers: running.t.purchasers + t[i].purchasers };
    running.h = { complete: running.h.complete + h[i].complete, purchasers: running.h.purchasers + h[i].purchasers };
    const rate = (x: Tally) => (x.complete ? Math.round((x.purchasers / x.complete) * 10_000) / 10_000 : null);
    points.push({
      date: new Date(Math.min(last, first + (i + 1) * step - 1)).toISOString().slice(0, 10),
      treatedRate: rate(running.t),
      heldOutRate: rate(running.h),
      treatedComplete: running.t.complete,
      heldOutComplete: running.h.complete,
    });
  }
  return points;
}
