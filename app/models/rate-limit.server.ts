/**
 * Rate limits for the public feedback endpoint, per shop and per customer, in two layers:
 *
 * 1. Attempts (every authenticated request, valid or not) go through an in-process sliding window.
 *    It is exact on one instance; with several instances each one keeps its own window, so the
 *    effective limit is (instances × limit). It exists to keep one hot client from burning CPU.
 * 2. Writes are counted in the database: the Feedback rows a shop or customer created or changed in
 *    the window. Every instance reads the same rows, so this bound holds however many instances run,
 *    and it is the one that protects storage (a valid token cannot fill the table with made-up orders).
 *
 * A dedicated table of hits would make layer 1 shared too; the schema has none yet (see the report
 * that came with this file), and layer 2 already bounds what an abuser can store.
 */
import db from "../db.server";

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Sliding window log: exact counts over the last `windowMs`, memory bounded by `maxKeys`. */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly rule: WindowLimit,
    private readonly maxKeys = 50_000,
  ) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new RangeError("limit must be a positive integer");
    if (!(rule.windowMs > 0)) throw new RangeError("windowMs must be positive");
  }

  /** Counts the attempt when allowed; a refused attempt is not counted (so waiting always helps). */
  hit(key: string, now: number): LimitVerdict {
    const since = now - this.rule.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    const allowed = recent.length < this.rule.limit;
    if (allowed) recent.push(now);
    // Re-inserting moves the key to the end, so the least recently seen keys are evicted first (a key
    // being refused right now is recent: dropping it would hand a hammering client a fresh window).
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > this.maxKeys) this.evict(since);
    return allowed ? { allowed: true } : { allowed: false, retryAfterMs: Math.max(1, recent[0] + this.rule.windowMs - now) };
  }

  get size(): number {
    return this.hits.size;
  }

  private evict(since: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= since)) this.hits.delete(key);
    }
    // Still too many live keys: drop the least recently touched.
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}

export interface FeedbackLimits {
  /** Attempts per shop, in-process. */
  shopAttempts: WindowLimit;
  /** Attempts per customer (or per order for guests), in-process. */
  customerAttempts: WindowLimit;
  /** Feedback rows written per shop, counted in the database. */
  shopWrites: WindowLimit;
  /** Feedback rows written per customer, counted in the database. */
  customerWrites: WindowLimit;
}

/**
 * A shop at Black Friday peak (≈ 10,000 orders an hour, one answer in ten) writes ≈ 20 rows a minute;
 * the shop limits leave ten times that. A customer answers once per order and may correct it.
 */
export const DEFAULT_FEEDBACK_LIMITS: FeedbackLimits = {
  shopAttempts: { limit: 600, windowMs: 60_000 },
  customerAttempts: { limit: 10, windowMs: 10 * 60_000 },
  shopWrites: { limit: 200, windowMs: 60_000 },
  customerWrites: { limit: 5, windowMs: 60 * 60_000 },
};

export type LimitScope = "shop" | "customer";
export type FeedbackLimitVerdict = { allowed: true } | { allowed: false; scope: LimitScope; retryAfterMs: number };

export interface FeedbackRateLimiter {
  /** Before the body is read: attempts per shop. */
  checkShop(shop: string, now: Date): Promise<FeedbackLimitVerdict>;
  /**
   * Once the subject is known: attempts and writes per customer (`customerKey` is the customer GID, or
   * `order:<gid>` for guests), and writes per shop. `orderShopifyId` is the row about to be written:
   * updating it again does not count as another write.
   */
  checkSubject(
    shop: string,
    customerKey: string,
    customerShopifyId: string | null,
    orderShopifyId: string,
    now: Date,
  ): Promise<FeedbackLimitVerdict>;
}

/** Rows written (created or updated) since `since`, leaving out the row about to be rewritten. */
async function writesSince(where: { shop: string; customerShopifyId?: string }, since: Date, exceptOrder: string) {
  return db.feedback.count({ where: { ...where, updatedAt: { gt: since }, NOT: { orderShopifyId: exceptOrder } } });
}

async function writeVerdict(count: Promise<number>, rule: WindowLimit, scope: LimitScope): Promise<FeedbackLimitVerdict> {
  // The DB answers "how many", not "when does the oldest leave": retry after the whole window.
  return (await count) >= rule.limit ? { allowed: false, scope, retryAfterMs: rule.windowMs } : { allowed: true };
}

export function createFeedbackRateLimiter(limits: FeedbackLimits = DEFAULT_FEEDBACK_LIMITS): FeedbackRateLimiter {
  const shops = new SlidingWindowLimiter(limits.shopAttempts);
  const customers = new SlidingWindowLimiter(limits.customerAttempts);
  return {
    async checkShop(shop, now) {
      const verdict = shops.hit(shop, now.getTime());
      return verdict.allowed ? verdict : { ...verdict, scope: "shop" };
    },
    async checkSubject(shop, customerKey, customerShopifyId, orderShopifyId, now) {
      const attempt = customers.hit(`${shop}\u0000${customerKey}`, now.getTime());
      if (!attempt.allowed) return { ...attempt, scope: "customer" };
      if (customerShopifyId) {
        const since = new Date(now.getTime() - limits.customerWrites.windowMs);
        const verdict = await writeVerdict(
          writesSince({ shop, customerShopifyId }, since, orderShopifyId),
          limits.customerWrites,
          "customer",
        );
        if (!verdict.allowed) return verdict;
      }
      const since = new Date(now.getTime() - limits.shopWrites.windowMs);
      return writeVerdict(writesSince({ shop }, since, orderShopifyId), limits.shopWrites, "shop");
    },
  };
}

export interface MyRewardsLimits {
  /** Requests per shop, in-process. */
  shopAttempts: WindowLimit;
  /** Requests (GET or POST) per customer, in-process. */
  customerAttempts: WindowLimit;
  /** Birthday saves per customer, in-process (a separate bucket: reading the page never uses them up). */
  customerWrites: WindowLimit;
}

/**
 * The customer account page loads once per visit (the page and the profile block each ask), a shopper
 * may reload a few times; 30 a minute is far above that. A birthday is saved once, perhaps corrected.
 */
export const DEFAULT_MY_REWARDS_LIMITS: MyRewardsLimits = {
  shopAttempts: { limit: 3000, windowMs: 60_000 },
  customerAttempts: { limit: 30, windowMs: 60_000 },
  customerWrites: { limit: 5, windowMs: 60 * 60_000 },
};

export interface MyRewardsRateLimiter {
  /** Every authenticated request: per shop, then per customer. */
  checkRead(shop: string, customerShopifyId: string, now: Date): LimitVerdict;
  /** A birthday save, after `checkRead`. */
  checkWrite(shop: string, customerShopifyId: string, now: Date): LimitVerdict;
}

/** The feedback endpoint's sliding windows, in buckets of their own (per shop, per customer, per customer's writes). */
export function createMyRewardsRateLimiter(limits: MyRewardsLimits = DEFAULT_MY_REWARDS_LIMITS): MyRewardsRateLimiter {
  const shops = new SlidingWindowLimiter(limits.shopAttempts);
  const customers = new SlidingWindowLimiter(limits.customerAttempts);
  const writes = new SlidingWindowLimiter(limits.customerWrites);
  return {
    checkRead(shop, customer, now) {
      const verdict = shops.hit(shop, now.getTime());
      return verdict.allowed ? customers.hit(`${shop}\u0000${customer}`, now.getTime()) : verdict;
    },
    checkWrite(shop, customer, now) {
      return writes.hit(`${shop}\u0000${customer}`, now.getTime());
    },
  };
}
