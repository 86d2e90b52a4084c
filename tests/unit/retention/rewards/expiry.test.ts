import { sweepExpiredCodes, type IssuedCodeStatus } from "../../../../app/retention/rewards/expiry";

const code = (id: string, endsAt: string, usageCount = 0, deactivatedAt: string | null = null): IssuedCodeStatus => ({
  id,
  code: `CODE${id}`,
  endsAt,
  usageCount,
  deactivatedAt,
});

describe("sweepExpiredCodes", () => {
  it("deactivates expired unused codes and counts the rest", () => {
    const now = new Date("2026-03-16T00:00:00Z");
    const sweep = sweepExpiredCodes(
      [
        code("1", "2026-03-15T23:00:00.000Z"),
        code("2", "2026-03-16T00:00:00.000Z"),
        code("3", "2026-03-16T00:00:01.000Z"),
        code("4", "2026-03-01T00:00:00.000Z", 1),
        code("5", "2026-03-01T00:00:00.000Z", 0, "2026-03-02T00:00:00.000Z"),
      ],
      now,
    );
    expect(sweep.toDeactivate.map((c) => c.id)).toEqual(["1", "2"]);
    expect(sweep.counts).toEqual({ active: 1, expiredUnused: 2, expiredRedeemed: 1, alreadyDeactivated: 1 });
  });

  it("rejects a malformed end date instead of guessing", () => {
    expect(() => sweepExpiredCodes([code("x", "soon")], new Date())).toThrow(/invalid endsAt/);
  });
});
