import { previewDay, previewRule } from "../../../../app/retention/rewards/preview";
import { validateRuleInput } from "../../../../app/retention/rewards/rule-schema";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

describe("previewRule", () => {
  const customers = [
    customer("a", { averageOrderValue: 200, predictedClv: 900 }),
    customer("b"),
    customer("c", { marketingConsent: false }),
  ];

  it("lists who would receive it today and the cost if every code is redeemed", () => {
    const campaign = rule("c8", {
      kind: "holidayCampaign",
      startsAt: "2026-03-01",
      endsAt: "2026-03-08",
      audience: { type: "everyoneWithConsent" },
      reward: { type: "percentage", percentage: 10 },
    });
    const { rules: _rules, ...input } = scheduleInput({ customers });
    // 10% of a's own average order (200) + 10% of the shop average (80).
    expect(previewRule(campaign, input)).toEqual({
      recipients: ["a", "b"],
      count: 2,
      maxCost: 28,
      heldOut: 0,
      offerB: 0,
      reminders: 0,
      pausedReason: null,
      withheldByBudget: 0,
      capped: 0,
      withheldNoChannel: 0,
      excludedForConsent: 1,
    });
  });

  it("previews an unsaved draft, including a budget pause, and ignores the enabled switch", () => {
    const draft = validateRuleInput(
      {
        kind: "holidayCampaign",
        name: "Spring",
        enabled: false,
        startsAt: "2026-03-01",
        endsAt: "2026-03-08",
        audience: { type: "everyoneWithConsent" },
        reward: { type: "freeShipping" },
        budget: { maxCount: 1 },
      },
      { knownTiers: [] },
    );
    if (!draft.ok) throw new Error("draft should be valid");
    const { rules: _rules, ...input } = scheduleInput({ customers });
    const preview = previewRule(draft.rule, input);
    expect(preview).toMatchObject({ recipients: ["a"], count: 1, maxCost: 6, withheldByBudget: 1 });
    expect(preview.pausedReason).toMatch(/^Paused: the monthly cap of 1 codes is reached/);
  });
});

describe("previewDay", () => {
  const campaign = rule("c9", {
    kind: "holidayCampaign",
    startsAt: "2026-04-01",
    endsAt: "2026-04-08",
    audience: { type: "everyoneWithConsent" },
    reward: { type: "percentage", percentage: 10 },
  });

  it("is a later campaign's first day, and today for a running campaign or an undated rule", () => {
    expect(previewDay(campaign, "2026-03-05")).toBe("2026-04-01");
    expect(previewDay(campaign, "2026-04-03")).toBe("2026-04-03");
    expect(previewDay(rule("w1", { kind: "winback", reward: { type: "percentage", percentage: 10 } }), "2026-03-05")).toBe("2026-03-05");
  });

  it("finds the customers due on that first day, where today finds none", () => {
    const { rules: _rules, ...input } = scheduleInput({ customers: [customer("a"), customer("b")] });
    expect(previewRule(campaign, input).count).toBe(0);
    expect(previewRule(campaign, { ...input, today: previewDay(campaign, input.today) }).recipients).toEqual(["a", "b"]);
  });
});
