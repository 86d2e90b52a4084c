import { describe, expect, it } from "vitest";
import { isTransientDatabaseError } from "../../../app/models/sql/transient-errors.server";
import { retryTransient, WEBHOOK_RETRY_BUDGET_MS, type RetryClock } from "../../../app/webhooks/within-budget.server";

// What Prisma 6.19's better-sqlite3 adapter throws when another connection holds the write lock
// (shape captured from a real SQLITE_BUSY: a model query reports P1008, a raw one P2010).
const busy = (code: "P1008" | "P2010") =>
  Object.assign(new Error("Raw query failed"), {
    code,
    meta: {
      driverAdapterError: {
        name: "DriverAdapterError",
        cause: { originalCode: "SQLITE_BUSY", originalMessage: "database is locked", kind: "SocketTimeout" },
      },
    },
  });

/** A clock that only moves when the code under test sleeps. */
function fakeClock(): RetryClock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
}

describe("transient database errors", () => {
  it("recognises SQLite's lock through Prisma, and PostgreSQL's conflicts, and nothing else", () => {
    expect(isTransientDatabaseError(busy("P1008"))).toBe(true);
    expect(isTransientDatabaseError(busy("P2010"))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error("x"), { code: "40001" }))).toBe(true);
    // An interactive transaction that waited too long behind a writer: rolled back, so it can run again.
    expect(isTransientDatabaseError(Object.assign(new Error("Transaction already closed"), { code: "P2028" }))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(
      isTransientDatabaseError(
        Object.assign(new Error("Raw query failed"), {
          code: "P2010",
          meta: { driverAdapterError: { cause: { originalCode: "SQLITE_CONSTRAINT" } } },
        }),
      ),
    ).toBe(false);
    expect(isTransientDatabaseError(new TypeError("payload.id is undefined"))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});

describe("retryTransient", () => {
  it("tries again after a lock, waiting on a timer, and returns the result", async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retryTransient(
      async () => {
        calls++;
        if (calls < 4) throw busy("P1008");
        return "applied";
      },
      WEBHOOK_RETRY_BUDGET_MS,
      clock,
    );
    expect(result).toBe("applied");
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([25, 50, 100]);
  });

  it("gives up when the next try would start after the deadline, with the lock's error", async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = busy("P2010");
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw error;
        },
        WEBHOOK_RETRY_BUDGET_MS,
        clock,
      ),
    ).rejects.toBe(error);
    // 25 + 50 + 100 + 200 + 400 × 8 = 3,575 ms of waiting; one more 400 ms wait would end past 4,000.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(WEBHOOK_RETRY_BUDGET_MS);
    expect(clock.now() + 400).toBeGreaterThanOrEqual(WEBHOOK_RETRY_BUDGET_MS);
    expect(calls).toBe(clock.sleeps.length + 1);
  });

  it("does not retry an error that is not a lock", async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw new Error("The body does not have the shape of orders/create");
        },
        WEBHOOK_RETRY_BUDGET_MS,
        clock,
      ),
    ).rejects.toThrow("shape");
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});
