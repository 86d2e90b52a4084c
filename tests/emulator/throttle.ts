import type { Clock } from "./clock";

export interface ThrottleLimits {
  maximumAvailable: number;
  restoreRate: number;
}

/**
 * Bucket sizes per plan. Restore rates are Shopify's published ones (PLATFORM-NOTES §2); bucket sizes follow the
 * published 20× restore rate. `legacy` is the older 1000/50 Standard bucket; `slow` is for tests that want to hit
 * the throttle quickly and see it recover.
 */
export const PLAN_LIMITS = {
  basic: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
  legacy: { maximumAvailable: 1000, restoreRate: 50 },
  slow: { maximumAvailable: 1000, restoreRate: 20 },
} satisfies Record<string, ThrottleLimits>;

export type PlanName = keyof typeof PLAN_LIMITS;

export const PLAN_DISPLAY: Record<PlanName, { publicDisplayName: string; shopifyPlus: boolean }> = {
  basic: { publicDisplayName: "Basic", shopifyPlus: false },
  advanced: { publicDisplayName: "Advanced", shopifyPlus: false },
  plus: { publicDisplayName: "Plus", shopifyPlus: true },
  enterprise: { publicDisplayName: "Plus", shopifyPlus: true },
  legacy: { publicDisplayName: "Shopify", shopifyPlus: false },
  slow: { publicDisplayName: "Development", shopifyPlus: false },
};

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Leaky bucket per shop+app: points refill continuously at `restoreRate`/s up to `maximumAvailable`. */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private limits: ThrottleLimits,
    private readonly clock: Clock,
  ) {
    this.available = limits.maximumAvailable;
    this.updatedAt = clock();
  }

  setLimits(limits: ThrottleLimits): void {
    this.refill();
    this.limits = { ...limits };
    this.available = Math.min(this.available, limits.maximumAvailable);
  }

  /** Sets the points currently available (tests start from an exact level). */
  setAvailable(points: number): void {
    this.refill();
    this.available = Math.max(0, Math.min(points, this.limits.maximumAvailable));
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.limits.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.limits.restoreRate,
    };
  }

  /** Takes `cost` points if that many are available; otherwise takes nothing. */
  tryConsume(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Returns the difference between requested and actual cost after execution. */
  refund(points: number): void {
    if (points <= 0) return;
    this.refill();
    this.available = Math.min(this.limits.maximumAvailable, this.available + points);
  }

  private refill(): void {
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.updatedAt = now;
    this.available = Math.min(this.limits.maximumAvailable, this.available + elapsedSeconds * this.limits.restoreRate);
  }
}
