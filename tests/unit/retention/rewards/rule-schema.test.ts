import { ruleErrorsText } from "../../../../app/i18n/form-errors";
import { validateRuleInput, type RuleValidationContext } from "../../../../app/retention/rewards/rule-schema";

const ctx: RuleValidationContext = { knownTiers: ["Bronze", "Silver", "Gold"] };

const campaign = (overrides: Record<string, unknown> = {}) => ({
  kind: "holidayCampaign",
  name: "Women's Day",
  startsAt: "2026-03-01",
  endsAt: "2026-03-08",
  audience: { type: "everyoneWithConsent" },
  reward: { type: "percentage", percentage: 15 },
  ...overrides,
});

function errorsOf(raw: unknown, context: RuleValidationContext = ctx) {
  const result = validateRuleInput(raw, context);
  if (result.ok) throw new Error("expected the input to be rejected");
  // The core writes catalog keys; the merchant reads them in their language (English here).
  return ruleErrorsText(result.fieldErrors, "en");
}

describe("validateRuleInput", () => {
  it("accepts a valid campaign and fills defaults", () => {
    const result = validateRuleInput(campaign(), ctx);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rule).toMatchObject({ kind: "holidayCampaign", enabled: true, holdoutShare: 0, endsAt: "2026-03-08" });
  });

  it("rejects a negative percentage at reward.percentage", () => {
    expect(errorsOf(campaign({ reward: { type: "percentage", percentage: -5 } }))).toEqual({
      "reward.percentage": ["A percentage can't be negative."],
    });
  });

  it("rejects a percentage above 100 and accepts exactly 100", () => {
    expect(errorsOf(campaign({ reward: { type: "percentage", percentage: 100.5 } }))["reward.percentage"]).toEqual([
      "A percentage can't be more than 100.",
    ]);
    expect(validateRuleInput(campaign({ reward: { type: "percentage", percentage: 100 } }), ctx).ok).toBe(true);
    expect(errorsOf(campaign({ reward: { type: "percentage", percentage: 0 } }))["reward.percentage"]).toEqual([
      "Enter a percentage above 0.",
    ]);
  });

  it("rejects a zero or negative fixed amount", () => {
    expect(errorsOf(campaign({ reward: { type: "fixedAmount", amount: 0 } }))["reward.amount"]).toBeDefined();
    expect(errorsOf(campaign({ reward: { type: "fixedAmount", amount: -1 } }))["reward.amount"]).toEqual([
      "An amount off can't be negative.",
    ]);
  });

  it("accepts numbers posted as strings from a form", () => {
    const result = validateRuleInput(campaign({ reward: { type: "percentage", percentage: "12.5" } }), ctx);
    expect(result.ok && result.rule.kind === "holidayCampaign" && result.rule.reward).toEqual({ type: "percentage", percentage: 12.5 });
  });

  it("rejects an end date before the start date at endsAt", () => {
    expect(errorsOf(campaign({ startsAt: "2026-03-08", endsAt: "2026-03-01" }))).toEqual({
      endsAt: ["The end date must be on or after the start date."],
    });
  });

  it("requires a campaign end date", () => {
    const { endsAt: _omit, ...noEnd } = campaign();
    expect(errorsOf(noEnd).endsAt).toEqual(["Campaigns need an end date."]);
    expect(errorsOf(campaign({ endsAt: "" })).endsAt).toEqual(["Campaigns need an end date."]);
    expect(errorsOf(campaign({ endsAt: "2026-02-30" })).endsAt).toEqual(["Enter a date as YYYY-MM-DD."]);
  });

  it("rejects a campaign that has already ended when today is known", () => {
    expect(errorsOf(campaign(), { ...ctx, today: "2026-03-09" }).endsAt).toEqual(["This end date has already passed."]);
  });

  it("rejects an unknown tier in a campaign audience, naming the choices", () => {
    expect(errorsOf(campaign({ audience: { type: "tier", tier: "Platinum" } }))).toEqual({
      "audience.tier": ["There is no tier called “Platinum”. Choose one of: Bronze, Silver, Gold."],
    });
    expect(validateRuleInput(campaign({ audience: { type: "tier", tier: "Gold" } }), ctx).ok).toBe(true);
  });

  it("rejects an unknown segment when the shop's segments are given", () => {
    const errors = errorsOf(campaign({ audience: { type: "segment", segmentId: "gone" } }), { ...ctx, knownSegments: ["a"] });
    expect(Object.keys(errors)).toEqual(["audience.segmentId"]);
  });

  it("reports several field errors at once", () => {
    const errors = errorsOf(campaign({ name: "", reward: { type: "percentage", percentage: 150 }, budget: { maxCount: 0 } }));
    expect(Object.keys(errors).sort()).toEqual(["budget.maxCount", "name", "reward.percentage"]);
  });

  it("rejects an unknown rule type and non-object input", () => {
    expect(Object.keys(errorsOf({ kind: "lottery" }))).toEqual(["kind"]);
    expect(Object.keys(errorsOf("nope"))).toEqual(["form"]);
    expect(errorsOf(campaign({ reward: { type: "buyOneGetOne" } }))["reward.type"]).toEqual([
      "Choose a reward: percentage off, amount off or free shipping.",
    ]);
  });

  it("limits the holdout share to half", () => {
    expect(errorsOf(campaign({ holdoutShare: 0.6 })).holdoutShare).toEqual(["Hold out at most half of the customers."]);
  });

  describe("loyalty tiers", () => {
    const program = (tiers: unknown[]) => ({ kind: "loyaltyTiers", name: "Club", metric: "netSpend", tiers });

    it("accepts ordered tiers and defaults window, grace and validity", () => {
      const result = validateRuleInput(
        program([
          { name: "Silver", threshold: 200 },
          { name: "Gold", threshold: 500, reward: { type: "freeShipping" } },
        ]),
        ctx,
      );
      expect(result.ok && result.rule).toMatchObject({ window: "lifetime", graceDays: 30, validityDays: 30, oncePerCustomer: true });
    });

    it("rejects thresholds that don't increase, duplicate names and bad metrics", () => {
      const errors = errorsOf(
        program([
          { name: "Gold", threshold: 500 },
          { name: "gold", threshold: 500 },
        ]),
      );
      expect(errors["tiers.1.threshold"]).toEqual(["Must be higher than Gold's threshold (500)."]);
      expect(errors["tiers.1.name"]).toEqual(["Another tier is already called “gold”."]);
      expect(Object.keys(errorsOf({ ...program([{ name: "A", threshold: 1 }]), metric: "vibes" }))).toEqual(["metric"]);
      expect(errorsOf(program([{ name: "A", threshold: -1 }]))["tiers.0.threshold"]).toEqual(["A threshold can't be negative."]);
      expect(errorsOf(program([{ name: "A", threshold: 1, reward: { type: "percentage", percentage: -3 } }]))).toEqual({
        "tiers.0.reward.percentage": ["A percentage can't be negative."],
      });
    });
  });

  describe("birthday", () => {
    const birthday = (overrides: Record<string, unknown> = {}) => ({
      kind: "birthday",
      name: "Birthday",
      reward: { type: "fixedAmount", amount: 10 },
      ...overrides,
    });

    it("defaults to a 7-before/3-after window with reminders at -7, -3 and 0", () => {
      const result = validateRuleInput(birthday(), ctx);
      expect(result.ok && result.rule).toMatchObject({
        windowDaysBefore: 7,
        windowDaysAfter: 3,
        reminders: [-7, -3, 0],
        lastChance: false,
      });
    });

    it("keeps default reminders inside a narrower window", () => {
      const result = validateRuleInput(birthday({ windowDaysBefore: 5 }), ctx);
      expect(result.ok && result.rule.kind === "birthday" && result.rule.reminders).toEqual([-3, 0]);
    });

    it("rejects reminders outside the window and a last chance the window doesn't cover", () => {
      const errors = errorsOf(birthday({ reminders: [-10, 0], windowDaysAfter: 1, lastChance: true }));
      expect(Object.keys(errors).sort()).toEqual(["lastChance", "reminders.0"]);
    });
  });

  it("never lets feedback thanks depend on the score", () => {
    const errors = errorsOf({ kind: "feedbackThanks", name: "Thanks", reward: { type: "freeShipping" }, minScore: 9 });
    expect(errors.minScore).toEqual(["Feedback rewards thank every response; they can't depend on the score."]);
  });

  it("normalises an empty budget to no cap", () => {
    const result = validateRuleInput({ kind: "winback", name: "Come back", reward: { type: "freeShipping" }, budget: {} }, ctx);
    expect(result.ok && result.rule).toMatchObject({ budget: null, cooldownDays: 90, validityDays: 14 });
  });
});

describe("store credit and stacking", () => {
  it("accepts store credit with a positive amount in the shop's currency, and refuses none or zero", () => {
    const ok = validateRuleInput({ kind: "winback", name: "Credit", reward: { type: "storeCredit", amount: "7.5" } }, ctx);
    expect(ok.ok && "reward" in ok.rule && ok.rule.reward).toEqual({ type: "storeCredit", amount: 7.5 });
    const zero = validateRuleInput({ kind: "winback", name: "Credit", reward: { type: "storeCredit", amount: "0" } }, ctx);
    expect(!zero.ok && zero.fieldErrors["reward.amount"]).toEqual(["rules.error.enterAnAmountAbove0"]);
    const missing = validateRuleInput({ kind: "winback", name: "Credit", reward: { type: "storeCredit" } }, ctx);
    expect(!missing.ok && missing.fieldErrors["reward.amount"]).toEqual(["rules.error.enterTheCreditAmount"]);
  });

  it("keeps the rule's combinesWith, leaves it unset for the kind's default, and refuses a partial choice", () => {
    const chosen = { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true };
    const set = validateRuleInput(
      { kind: "birthday", name: "B", reward: { type: "percentage", percentage: 10 }, combinesWith: chosen },
      ctx,
    );
    expect(set.ok && set.rule.combinesWith).toEqual(chosen);
    const unset = validateRuleInput({ kind: "birthday", name: "B", reward: { type: "percentage", percentage: 10 } }, ctx);
    expect(unset.ok && unset.rule.combinesWith).toBeUndefined();
    const partial = validateRuleInput(
      { kind: "birthday", name: "B", reward: { type: "percentage", percentage: 10 }, combinesWith: { orderDiscounts: true } },
      ctx,
    );
    expect(partial.ok).toBe(false);
  });
});
