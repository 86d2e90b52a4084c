import { describe, expect, it } from "vitest";
import { followUpEffect, type FollowUpCase } from "../../../../app/retention/feedback/follow-up-effect";

const DAY = 86_400_000;
const now = new Date("2026-12-01T00:00:00Z");
const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);

/** `returned` of `n` customers who answered `daysAgo` days ago came back 10 days after answering. */
function group(n: number, returned: number, daysAgo = 200): FollowUpCase[] {
  return Array.from({ length: n }, (_, i) => ({ answeredAt: at(daysAgo), orderDates: i < returned ? [at(daysAgo - 10)] : [] }));
}

describe("followUpEffect", () => {
  it("counts a return only within 90 days of the answer, and only once the window is over", () => {
    const effect = followUpEffect(
      {
        resolved: [
          { answeredAt: at(200), orderDates: [at(200 - 91)] }, // too late: not a return
          { answeredAt: at(200), orderDates: [at(200 - 90)] }, // on the 90th day: a return
          { answeredAt: at(30), orderDates: [at(20)] }, // window still open: pending
        ],
        unanswered: [{ answeredAt: at(200), orderDates: [at(201)] }], // before the answer: not a return
      },
      now,
    );
    expect(effect.resolved).toMatchObject({ complete: 2, returned: 1, pending: 1, rate: 0.5 });
    expect(effect.unanswered).toMatchObject({ complete: 1, returned: 0, rate: 0 });
    expect(effect.state).toBe("tooEarly");
  });

  it("says it helps when the interval of the difference is above zero, with Newcombe's interval", () => {
    const effect = followUpEffect({ resolved: group(60, 40), unanswered: group(60, 15) }, now);
    expect(effect.difference!.difference).toBeCloseTo(25 / 60, 10);
    expect(effect.difference!.lower).toBeGreaterThan(0);
    expect(effect.state).toBe("works");
    expect(effect.resolved.interval!.lower).toBeLessThan(40 / 60);
  });

  it("says it hurts when the interval is below zero, and no difference yet when it spans zero", () => {
    expect(followUpEffect({ resolved: group(60, 10), unanswered: group(60, 35) }, now).state).toBe("hurts");
    expect(followUpEffect({ resolved: group(30, 12), unanswered: group(30, 10) }, now).state).toBe("noDetectableEffect");
  });

  it("is too early below 20 complete customers in a group", () => {
    expect(followUpEffect({ resolved: group(19, 19), unanswered: group(100, 0) }, now).state).toBe("tooEarly");
  });
});
