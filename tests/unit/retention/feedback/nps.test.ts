import {
  classifyScore,
  npsTrend,
  periodStart,
  reasonCounts,
  scoreDistribution,
  summarizeScores,
} from "../../../../app/retention/feedback/nps";

describe("classifyScore", () => {
  it("splits 0–6 / 7–8 / 9–10", () => {
    const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(classifyScore);
    expect(classes).toEqual([...Array(7).fill("detractor"), "passive", "passive", "promoter", "promoter"]);
  });

  it.each([-1, 11, 6.5, Number.NaN])("rejects %s", (score) => {
    expect(() => classifyScore(score)).toThrow(RangeError);
  });
});

describe("summarizeScores", () => {
  it("computes NPS and CSAT on a hand-built sample", () => {
    // 10 answers: promoters 10,10,9,9,9 (5); passives 8,7 (2); detractors 6,3,0 (3).
    const summary = summarizeScores([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]);
    expect(summary).toEqual({
      responses: 10,
      promoters: 5,
      passives: 2,
      detractors: 3,
      nps: 20, // 50 % − 30 %
      csat: 70, // 7 of 10 scored 7–10
    });
  });

  it("gives −100 when everyone is a detractor and +100 when everyone promotes", () => {
    expect(summarizeScores([0, 6, 3]).nps).toBe(-100);
    expect(summarizeScores([9, 10]).nps).toBe(100);
    expect(summarizeScores([9, 10]).csat).toBe(100);
  });

  it("ignores passives in NPS but counts them as satisfied", () => {
    const summary = summarizeScores([7, 8, 8, 7]);
    expect(summary.nps).toBe(0);
    expect(summary.csat).toBe(100);
  });

  it("is exact with thirds (no rounding inside)", () => {
    const summary = summarizeScores([10, 5, 8]);
    expect(summary.nps).toBeCloseTo(0, 12);
    expect(summarizeScores([10, 10, 5]).nps).toBeCloseTo(100 / 3, 12);
    expect(summary.csat).toBeCloseTo(200 / 3, 12);
  });

  it("reports null, not 0, without answers", () => {
    expect(summarizeScores([])).toEqual({
      responses: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      nps: null,
      csat: null,
    });
  });
});

describe("scoreDistribution", () => {
  it("counts answers per score 0..10", () => {
    expect(scoreDistribution([10, 10, 9, 0, 5, 5, 5])).toEqual([1, 0, 0, 0, 0, 3, 0, 0, 0, 1, 2]);
    expect(scoreDistribution([])).toEqual(Array(11).fill(0));
  });

  it("refuses an out-of-range score", () => {
    expect(() => scoreDistribution([3, 11])).toThrow(RangeError);
  });
});

describe("reasonCounts", () => {
  it("counts each reason once per answer, most frequent first, with shares of answers naming a reason", () => {
    const counts = reasonCounts([
      { reasons: ["delivery", "price"] },
      { reasons: ["delivery", "delivery"] },
      { reasons: ["service"] },
      { reasons: [] },
      { reasons: ["price", "not-a-code"] },
    ]);
    expect(counts).toEqual([
      { reason: "delivery", count: 2, share: 0.5 },
      { reason: "price", count: 2, share: 0.5 },
      { reason: "service", count: 1, share: 0.25 },
      { reason: "product_not_as_described", count: 0, share: 0 },
      { reason: "other", count: 0, share: 0 },
    ]);
  });

  it("has null shares when nobody named a reason", () => {
    expect(reasonCounts([{ reasons: [] }]).every((r) => r.count === 0 && r.share === null)).toBe(true);
  });
});

describe("periodStart", () => {
  it("finds the ISO week's Monday and the month's first day", () => {
    expect(periodStart("2026-02-12", "week")).toBe("2026-02-09"); // Thursday → Monday
    expect(periodStart("2026-02-09", "week")).toBe("2026-02-09");
    expect(periodStart("2026-02-15", "week")).toBe("2026-02-09"); // Sunday belongs to the week before
    expect(periodStart("2026-01-01", "week")).toBe("2025-12-29");
    expect(periodStart("1969-12-28", "week")).toBe("1969-12-22"); // before the epoch
    expect(periodStart("2026-02-28", "month")).toBe("2026-02-01");
    expect(periodStart("2026-02-28", "day")).toBe("2026-02-28");
  });
});

describe("npsTrend", () => {
  const answers = [
    { day: "2026-01-05", score: 10 },
    { day: "2026-01-07", score: 2 },
    { day: "2026-01-20", score: 9 },
    { day: "2026-03-02", score: 8 },
  ];

  it("groups by month and fills the empty month", () => {
    const trend = npsTrend(answers, "month");
    expect(trend.map((p) => [p.period, p.responses, p.nps, p.csat])).toEqual([
      ["2026-01-01", 3, (2 / 3 - 1 / 3) * 100, (2 / 3) * 100],
      ["2026-02-01", 0, null, null],
      ["2026-03-01", 1, 0, 100],
    ]);
  });

  it("groups by ISO week", () => {
    const trend = npsTrend(answers.slice(0, 3), "week");
    expect(trend.map((p) => [p.period, p.responses, p.nps])).toEqual([
      ["2026-01-05", 2, 0],
      ["2026-01-12", 0, null],
      ["2026-01-19", 1, 100],
    ]);
  });

  it("spans an explicit range, wider than the data", () => {
    const trend = npsTrend([{ day: "2026-01-02", score: 0 }], "day", {
      from: "2026-01-01",
      to: "2026-01-03",
    });
    expect(trend.map((p) => [p.period, p.nps])).toEqual([
      ["2026-01-01", null],
      ["2026-01-02", -100],
      ["2026-01-03", null],
    ]);
  });

  it("rolls months over the year end", () => {
    const trend = npsTrend(
      [
        { day: "2025-11-30", score: 9 },
        { day: "2026-01-01", score: 9 },
      ],
      "month",
    );
    expect(trend.map((p) => p.period)).toEqual(["2025-11-01", "2025-12-01", "2026-01-01"]);
  });

  it("is empty without answers or range", () => {
    expect(npsTrend([], "week")).toEqual([]);
  });

  it("rejects impossible days", () => {
    expect(() => npsTrend([{ day: "2026-02-30", score: 5 }], "day")).toThrow(RangeError);
  });
});
