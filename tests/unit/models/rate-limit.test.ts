import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "../../../app/models/rate-limit.server";

describe("SlidingWindowLimiter", () => {
  it("allows `limit` attempts per window and says when the next one will be allowed", () => {
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 1000 });
    expect([0, 100, 200].map((t) => limiter.hit("a", t).allowed)).toEqual([true, true, true]);
    // The oldest attempt (t=0) leaves the window at t=1000.
    expect(limiter.hit("a", 400)).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(limiter.hit("a", 999)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(limiter.hit("a", 1000)).toEqual({ allowed: true });
    // Now t=100, 200, 1000 are inside: the next slot opens at 1100.
    expect(limiter.hit("a", 1050)).toEqual({ allowed: false, retryAfterMs: 50 });
  });

  it("does not count refused attempts, so waiting always helps", () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.hit("a", 0).allowed).toBe(true);
    for (let t = 1; t < 1000; t += 50) expect(limiter.hit("a", t).allowed).toBe(false);
    expect(limiter.hit("a", 1000).allowed).toBe(true);
  });

  it("keeps keys apart", () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.hit("shop-a", 0).allowed).toBe(true);
    expect(limiter.hit("shop-b", 0).allowed).toBe(true);
    expect(limiter.hit("shop-a", 1).allowed).toBe(false);
  });

  it("holds at most maxKeys keys, dropping expired ones first and then the least recently used", () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000 }, 3);
    limiter.hit("old", 0);
    limiter.hit("b", 1500);
    limiter.hit("c", 1600);
    limiter.hit("d", 1700); // "old" has expired: it goes
    expect(limiter.size).toBe(3);
    expect(limiter.hit("b", 1800).allowed).toBe(false); // still remembered, and now the most recent
    limiter.hit("e", 1900); // all live: the least recently touched ("c") goes
    expect(limiter.size).toBe(3);
    expect(limiter.hit("c", 1950).allowed).toBe(true);
  });

  it("refuses nonsensical limits", () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
  });
});
