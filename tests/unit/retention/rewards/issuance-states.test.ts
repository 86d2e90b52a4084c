import { describe, expect, it } from "vitest";
import {
  addToCounts,
  emptyIssuanceCounts,
  issuanceStateOf,
  nextIssuanceRun,
  unfinishedCodes,
} from "../../../../app/retention/rewards/issuance-states";

describe("the merchant's words for ledger statuses", () => {
  it("maps every code status, splitting recorded rows by whether Shopify was asked", () => {
    const code = (status: string, attempted = false) => issuanceStateOf({ kind: "issue", status, attempted });
    expect(code("recorded")).toBe("queued");
    expect(code("recorded", true)).toBe("creating");
    expect(code("created", true)).toBe("creating");
    expect(code("delivered", true)).toBe("delivered");
    expect(code("deactivated", true)).toBe("delivered");
    expect(code("failed", true)).toBe("failed");
    expect(code("withheld")).toBe("withheld");
    expect(code("cancelled")).toBe("cancelled");
    expect(code("expired")).toBe("expired");
  });

  it("counts codes only: holdouts and reminders are not codes", () => {
    expect(issuanceStateOf({ kind: "holdout", status: "withheld", attempted: false })).toBeNull();
    expect(issuanceStateOf({ kind: "remind", status: "recorded", attempted: false })).toBeNull();
    const counts = emptyIssuanceCounts();
    addToCounts(counts, { kind: "issue", status: "recorded", attempted: false }, 4);
    addToCounts(counts, { kind: "issue", status: "recorded", attempted: true }, 1);
    addToCounts(counts, { kind: "holdout", status: "withheld", attempted: false }, 9);
    expect(counts).toMatchObject({ queued: 4, creating: 1, withheld: 0 });
    expect(unfinishedCodes(counts)).toBe(5);
  });
});

describe("the next run", () => {
  const now = new Date("2026-03-05T08:00:00Z");
  const tomorrowStartsAt = new Date("2026-03-05T22:00:00Z");
  const base = { now, paused: false, tomorrowStartsAt, retryAfterMs: 10 * 60_000 };

  it("is none while paused, the next tick before or during today's run, tomorrow after a completed one", () => {
    expect(nextIssuanceRun({ ...base, paused: true, today: { state: "none", finishedAt: null } })).toBeNull();
    expect(nextIssuanceRun({ ...base, today: { state: "none", finishedAt: null } })).toEqual(now);
    expect(nextIssuanceRun({ ...base, today: { state: "running", finishedAt: null } })).toEqual(now);
    expect(nextIssuanceRun({ ...base, today: { state: "completed", finishedAt: now } })).toEqual(tomorrowStartsAt);
  });

  it("takes a failed or unfinished day up again after the retry wait, never in the past", () => {
    const stopped = new Date(now.getTime() - 4 * 60_000);
    expect(nextIssuanceRun({ ...base, today: { state: "failed", finishedAt: stopped } })).toEqual(
      new Date(stopped.getTime() + 10 * 60_000),
    );
    expect(nextIssuanceRun({ ...base, today: { state: "failed", finishedAt: new Date(now.getTime() - 3_600_000) } })).toEqual(now);
  });
});
