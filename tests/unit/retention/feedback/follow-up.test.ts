import {
  DEFAULT_FIRST_RESPONSE_TARGET_MS,
  HOUR_MS,
  buildFollowUpQueue,
  firstResponseCheck,
  firstResponseStats,
  isRecovered,
  needsFollowUp,
  recoveryStats,
  sortFollowUpQueue,
  timeWaitingMs,
  type FollowUpItem,
} from "../../../../app/retention/feedback/follow-up";

const NOW = new Date("2026-02-10T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * HOUR_MS);

function item(id: string, overrides: Partial<FollowUpItem> = {}): FollowUpItem {
  return {
    id,
    score: 3,
    createdAt: hoursAgo(10),
    predictedClv: null,
    firstResponseAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

describe("needsFollowUp", () => {
  it("takes scores at or below the threshold (default 6)", () => {
    expect([0, 6, 7, 10].map((s) => needsFollowUp(s))).toEqual([true, true, false, false]);
    expect(needsFollowUp(8, 8)).toBe(true);
  });
});

describe("sortFollowUpQueue", () => {
  const items = [
    item("a", { predictedClv: 120, createdAt: hoursAgo(5) }),
    item("b", { predictedClv: null, createdAt: hoursAgo(50) }),
    item("c", { predictedClv: 900, createdAt: hoursAgo(1) }),
    item("d", { predictedClv: 120, createdAt: hoursAgo(30) }),
    item("e", { predictedClv: Number.NaN, createdAt: hoursAgo(70) }),
  ];

  it("by value: highest predicted CLV first, ties oldest first, unknown CLV last", () => {
    expect(sortFollowUpQueue(items, "value").map((i) => i.id)).toEqual(["c", "d", "a", "e", "b"]);
  });

  it("by age: oldest first", () => {
    expect(sortFollowUpQueue(items, "age").map((i) => i.id)).toEqual(["e", "b", "d", "a", "c"]);
  });

  it("is stable on identical items (id order) and does not mutate its input", () => {
    const same = [item("z"), item("m"), item("q")];
    expect(sortFollowUpQueue(same, "age").map((i) => i.id)).toEqual(["m", "q", "z"]);
    expect(same.map((i) => i.id)).toEqual(["z", "m", "q"]);
  });
});

describe("timeWaitingMs", () => {
  it("runs until now while open and until resolution after", () => {
    expect(timeWaitingMs(item("a", { createdAt: hoursAgo(30) }), NOW)).toBe(30 * HOUR_MS);
    expect(timeWaitingMs(item("a", { createdAt: hoursAgo(30), resolvedAt: hoursAgo(20) }), NOW)).toBe(10 * HOUR_MS);
  });

  it("never goes negative on clock skew", () => {
    expect(timeWaitingMs(item("a", { createdAt: new Date(NOW.getTime() + 5000) }), NOW)).toBe(0);
  });
});

describe("firstResponseCheck (target 24 h by default)", () => {
  it("has a 24 h default", () => {
    expect(DEFAULT_FIRST_RESPONSE_TARGET_MS).toBe(24 * HOUR_MS);
  });

  it.each([
    ["met", { createdAt: hoursAgo(40), firstResponseAt: hoursAgo(20) }, 20, 4],
    ["met exactly on target", { createdAt: hoursAgo(30), firstResponseAt: hoursAgo(6) }, 24, 0],
    ["missed", { createdAt: hoursAgo(40), firstResponseAt: hoursAgo(10) }, 30, -6],
    ["due", { createdAt: hoursAgo(5) }, 5, 19],
    ["overdue", { createdAt: hoursAgo(26) }, 26, -2],
  ])("%s", (label, overrides, elapsedH, remainingH) => {
    const check = firstResponseCheck(item("x", overrides), NOW);
    expect(check.status).toBe(label.split(" ")[0]);
    expect(check.elapsedMs).toBe(elapsedH * HOUR_MS);
    expect(check.remainingMs).toBe(remainingH * HOUR_MS);
  });

  it("honours a custom target", () => {
    expect(firstResponseCheck(item("x", { createdAt: hoursAgo(5) }), NOW, 4 * HOUR_MS).status).toBe("overdue");
  });
});

describe("buildFollowUpQueue", () => {
  const items = [
    item("old-cheap", { createdAt: hoursAgo(48), predictedClv: 10 }),
    item("new-rich", { createdAt: hoursAgo(2), predictedClv: 800 }),
    item("done", {
      createdAt: hoursAgo(100),
      predictedClv: 5000,
      firstResponseAt: hoursAgo(99),
      resolvedAt: hoursAgo(90),
    }),
  ];

  it("lists open items with waiting time and response status, in the chosen order", () => {
    const rows = buildFollowUpQueue(items, { order: "value", now: NOW });
    expect(rows.map((r) => [r.item.id, r.waitingMs / HOUR_MS, r.firstResponse.status])).toEqual([
      ["new-rich", 2, "due"],
      ["old-cheap", 48, "overdue"],
    ]);
    expect(buildFollowUpQueue(items, { order: "age", now: NOW }).map((r) => r.item.id)).toEqual(["old-cheap", "new-rich"]);
  });

  it("can include resolved items", () => {
    const rows = buildFollowUpQueue(items, { order: "value", now: NOW, includeResolved: true });
    expect(rows[0].item.id).toBe("done");
    expect(rows[0].waitingMs).toBe(10 * HOUR_MS);
    expect(rows[0].firstResponse.status).toBe("met");
  });
});

describe("firstResponseStats", () => {
  it("counts met, missed and overdue, with the median time to first response", () => {
    const stats = firstResponseStats(
      [
        item("1", { createdAt: hoursAgo(50), firstResponseAt: hoursAgo(48) }), // 2 h, met
        item("2", { createdAt: hoursAgo(50), firstResponseAt: hoursAgo(20) }), // 30 h, missed
        item("3", { createdAt: hoursAgo(50), firstResponseAt: hoursAgo(40) }), // 10 h, met
        item("4", { createdAt: hoursAgo(25) }), // overdue
        item("5", { createdAt: hoursAgo(1) }), // due
      ],
      NOW,
    );
    expect(stats).toEqual({
      targetMs: 24 * HOUR_MS,
      responded: 3,
      metTarget: 2,
      missedTarget: 1,
      overdue: 1,
      shareMet: 2 / 3,
      medianMs: 10 * HOUR_MS,
    });
  });

  it("averages the middle pair for an even count, and is null before any response", () => {
    const stats = firstResponseStats(
      [
        item("1", { createdAt: hoursAgo(10), firstResponseAt: hoursAgo(8) }),
        item("2", { createdAt: hoursAgo(10), firstResponseAt: hoursAgo(4) }),
      ],
      NOW,
    );
    expect(stats.medianMs).toBe(4 * HOUR_MS);
    expect(firstResponseStats([item("x")], NOW)).toMatchObject({
      responded: 0,
      shareMet: null,
      medianMs: null,
    });
  });
});

describe("recovery", () => {
  const resolvedAt = new Date("2026-01-10T00:00:00Z");

  it("counts only orders placed after resolution", () => {
    expect(isRecovered(resolvedAt, [new Date("2026-01-05T00:00:00Z")])).toBe(false);
    expect(isRecovered(resolvedAt, [resolvedAt])).toBe(false);
    expect(isRecovered(resolvedAt, [new Date("2026-01-05T00:00:00Z"), new Date("2026-02-01T00:00:00Z")])).toBe(true);
    expect(isRecovered(null, [new Date("2026-02-01T00:00:00Z")])).toBe(false);
  });

  it("rates recovered over resolved", () => {
    expect(
      recoveryStats([
        { resolvedAt, orderDates: [new Date("2026-01-20T00:00:00Z")] },
        { resolvedAt, orderDates: [] },
        { resolvedAt, orderDates: [new Date("2026-01-01T00:00:00Z")] },
        { resolvedAt: null, orderDates: [new Date("2026-01-20T00:00:00Z")] },
      ]),
    ).toEqual({ resolved: 3, recovered: 1, rate: 1 / 3 });
    expect(recoveryStats([])).toEqual({ resolved: 0, recovered: 0, rate: null });
  });
});
