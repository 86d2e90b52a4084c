import { describe, expect, it } from "vitest";

import {
  DEFAULT_LOW_SCORE_THRESHOLD,
  MAX_COMMENT_LENGTH,
  birthdayProblem,
  buildPayload,
  initialState,
  isLowScore,
  localDay,
  normalizeOrderId,
  reduce,
  resolveConfig,
  storageKey,
  validateDraft,
  type SurveyEvent,
  type SurveyState,
} from "../src/survey-logic";

const TODAY = "2026-02-10";
const config = resolveConfig({});

function run(...events: SurveyEvent[]): SurveyState {
  return events.reduce(reduce, initialState);
}
const APP = { lowScoreThreshold: 6 };
const open: SurveyEvent = { type: "opened", alreadyAnswered: false, canSubmit: true, app: APP };

describe("resolveConfig", () => {
  it("defaults to threshold 6 and asking the birthday when settings are empty (editor placement)", () => {
    expect(resolveConfig(undefined)).toEqual({ lowScoreThreshold: 6, askBirthday: true });
    expect(DEFAULT_LOW_SCORE_THRESHOLD).toBe(6);
  });

  it("takes the threshold from the app (0..9), never from a block setting", () => {
    expect(resolveConfig({}, { lowScoreThreshold: 8 }).lowScoreThreshold).toBe(8);
    expect(resolveConfig({}, { lowScoreThreshold: 0 }).lowScoreThreshold).toBe(0);
    // A leftover checkout-editor setting from an older version is ignored.
    expect(resolveConfig({ low_score_threshold: 3 }, { lowScoreThreshold: 8 }).lowScoreThreshold).toBe(8);
    expect(resolveConfig({ low_score_threshold: 3 }).lowScoreThreshold).toBe(6);
    for (const bad of [10, -1, 6.5, Number.NaN]) {
      expect(resolveConfig({}, { lowScoreThreshold: bad }).lowScoreThreshold).toBe(6);
    }
  });

  it("turns the birthday off only when the merchant said so", () => {
    expect(resolveConfig({ ask_birthday: false }).askBirthday).toBe(false);
    expect(resolveConfig({ ask_birthday: true }).askBirthday).toBe(true);
  });

  it("classifies scores against the threshold inclusively", () => {
    expect(isLowScore(6, config)).toBe(true);
    expect(isLowScore(7, config)).toBe(false);
    expect(isLowScore(0, config)).toBe(true);
  });
});

describe("reduce (state machine)", () => {
  it("hides when already answered for this order, or when it cannot submit", () => {
    expect(run({ type: "opened", alreadyAnswered: true, canSubmit: true, app: APP }).phase).toBe("hidden");
    expect(run({ type: "opened", alreadyAnswered: false, canSubmit: false, app: APP }).phase).toBe("hidden");
    // The app could not say its threshold: it would not take the answer either.
    expect(run({ type: "opened", alreadyAnswered: false, canSubmit: true, app: null }).phase).toBe("hidden");
    expect(run(open)).toMatchObject({ phase: "score", app: APP });
  });

  it("walks score → details → submitting → thanks, keeping the reward", () => {
    const reward = { code: "THANKS10", endsAt: "2026-03-01T00:00:00Z" };
    const states = [open, { type: "scored", score: 4 }, { type: "submitRequested", today: TODAY }].reduce<SurveyState[]>(
      (acc, e) => [...acc, reduce(acc[acc.length - 1], e as SurveyEvent)],
      [initialState],
    );
    expect(states.map((s) => s.phase)).toEqual(["loading", "score", "details", "submitting"]);
    const done = reduce(states[3], { type: "submitSucceeded", reward });
    expect(done.phase).toBe("thanks");
    expect(done.reward).toEqual(reward);
  });

  it("ignores input before it opens and after it is sent", () => {
    expect(run({ type: "scored", score: 5 })).toEqual(initialState);
    const sending = run(open, { type: "scored", score: 5 }, { type: "submitRequested", today: TODAY });
    expect(reduce(sending, { type: "commentChanged", comment: "late" }).comment).toBe("");
    expect(reduce(sending, { type: "scored", score: 9 }).score).toBe(5);
    expect(reduce(sending, { type: "submitRequested", today: TODAY })).toBe(sending);
  });

  it("rejects scores that are not integers 0..10", () => {
    for (const score of [-1, 11, 3.5, Number.NaN]) {
      expect(run(open, { type: "scored", score }).score).toBeNull();
    }
  });

  it("keeps only known reasons, in canonical order", () => {
    const state = run(
      open,
      { type: "scored", score: 2 },
      {
        type: "reasonsChanged",
        reasons: ["service", "bogus", "delivery", "service"],
      },
    );
    expect(state.reasons).toEqual(["delivery", "service"]);
  });

  it("caps the comment at 2000 characters", () => {
    const state = run(open, { type: "scored", score: 2 }, { type: "commentChanged", comment: "x".repeat(5000) });
    expect(state.comment).toHaveLength(MAX_COMMENT_LENGTH);
  });

  it("needs a score before sending", () => {
    const state = run(open, { type: "submitRequested", today: TODAY });
    expect(state.phase).toBe("score");
    expect(state.errors).toEqual({ score: ["required"] });
  });

  it("stays on the form with errors when a birthday lacks consent, and clears the error on edit", () => {
    const blocked = run(
      open,
      { type: "scored", score: 9 },
      { type: "birthdayChanged", birthday: "1990-05-17" },
      { type: "submitRequested", today: TODAY },
    );
    expect(blocked.phase).toBe("details");
    expect(blocked.errors).toEqual({ birthdayConsent: ["consent_required"] });
    const fixed = reduce(blocked, { type: "consentChanged", consent: true });
    expect(fixed.errors).toEqual({});
    expect(reduce(fixed, { type: "submitRequested", today: TODAY }).phase).toBe("submitting");
  });

  it("returns to the form with server field errors; hides on failure; never hides the thanks", () => {
    const sending = run(open, { type: "scored", score: 1 }, { type: "submitRequested", today: TODAY });
    const rejected = reduce(sending, { type: "submitRejected", fieldErrors: { comment: ["too_long"] } });
    expect(rejected.phase).toBe("details");
    expect(rejected.errors).toEqual({ comment: ["too_long"] });
    expect(reduce(sending, { type: "submitFailed" }).phase).toBe("hidden");
    const thanks = reduce(sending, { type: "submitSucceeded", reward: null });
    expect(reduce(thanks, { type: "submitFailed" }).phase).toBe("thanks");
  });

  it("dismisses from the form only", () => {
    expect(run(open, { type: "dismissed" }).phase).toBe("hidden");
    const thanks = run(
      open,
      { type: "scored", score: 9 },
      { type: "submitRequested", today: TODAY },
      { type: "submitSucceeded", reward: null },
    );
    expect(reduce(thanks, { type: "dismissed" }).phase).toBe("thanks");
  });
});

describe("birthday checks", () => {
  it("accepts real past dates, including 29 February of a leap year", () => {
    expect(birthdayProblem("1988-02-29", TODAY)).toBeNull();
    expect(birthdayProblem(TODAY, TODAY)).toBeNull();
    expect(birthdayProblem("1900-01-01", TODAY)).toBeNull();
  });

  it.each([
    ["1989-02-29", "invalid_date"],
    ["1990-13-01", "invalid_date"],
    ["1990-04-31", "invalid_date"],
    ["17/05/1990", "invalid_date"],
    ["1990-5-7", "invalid_date"],
    ["2026-02-11", "future_date"],
    ["1899-12-31", "implausible_year"],
    ["0990-05-17", "implausible_year"],
  ])("%s → %s", (birthday, problem) => {
    expect(birthdayProblem(birthday, TODAY)).toBe(problem);
  });

  it("validateDraft reports the date problem before asking for consent", () => {
    const state: SurveyState = { ...initialState, score: 5, birthday: "2030-01-01", birthdayConsent: false };
    expect(validateDraft(state, TODAY)).toEqual({ birthday: ["future_date"] });
  });

  it("localDay uses the local calendar day", () => {
    expect(localDay(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

describe("buildPayload", () => {
  const context = { orderId: "gid://shopify/Order/1", locale: "uk" };

  it("sends reasons and a trimmed comment for a low score", () => {
    const state: SurveyState = {
      ...initialState,
      score: 6,
      reasons: ["price"],
      comment: "  too expensive  ",
    };
    expect(buildPayload(state, config, context)).toEqual({
      score: 6,
      reasons: ["price"],
      comment: "too expensive",
      locale: "uk",
      orderId: "gid://shopify/Order/1",
    });
  });

  it("drops reasons and comment typed before the buyer raised the score above the threshold", () => {
    const state: SurveyState = { ...initialState, score: 7, reasons: ["price"], comment: "meh" };
    expect(buildPayload(state, config, context)).toEqual({
      score: 7,
      reasons: [],
      locale: "uk",
      orderId: "gid://shopify/Order/1",
    });
  });

  it("includes the birthday only with consent and only when the merchant asks for it", () => {
    const withConsent: SurveyState = {
      ...initialState,
      score: 9,
      birthday: "1990-05-17",
      birthdayConsent: true,
    };
    expect(buildPayload(withConsent, config, context)).toMatchObject({
      birthday: "1990-05-17",
      birthdayConsent: true,
    });
    expect(buildPayload({ ...withConsent, birthdayConsent: false }, config, context)).not.toHaveProperty("birthday");
    expect(buildPayload(withConsent, { ...config, askBirthday: false }, context)).not.toHaveProperty("birthday");
  });

  it("refuses to build without a score", () => {
    expect(() => buildPayload(initialState, config, context)).toThrow();
  });
});

describe("order identity", () => {
  it("maps thank-you OrderIdentity and order-status Order GIDs to the same order and storage key", () => {
    const fromThankYou = normalizeOrderId("gid://shopify/OrderIdentity/5551234");
    const fromOrderStatus = normalizeOrderId("gid://shopify/Order/5551234");
    expect(fromThankYou).toBe("gid://shopify/Order/5551234");
    expect(fromOrderStatus).toBe(fromThankYou);
    expect(storageKey(fromThankYou as string)).toBe("kinship-feedback:5551234");
  });

  it("rejects anything that is not an order id", () => {
    for (const id of [undefined, null, "", "gid://shopify/Customer/1", "gid://shopify/Order/abc", "12a"]) {
      expect(normalizeOrderId(id)).toBeNull();
    }
    expect(normalizeOrderId("42")).toBe("gid://shopify/Order/42");
  });
});
