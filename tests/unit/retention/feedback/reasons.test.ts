import * as app from "../../../../app/retention/feedback/reasons";
import * as extension from "../../../../extensions/feedback-survey/src/survey-logic";

// The checkout extension is bundled on its own and keeps a copy of these constants.
describe("survey vocabulary shared with the checkout extension", () => {
  it("uses the same reason codes, in the same order", () => {
    expect([...extension.REASON_CODES]).toEqual([...app.REASON_CODES]);
  });

  it("uses the same comment limit and default threshold", () => {
    expect(extension.MAX_COMMENT_LENGTH).toBe(app.MAX_COMMENT_LENGTH);
    expect(extension.DEFAULT_LOW_SCORE_THRESHOLD).toBe(app.DEFAULT_LOW_SCORE_THRESHOLD);
  });

  it("agrees with the backend on which birthdays are acceptable", async () => {
    const { birthdayProblem } = await import("../../../../app/retention/feedback/payload");
    const today = "2026-02-10";
    for (const day of [
      "1988-02-29",
      "1989-02-29",
      "1899-12-31",
      "1900-01-01",
      "2026-02-10",
      "2030-01-01",
      "0001-01-01",
      "0099-12-31",
      "x",
    ]) {
      expect(extension.birthdayProblem(day, today), day).toBe(birthdayProblem(day, today));
    }
  });
});

describe("score helpers", () => {
  it("isScore accepts integers 0..10 only", () => {
    expect([0, 10, 5].every(app.isScore)).toBe(true);
    expect([-1, 11, 2.5, "5", null, Number.NaN].some(app.isScore)).toBe(false);
  });

  it("isReasonCode knows the five codes only", () => {
    expect(app.REASON_CODES.every(app.isReasonCode)).toBe(true);
    expect(["Delivery", "late", 1].some(app.isReasonCode)).toBe(false);
  });
});
