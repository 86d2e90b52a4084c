import { describe, expect, it } from "vitest";
import { customerCapLimit } from "../../../../app/retention/rewards/customer-caps";
import { decideDay, type IssuedRecord } from "../../../../app/retention/rewards/schedule";
import { firstRun } from "../../../../app/retention/rewards/preview";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

const caps = { perDay: 1, per30Days: 2 };

describe("customerCapLimit", () => {
  it("allows up to the caps and names the one reached", () => {
    expect(customerCapLimit(caps, [], "2026-03-05")).toBeNull();
    expect(customerCapLimit(caps, ["2026-03-05"], "2026-03-05")).toBe("day");
    expect(customerCapLimit(caps, ["2026-02-20"], "2026-03-05")).toBeNull();
    expect(customerCapLimit(caps, ["2026-02-20", "2026-03-01"], "2026-03-05")).toBe("30days");
    // 30 days back is outside the window (day 0 is today).
    expect(customerCapLimit(caps, ["2026-02-03", "2026-03-01"], "2026-03-05")).toBeNull();
    expect(customerCapLimit(null, ["2026-03-05", "2026-03-05"], "2026-03-05")).toBeNull();
  });
});

describe("decideDay with several rules due for the same customers", () => {
  const rules = [
    rule("winback", { kind: "winback", reward: { type: "percentage", percentage: 15 } }),
    rule("campaign-a", {
      kind: "holidayCampaign",
      startsAt: "2026-03-01",
      endsAt: "2026-03-08",
      audience: { type: "everyoneWithConsent" },
      reward: { type: "percentage", percentage: 10 },
    }),
    rule("campaign-b", {
      kind: "holidayCampaign",
      startsAt: "2026-03-05",
      endsAt: "2026-03-09",
      audience: { type: "segment", segmentId: "seg-vip" },
      reward: { type: "freeShipping" },
    }),
  ];
  const customers = ["a", "b", "c", "d"].map((id) =>
    customer(id, { lifecycleGroup: "lapsed", lapsedSince: "2026-02-01", segmentIds: ["seg-vip"] }),
  );
  const issueCount = (decisions: ReturnType<typeof decideDay>["decisions"]) => {
    const byCustomer = new Map<string, number>();
    for (const d of decisions) if (d.kind === "issue") byCustomer.set(d.customerId, (byCustomer.get(d.customerId) ?? 0) + 1);
    return byCustomer;
  };

  it("without caps each customer is due three codes; with caps never more than the day's cap, the rest counted as capped", () => {
    const uncapped = decideDay(scheduleInput({ rules, customers }));
    expect([...issueCount(uncapped.decisions).values()]).toEqual([3, 3, 3, 3]);

    const capped = decideDay(scheduleInput({ rules, customers, customerCaps: caps }));
    expect([...issueCount(capped.decisions).values()]).toEqual([1, 1, 1, 1]);
    expect(capped.capped).toHaveLength(8);
    expect(capped.capped.every((c) => c.limit === "day")).toBe(true);
    // The rule decided first gets the customer; the others wait.
    expect(new Set(capped.decisions.map((d) => d.ruleId))).toEqual(new Set(["winback"]));
  });

  it("counts codes of earlier days against the 30-day cap", () => {
    const issued: IssuedRecord[] = ["a", "b"].flatMap((id) => [
      { idempotencyKey: `old-1:${id}:x`, ruleId: "old-1", customerId: id, kind: "issue", period: "x", decidedOn: "2026-02-25" },
      { idempotencyKey: `old-2:${id}:x`, ruleId: "old-2", customerId: id, kind: "issue", period: "x", decidedOn: "2026-03-02" },
    ]);
    const result = decideDay(scheduleInput({ rules, customers, issued, customerCaps: caps }));
    expect([...issueCount(result.decisions).keys()].sort()).toEqual(["c", "d"]);
    expect(result.capped.filter((c) => c.customerId === "a").map((c) => c.limit)).toEqual(["30days", "30days", "30days"]);
  });

  it("the first-run dry run counts the rule's capped customers in its audience", () => {
    const input = scheduleInput({
      rules: rules.map((r) => (r.id === "campaign-b" ? { ...r, enabled: false } : r)),
      customers,
      customerCaps: caps,
    });
    const run = firstRun("campaign-b", input);
    expect(run).toMatchObject({ count: 0, capped: 4, audience: 4, runsOn: "2026-03-05" });
    expect(firstRun("winback", input)).toMatchObject({ count: 4, capped: 0, audience: 4 });
  });
});

describe("caps and the holdout", () => {
  it("a customer at the cap waits in either arm, so a rule deciding after another keeps its arms comparable", () => {
    const customers = Array.from({ length: 200 }, (_, i) => customer(`c${i}`, { lifecycleGroup: "lapsed", lapsedSince: "2026-02-01" }));
    const rules = [
      rule("winback", { kind: "winback", reward: { type: "percentage", percentage: 15 } }),
      rule("campaign", {
        kind: "holidayCampaign",
        startsAt: "2026-03-01",
        endsAt: "2026-03-08",
        audience: { type: "everyoneWithConsent" },
        reward: { type: "percentage", percentage: 10 },
        holdoutShare: 0.4,
      }),
    ];
    const result = decideDay(scheduleInput({ rules, customers, customerCaps: caps }));
    // Win-back decides first and reaches everyone; the campaign's customers are all at today's cap, held out or not.
    expect(result.decisions.filter((d) => d.ruleId === "campaign")).toEqual([]);
    expect(result.capped.filter((c) => c.ruleId === "campaign")).toHaveLength(200);
  });
});
