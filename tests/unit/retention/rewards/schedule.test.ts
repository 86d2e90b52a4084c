import { addDays } from "../../../../app/retention/time";
import { localDateAt } from "../../../../app/retention/time";
import {
  decideDay,
  type CustomerSnapshot,
  type Decision,
  type IssuedRecord,
  type ScheduleInput,
} from "../../../../app/retention/rewards/schedule";
import { usageThisMonth } from "../../../../app/retention/rewards/budget";
import type { TierState } from "../../../../app/retention/rewards/tiers";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

const birthdayRule = rule("bday", {
  kind: "birthday",
  reward: { type: "fixedAmount", amount: 10 },
  lastChance: true,
});

/** Runs the scheduler like the daily job: record decisions, persist tier states, count budget. */
function runDays(base: ScheduleInput, from: string, days: number, runsPerDay = 1) {
  let issued: IssuedRecord[] = [...base.issued];
  let customers = [...base.customers];
  const all: Decision[] = [];
  for (let d = 0; d < days; d++) {
    const today = addDays(from, d);
    for (let r = 0; r < runsPerDay; r++) {
      const result = decideDay({ ...base, today, issued, customers, budgetUsedThisMonth: usageThisMonth(all, today) });
      issued = [...issued, ...result.decisions];
      all.push(...result.decisions);
      customers = customers.map((c) => {
        const updates = result.tierUpdates.filter((u) => u.customerId === c.id);
        if (updates.length === 0) return c;
        const tierStates: Record<string, TierState> = { ...c.tierStates };
        for (const u of updates) tierStates[u.ruleId] = u.state;
        return { ...c, tierStates };
      });
    }
  }
  return { decisions: all, issued, customers };
}

const summary = (ds: Decision[]) =>
  ds.map((d) => `${d.decidedOn} ${d.kind} ${d.customerId}${d.moment !== undefined ? ` ${d.moment}` : ""}`);

describe("decideDay: birthday anti-gaming and send hour", () => {
  // Birthday 12 March; the window opens on 5 March (today in scheduleInput).
  const withChange = (changedOn: string | null) => [customer("c1", { birthday: "1990-03-12", birthdayChangedOn: changedOn })];
  const issues = (input: Partial<ScheduleInput>) =>
    decideDay(scheduleInput({ rules: [birthdayRule], ...input }))
      .decisions.filter((d) => d.kind === "issue")
      .map((d) => d.customerId);

  it("a birthday set fewer than minNoticeDays before it falls earns no code that year", () => {
    const birthdays = { minNoticeDays: 30, momentsDue: true };
    // 29 days before: too late; exactly 30 days before: counts; unknown change date: counts.
    expect(issues({ customers: withChange("2026-02-11"), birthdays })).toEqual([]);
    expect(issues({ customers: withChange("2026-02-10"), birthdays })).toEqual(["c1"]);
    expect(issues({ customers: withChange(null), birthdays })).toEqual(["c1"]);
    // Changed during the window itself.
    expect(issues({ customers: withChange("2026-03-05"), birthdays })).toEqual([]);
    // The setting at 0 turns the wait off.
    expect(issues({ customers: withChange("2026-03-05"), birthdays: { minNoticeDays: 0, momentsDue: true } })).toEqual(["c1"]);
  });

  it("the next year's birthday counts as usual", () => {
    const nextYear = scheduleInput({
      rules: [birthdayRule],
      customers: withChange("2026-03-05"),
      today: "2027-03-05",
      birthdays: { minNoticeDays: 30, momentsDue: true },
    });
    expect(
      decideDay(nextYear)
        .decisions.filter((d) => d.kind === "issue")
        .map((d) => d.period),
    ).toEqual(["2027"]);
  });

  it("before the send hour no birthday code or reminder is decided", () => {
    const { decisions } = decideDay(
      scheduleInput({ rules: [birthdayRule], customers: withChange(null), birthdays: { minNoticeDays: 30, momentsDue: false } }),
    );
    expect(decisions).toEqual([]);
  });
});

describe("decideDay: birthdays", () => {
  const customers = [
    customer("c1", { birthday: "1990-03-12" }),
    customer("c2", { birthday: "--03-12", marketingConsent: false }),
    customer("c3"),
  ];

  it("issues the code at the window start, only to customers with marketing consent (promotional by default)", () => {
    const { decisions, excludedForConsent } = decideDay(scheduleInput({ rules: [birthdayRule], customers }));
    expect(summary(decisions)).toEqual(["2026-03-05 issue c1", "2026-03-05 remind c1 -7"]);
    expect(excludedForConsent).toEqual({ bday: 1 });
    const issue = decisions[0];
    expect(issue).toMatchObject({
      ruleId: "bday",
      reason: "birthday",
      period: "2026",
      startsAt: "2026-03-04T23:00:00.000Z",
      endsAt: "2026-03-15T23:00:00.000Z",
      reward: { type: "fixedAmount", amount: 10 },
      estimatedCost: 10,
      notify: false,
      channel: "promotional",
    });
    expect(decisions[1]).toMatchObject({ kind: "remind", notify: true, estimatedCost: 0, endsAt: issue.endsAt });
  });

  it("over the whole window fires each reminder once and issues each code once, even with two runs a day", () => {
    const { decisions } = runDays(scheduleInput({ rules: [birthdayRule], customers }), "2026-03-01", 20, 2);
    expect(summary(decisions)).toEqual([
      "2026-03-05 issue c1",
      "2026-03-05 remind c1 -7",
      "2026-03-09 remind c1 -3",
      "2026-03-12 remind c1 0",
      "2026-03-14 remind c1 2",
    ]);
    expect(decisions.find((d) => d.moment === 2)?.lastChance).toBe(true);
    expect(new Set(decisions.map((d) => d.idempotencyKey)).size).toBe(decisions.length);
  });

  it("decides by the shop's own calendar date", () => {
    const instant = new Date("2026-01-01T11:30:00Z");
    const jan9 = [customer("c1", { birthday: "1985-01-09" })];
    const auckland = decideDay(
      scheduleInput({
        rules: [birthdayRule],
        customers: jan9,
        timeZone: "Pacific/Auckland",
        today: localDateAt(instant, "Pacific/Auckland"),
      }),
    );
    const losAngeles = decideDay(
      scheduleInput({
        rules: [birthdayRule],
        customers: jan9,
        timeZone: "America/Los_Angeles",
        today: localDateAt(instant, "America/Los_Angeles"),
      }),
    );
    expect(summary(auckland.decisions)).toEqual(["2026-01-02 issue c1", "2026-01-02 remind c1 -7"]);
    expect(auckland.decisions[0].startsAt).toBe("2026-01-01T11:00:00.000Z");
    expect(losAngeles.decisions).toEqual([]);
  });

  it("issues a 1 January birthday in December under the next year's period", () => {
    const { decisions } = decideDay(
      scheduleInput({ rules: [birthdayRule], customers: [customer("c1", { birthday: "1980-01-01" })], today: "2026-12-25" }),
    );
    expect(decisions[0]).toMatchObject({ kind: "issue", period: "2027" });
  });
});

describe("decideDay: re-running the same day", () => {
  it("returns nothing new once the previous output is recorded", () => {
    const tiers = rule("tiers", {
      kind: "loyaltyTiers",
      metric: "netSpend",
      tiers: [
        { name: "Silver", threshold: 200, reward: { type: "percentage", percentage: 5 } },
        { name: "Gold", threshold: 500, reward: { type: "percentage", percentage: 10 } },
      ],
    });
    const rules = [
      tiers,
      { ...birthdayRule, holdoutShare: 0.3 },
      rule("winback", { kind: "winback", reward: { type: "freeShipping" } }),
      rule("women", {
        kind: "holidayCampaign",
        startsAt: "2026-03-01",
        endsAt: "2026-03-08",
        audience: { type: "tier", tier: "Gold" },
        reward: { type: "percentage", percentage: 15 },
      }),
      rule("thanks", { kind: "feedbackThanks", reward: { type: "fixedAmount", amount: 5 } }),
    ];
    const customers: CustomerSnapshot[] = Array.from({ length: 40 }, (_, i) =>
      customer(`c${i}`, {
        birthday: i % 2 ? "1990-03-12" : null,
        lifecycleGroup: i % 3 === 0 ? "lapsed" : "active",
        lapsedSince: i % 3 === 0 ? "2026-02-20" : null,
        tierMetrics: { netSpend: { lifetime: i * 20, rolling12m: i * 10 }, orderCount: { lifetime: i, rolling12m: i } },
        predictedClv: i * 3,
      }),
    );
    const feedback = [{ customerId: "c5", responseId: "r1", receivedOn: "2026-03-04", score: 2 }];
    const input = scheduleInput({ rules, customers, feedback });

    const first = decideDay(input);
    const kinds = new Set(first.decisions.map((d) => `${d.ruleId}/${d.kind}`));
    expect([...kinds].sort()).toEqual([
      "bday/holdout",
      "bday/issue",
      "bday/remind",
      "thanks/issue",
      "tiers/issue",
      "winback/issue",
      "women/issue",
    ]);
    expect(first.tierUpdates.length).toBeGreaterThan(0);

    const persisted = runDays(input, "2026-03-05", 1);
    expect(persisted.decisions).toEqual(first.decisions);
    const second = decideDay({ ...input, issued: persisted.issued, customers: persisted.customers });
    expect(second).toEqual({ decisions: [], paused: [], capped: [], tierUpdates: [], excludedForConsent: first.excludedForConsent });

    // Even if tier states were not saved, recorded keys stop a second tier code.
    const unsavedTiers = decideDay({ ...input, issued: persisted.issued });
    expect(unsavedTiers.decisions).toEqual([]);
  });
});

describe("decideDay: the shop's consent policy", () => {
  const customers = [
    customer("yes", { birthday: "1990-03-12", lifecycleGroup: "lapsed", lapsedSince: "2026-02-01" }),
    customer("no", { birthday: "1990-03-12", lifecycleGroup: "lapsed", lapsedSince: "2026-02-01", marketingConsent: false }),
  ];
  const winback = rule("wb", { kind: "winback", reward: { type: "fixedAmount", amount: 10 } });
  const issuedTo = (input: ScheduleInput) =>
    decideDay(input)
      .decisions.filter((d) => d.kind === "issue")
      .map((d) => `${d.ruleId}:${d.customerId}`)
      .sort();

  it("leaves customers without consent out of promotional kinds only", () => {
    const input = scheduleInput({ rules: [birthdayRule, winback], customers, kindsNeedingConsent: ["birthday", "winback"] });
    expect(issuedTo(input)).toEqual(["bday:yes", "wb:yes"]);
    expect(decideDay(input).excludedForConsent).toEqual({ bday: 1, wb: 1 });
  });

  it("reaches everyone once the merchant calls a kind service, or turns the requirement off", () => {
    expect(issuedTo(scheduleInput({ rules: [birthdayRule, winback], customers, kindsNeedingConsent: ["winback"] }))).toEqual([
      "bday:no",
      "bday:yes",
      "wb:yes",
    ]);
    const off = scheduleInput({ rules: [birthdayRule, winback], customers, kindsNeedingConsent: [] });
    expect(issuedTo(off)).toEqual(["bday:no", "bday:yes", "wb:no", "wb:yes"]);
    // Reminders follow the same policy: with no consent needed, the birthday code is announced to both.
    expect(
      decideDay(off)
        .decisions.filter((d) => d.kind === "remind")
        .map((d) => d.customerId),
    ).toEqual(["no", "yes"]);
  });
});

describe("decideDay: a delivery channel for every code", () => {
  const customers = [customer("c1", { birthday: "1990-03-12", lifecycleGroup: "lapsed", lapsedSince: "2026-02-01" })];
  const winback = rule("wb", { kind: "winback", reward: { type: "fixedAmount", amount: 10 }, budget: { maxCount: 1 } });
  const thanks = rule("thanks", { kind: "feedbackThanks", reward: { type: "fixedAmount", amount: 5 } });
  const feedback = [{ customerId: "c1", responseId: "r1", receivedOn: "2026-03-04" }];

  it("withholds codes nothing would announce, at no cost, and sends no reminder about them", () => {
    const input = scheduleInput({ rules: [birthdayRule, winback, thanks], customers, feedback, delivery: { flowWorkflow: false } });
    const { decisions, paused } = decideDay(input);
    const byRule = Object.fromEntries(decisions.map((d) => [`${d.ruleId}/${d.kind}`, d]));
    expect(Object.keys(byRule).sort()).toEqual(["bday/issue", "thanks/issue", "wb/issue"]);
    expect(byRule["bday/issue"]).toMatchObject({ withheldReason: "noDeliveryChannel", delivery: null, estimatedCost: 0, notify: false });
    expect(byRule["wb/issue"]).toMatchObject({ withheldReason: "noDeliveryChannel", estimatedCost: 0 });
    // The survey's thank-you shows its code where it was earned.
    expect(byRule["thanks/issue"]).toMatchObject({ delivery: "surface", estimatedCost: 5 });
    expect(byRule["thanks/issue"].withheldReason).toBeUndefined();
    // A withheld code spends no budget.
    expect(paused).toEqual([]);
  });

  it("issues without Flow while the customer account page is in use: the page shows the code", () => {
    const input = scheduleInput({ rules: [winback], customers, delivery: { flowWorkflow: false, customerAccountPage: true } });
    const [issue] = decideDay(input).decisions;
    expect(issue).toMatchObject({ kind: "issue", delivery: "customerAccountPage", estimatedCost: 10 });
    expect(issue.withheldReason).toBeUndefined();
    // Flow, where there is a workflow, stays the channel named (it tells the customer; the page also lists the code).
    const [withFlow] = decideDay({ ...input, delivery: { flowWorkflow: true, customerAccountPage: true } }).decisions;
    expect(withFlow.delivery).toBe("flow");
  });

  it("issues through Flow once a workflow uses the trigger", () => {
    const { decisions } = decideDay(scheduleInput({ rules: [birthdayRule], customers, delivery: { flowWorkflow: true } }));
    expect(decisions.map((d) => `${d.kind}:${d.delivery ?? "-"}:${d.withheldReason ?? "-"}`)).toEqual(["issue:flow:-", "remind:-:-"]);
  });
});

describe("decideDay: budgets", () => {
  const lapsed = Array.from({ length: 5 }, (_, i) =>
    customer(`c${i}`, { lifecycleGroup: "lapsed", lapsedSince: "2026-03-01", predictedClv: 100 * i }),
  );

  it("pauses at the monthly count cap with a reason, serving the most valuable customers first", () => {
    const winback = rule("wb", { kind: "winback", reward: { type: "fixedAmount", amount: 10 }, budget: { maxCount: 3 } });
    const result = decideDay(scheduleInput({ rules: [winback], customers: lapsed, today: "2026-03-20" }));
    expect(result.decisions.map((d) => d.customerId)).toEqual(["c4", "c3", "c2"]);
    expect(result.paused).toEqual([
      {
        ruleId: "wb",
        limit: "count",
        withheld: 2,
        reason:
          "Paused: the monthly cap of 3 codes is reached (3 issued in 2026-03); 2 customers who were due a code did not get one. The rule resumes on 2026-04-01.",
      },
    ]);
  });

  it("pauses at the money cap and counts what was already used this month", () => {
    const winback = rule("wb", { kind: "winback", reward: { type: "fixedAmount", amount: 10 }, budget: { maxAmount: 25 } });
    const fresh = decideDay(scheduleInput({ rules: [winback], customers: lapsed, today: "2026-03-20" }));
    expect(fresh.decisions).toHaveLength(2);
    expect(fresh.paused[0]).toMatchObject({ limit: "amount", withheld: 3 });
    expect(fresh.paused[0].reason).toContain("monthly budget of 25.00 EUR is reached (20.00 committed in 2026-03)");

    const spent = decideDay(
      scheduleInput({ rules: [winback], customers: lapsed, today: "2026-03-20", budgetUsedThisMonth: { wb: { count: 2, amount: 20 } } }),
    );
    expect(spent.decisions).toEqual([]);
    expect(spent.paused[0]).toMatchObject({ withheld: 5 });
  });

  it("resumes next month", () => {
    const winback = rule("wb", { kind: "winback", reward: { type: "fixedAmount", amount: 10 }, budget: { maxCount: 3 } });
    const { decisions } = runDays(scheduleInput({ rules: [winback], customers: lapsed }), "2026-03-30", 3);
    expect(summary(decisions)).toEqual([
      "2026-03-30 issue c4",
      "2026-03-30 issue c3",
      "2026-03-30 issue c2",
      "2026-04-01 issue c1",
      "2026-04-01 issue c0",
    ]);
  });
});

describe("decideDay: consent, once per customer, cooldown, holdout", () => {
  it("sends promotional offers only with consent; tier codes are transactional", () => {
    const tiers = rule("tiers", {
      kind: "loyaltyTiers",
      metric: "orderCount",
      tiers: [{ name: "Gold", threshold: 3, reward: { type: "freeShipping" } }],
    });
    const winback = rule("wb", { kind: "winback", reward: { type: "freeShipping" } });
    const noConsent = customer("c1", {
      marketingConsent: false,
      lifecycleGroup: "lapsed",
      lapsedSince: "2026-03-01",
      tierMetrics: { netSpend: { lifetime: 0, rolling12m: 0 }, orderCount: { lifetime: 3, rolling12m: 0 } },
    });
    const { decisions } = decideDay(scheduleInput({ rules: [tiers, winback], customers: [noConsent] }));
    expect(decisions.map((d) => [d.ruleId, d.kind, d.channel, d.notify, d.tier])).toEqual([
      ["tiers", "issue", "transactional", true, "Gold"],
    ]);
  });

  it("gives a tier's code once per customer even after moving down and back up", () => {
    const tiers = rule("tiers", {
      kind: "loyaltyTiers",
      metric: "netSpend",
      graceDays: 0,
      tiers: [{ name: "Gold", threshold: 500, reward: { type: "percentage", percentage: 10 } }],
    });
    const spend = (v: number) => ({ netSpend: { lifetime: v, rolling12m: v }, orderCount: { lifetime: 0, rolling12m: 0 } });
    const up = runDays(scheduleInput({ rules: [tiers], customers: [customer("c1", { tierMetrics: spend(600) })] }), "2026-03-05", 1);
    expect(summary(up.decisions)).toEqual(["2026-03-05 issue c1"]);
    const down = decideDay(
      scheduleInput({
        rules: [tiers],
        today: "2026-04-01",
        issued: up.issued,
        customers: [{ ...up.customers[0], tierMetrics: spend(100) }],
      }),
    );
    expect(down.tierUpdates[0].changes[0]).toMatchObject({ from: "Gold", to: null, direction: "down" });
    const backUp = decideDay(
      scheduleInput({
        rules: [tiers],
        today: "2026-05-01",
        issued: up.issued,
        customers: [{ ...up.customers[0], tierStates: { tiers: down.tierUpdates[0].state }, tierMetrics: spend(700) }],
      }),
    );
    expect(backUp.tierUpdates[0].changes[0]).toMatchObject({ to: "Gold", direction: "up", on: "2026-05-01" });
    expect(backUp.decisions).toEqual([]);
  });

  it("makes one win-back offer per lapse and respects the cooldown", () => {
    const winback = rule("wb", { kind: "winback", reward: { type: "freeShipping" }, cooldownDays: 60 });
    const first = runDays(
      scheduleInput({ rules: [winback], customers: [customer("c1", { lifecycleGroup: "lapsed", lapsedSince: "2026-01-10" })] }),
      "2026-01-10",
      30,
    );
    expect(summary(first.decisions)).toEqual(["2026-01-10 issue c1"]);
    expect(first.decisions[0].period).toBe("lapse:2026-01-10");

    const relapsed = [customer("c1", { lifecycleGroup: "lapsed", lapsedSince: "2026-02-20" })];
    const again = runDays(scheduleInput({ rules: [winback], customers: relapsed, issued: first.issued }), "2026-02-20", 40);
    expect(summary(again.decisions)).toEqual(["2026-03-11 issue c1"]);
  });

  it("holds out a deterministic share, records it, and never reminds or issues to held-out customers", () => {
    const held = { ...birthdayRule, holdoutShare: 0.2 };
    const customers = Array.from({ length: 500 }, (_, i) => customer(`gid://shopify/Customer/${i + 1}`, { birthday: "1991-03-12" }));
    const { decisions } = runDays(scheduleInput({ rules: [held], customers }), "2026-03-05", 12);
    const heldOut = new Set(decisions.filter((d) => d.kind === "holdout").map((d) => d.customerId));
    const issued = new Set(decisions.filter((d) => d.kind === "issue").map((d) => d.customerId));
    expect(heldOut.size + issued.size).toBe(500);
    expect(Math.abs(heldOut.size / 500 - 0.2)).toBeLessThan(0.05);
    expect(decisions.filter((d) => d.kind === "remind" && heldOut.has(d.customerId))).toEqual([]);
    expect(decisions.filter((d) => d.kind === "remind")).toHaveLength(issued.size * 4);
    const again = decideDay(scheduleInput({ rules: [held], customers }));
    expect(new Set(again.decisions.filter((d) => d.kind === "holdout").map((d) => d.customerId))).toEqual(heldOut);
  });
});

describe("decideDay: campaigns and feedback", () => {
  it("targets a campaign at today's tier and only while it runs", () => {
    const tiers = rule("tiers", { kind: "loyaltyTiers", metric: "netSpend", tiers: [{ name: "Gold", threshold: 500 }] });
    const campaign = rule("c8", {
      kind: "holidayCampaign",
      startsAt: "2026-03-01",
      endsAt: "2026-03-08",
      audience: { type: "tier", tier: "Gold" },
      reward: { type: "percentage", percentage: 15 },
    });
    const spend = (v: number) => ({ netSpend: { lifetime: v, rolling12m: v }, orderCount: { lifetime: 0, rolling12m: 0 } });
    const customers = [customer("gold", { tierMetrics: spend(600) }), customer("plain", { tierMetrics: spend(100) })];
    const { decisions } = runDays(scheduleInput({ rules: [tiers, campaign], customers }), "2026-02-25", 14);
    expect(summary(decisions)).toEqual(["2026-03-01 issue gold"]);
    expect(decisions[0]).toMatchObject({
      period: "campaign:c8",
      startsAt: "2026-02-28T23:00:00.000Z",
      endsAt: "2026-03-08T23:00:00.000Z",
      estimatedCost: 12,
    });
  });

  it("thanks every feedback response whatever the score, once per customer by default", () => {
    const thanks = rule("thanks", { kind: "feedbackThanks", reward: { type: "fixedAmount", amount: 5 } });
    const feedback = [
      { customerId: "c1", responseId: "r1", receivedOn: "2026-03-04", score: 0 },
      { customerId: "c1", responseId: "r2", receivedOn: "2026-03-05", score: 10 },
      { customerId: "c2", responseId: "r3", receivedOn: "2026-03-05", score: 1 },
      { customerId: "c3", responseId: "r4", receivedOn: "2026-03-06", score: 9 },
    ];
    const { decisions } = runDays(scheduleInput({ rules: [thanks], feedback }), "2026-03-05", 3);
    expect(summary(decisions)).toEqual(["2026-03-05 issue c1", "2026-03-05 issue c2", "2026-03-06 issue c3"]);
    expect(decisions[0]).toMatchObject({ period: "feedback", channel: "transactional", notify: true });
  });

  it("skips disabled rules and rejects a bad date or zone", () => {
    const off = { ...birthdayRule, enabled: false };
    expect(decideDay(scheduleInput({ rules: [off], customers: [customer("c1", { birthday: "1990-03-12" })] })).decisions).toEqual([]);
    expect(() => decideDay(scheduleInput({ today: "2026-3-5" }))).toThrow(/shop-local date/);
    expect(() => decideDay(scheduleInput({ timeZone: "Nowhere/City" }))).toThrow(/time zone/);
  });
});
