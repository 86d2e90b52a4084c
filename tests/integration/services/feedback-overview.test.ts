import { beforeEach, describe, expect, it, vi } from "vitest";
import db from "../../../app/db.server";
import { feedbackOverview, parseOverviewParams } from "../../../app/services/feedback-overview.server";
import { readShopSettings } from "../../../app/models/shop-settings.server";
import { feedbackItemView } from "../../../app/services/feedback-detail.server";
import { createFeedbackItemAction } from "../../../app/routes/app.feedback.$id";
import { decodeReasons, encodeReasons, MAX_NOTE_LENGTH } from "../../../app/models/feedback.server";
import { resetDatabase } from "../../support/fixtures";
import { call, type RouteHandler } from "../../support/feedback";

const SHOP = "feedback-admin.myshopify.com";
const OTHER = "feedback-admin-other.myshopify.com";
const NOW = new Date("2026-03-15T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

async function customer(n: number, predictedClv: number | null, shop = SHOP) {
  const shopifyId = `gid://shopify/Customer/${n}`;
  await db.customer.create({
    data: { shop, shopifyId, firstName: "Customer", lastName: String(n), predictedClv, orderCount: 1, totalSpent: 50 },
  });
  return shopifyId;
}

let seq = 0;
async function feedback(
  data: {
    score: number;
    customer?: string | null;
    createdAt: Date;
    reasons?: string[];
    comment?: string;
    firstResponseAt?: Date;
    resolvedAt?: Date;
  },
  shop = SHOP,
) {
  seq++;
  return db.feedback.create({
    data: {
      shop,
      orderShopifyId: `gid://shopify/Order/${70_000 + seq}`,
      customerShopifyId: data.customer ?? null,
      score: data.score,
      reasons: encodeReasons(data.reasons ?? []),
      comment: data.comment ?? null,
      createdAt: data.createdAt,
      firstResponseAt: data.firstResponseAt ?? null,
      resolvedAt: data.resolvedAt ?? null,
      status: data.resolvedAt ? "resolved" : "open",
    },
  });
}

beforeEach(async () => {
  await resetDatabase();
  await db.shop.create({ data: { shop: SHOP, currencyCode: "EUR", ianaTimezone: "Europe/Zagreb" } });
  await db.shop.create({ data: { shop: OTHER, currencyCode: "USD", ianaTimezone: "UTC" } });
});

describe("Feedback overview", () => {
  it("NPS, CSAT, counts, distribution and reasons over the period", async () => {
    for (const [i, score] of [10, 9, 9, 8, 7, 6, 3, 0].entries()) {
      await feedback({
        score,
        createdAt: ago((i + 1) * DAY),
        reasons: score <= 6 ? (score === 0 ? ["delivery", "service"] : ["delivery"]) : [],
      });
    }
    await feedback({ score: 0, createdAt: ago(200 * DAY) }); // outside the 90 days
    await feedback({ score: 10, createdAt: ago(DAY) }, OTHER); // another shop

    const view = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("range=90")), "en", NOW);
    const metric = (label: string) => view.metrics.find((m) => m.label.startsWith(label))!;
    // 3 promoters, 2 passives, 3 detractors of 8: NPS (3 − 3) / 8 = 0; CSAT 5 / 8 = 62.5 %.
    expect(metric("NPS").value).toBe("0");
    expect(metric("CSAT").value).toBe("63%");
    expect(metric("Responses")).toMatchObject({ value: "8", help: "3 promoters · 2 passives · 3 detractors" });
    expect(view.distribution).toEqual([1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 1]);
    expect(view.reasons.slice(0, 2).map((r) => [r.reason, r.count, r.share])).toEqual([
      ["delivery", 3, 1],
      ["service", 1, 1 / 3],
    ]);
    expect(view.reasons[0].label).toBe("Delivery");
    // Weekly points over the 90 days, the recent weeks with values, empty weeks as gaps.
    expect(view.trend.length).toBeGreaterThanOrEqual(13);
    expect(view.trend.some((p) => p.nps === null)).toBe(true);
    expect(view.trend.filter((p) => p.nps !== null).length).toBeGreaterThanOrEqual(1);
  });

  it("negative NPS reads with its sign, and the Ukrainian page is in Ukrainian", async () => {
    for (const score of [0, 2, 9]) await feedback({ score, createdAt: ago(DAY) });
    const en = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", NOW);
    expect(en.metrics[0].value).toBe("-33");
    const uk = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "uk", NOW);
    expect(uk.metrics[2].label).toBe("Відповіді");
    expect(uk.reasons.map((r) => r.label)).toContain("Доставка");
  });

  it("the queue holds open low scores, by value at risk or by age, with the time waiting", async () => {
    const rich = await customer(1, 900);
    const modest = await customer(2, 120);
    const unscored = await customer(3, null);
    const a = await feedback({ score: 2, customer: modest, createdAt: ago(30 * HOUR), comment: "<script>x</script> late" });
    const b = await feedback({ score: 5, customer: rich, createdAt: ago(2 * HOUR) });
    const c = await feedback({ score: 0, customer: unscored, createdAt: ago(50 * HOUR) });
    const guest = await feedback({ score: 1, createdAt: ago(10 * HOUR) });
    await feedback({ score: 7, customer: rich, createdAt: ago(HOUR) }); // not low
    await feedback({ score: 3, customer: rich, createdAt: ago(5 * DAY), resolvedAt: ago(4 * DAY), firstResponseAt: ago(4 * DAY) });

    const byValue = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("sort=value")), "en", NOW);
    expect(byValue.queue.map((r) => r.id)).toEqual([b.id, a.id, c.id, guest.id]);
    expect(byValue.queue.map((r) => r.value)).toEqual(["€900.00", "€120.00", "Not scored yet", "Not scored yet"]);
    expect(byValue.queue.find((r) => r.id === guest.id)?.customer).toBe("Guest");
    expect(byValue.queue.find((r) => r.id === a.id)).toMatchObject({
      customer: "Customer 2",
      waiting: "30 hr",
      comment: "<script>x</script> late",
    });
    expect(byValue.queue.find((r) => r.id === c.id)).toMatchObject({
      waiting: "2 days",
      badge: { tone: "critical", label: "Overdue by 26 hr" },
    });
    expect(byValue.queue.find((r) => r.id === b.id)?.badge).toEqual({ tone: "attention", label: "Due in 22 hr" });

    const byAge = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("sort=age")), "en", NOW);
    expect(byAge.queue.map((r) => r.id)).toEqual([c.id, a.id, guest.id, b.id]);

    const all = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("show=all")), "en", NOW);
    expect(all.queue).toHaveLength(5);
    expect(all.queue.find((r) => r.badge.label === "Resolved")).toBeDefined();
  });

  it("pages the queue 50 at a time", async () => {
    for (let i = 0; i < 60; i++) await feedback({ score: i % 7, createdAt: ago((i + 1) * HOUR) });
    const first = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("sort=age")), "en", NOW);
    const second = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("sort=age&page=2")), "en", NOW);
    const beyond = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams("sort=age&page=99")), "en", NOW);
    expect(first.queue).toHaveLength(50);
    expect(first.queuePage).toEqual({ page: 1, pages: 2, label: "1–50 of 60" });
    expect(second.queue).toHaveLength(10);
    expect(second.queuePage.label).toBe("51–60 of 60");
    expect(new Set([...first.queue, ...second.queue].map((r) => r.id)).size).toBe(60);
    expect(beyond.queuePage.page).toBe(2);
  });

  it("time to first response against the 24 h target, and recovery after resolution", async () => {
    const back = await customer(11, 100);
    const gone = await customer(12, 100);
    await feedback({
      score: 2,
      customer: back,
      createdAt: ago(10 * DAY),
      firstResponseAt: ago(10 * DAY - 3 * HOUR),
      resolvedAt: ago(9 * DAY),
    });
    await feedback({ score: 4, customer: gone, createdAt: ago(8 * DAY), firstResponseAt: ago(6 * DAY), resolvedAt: ago(6 * DAY) });
    await feedback({ score: 1, createdAt: ago(3 * DAY) }); // unanswered for 3 days: overdue
    await feedback({ score: 9, createdAt: ago(DAY) }); // promoters need no answer
    const order = (customerId: string, at: Date, extra: object = {}) =>
      db.order.create({
        data: {
          shop: SHOP,
          shopifyId: `gid://shopify/Order/${at.getTime()}`,
          customerShopifyId: customerId,
          processedAt: at,
          totalPrice: 40,
          netTotal: 40,
          currencyCode: "EUR",
          ...extra,
        },
      });
    await order(back, ago(2 * DAY)); // after resolution: recovered
    await order(gone, ago(20 * DAY)); // before it
    await order(gone, ago(DAY), { test: true }); // test orders don't count

    const view = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", NOW);
    const first = view.metrics.find((m) => m.label === "First response within 24 hr")!;
    expect(first.value).toBe("50%");
    expect(first.help).toBe("1 of 2 answered in time · median 25 hr · 1 overdue");
    const recovery = view.metrics.find((m) => m.label === "Recovery")!;
    expect(recovery).toMatchObject({ value: "50%", help: "1 of 2 resolved customers ordered again" });
  });

  it("did it work: resolved unhappy customers' return within 90 days against those nobody answered", async () => {
    let n = 500;
    let orderSeq = 0;
    const returnedAfter = async (who: string, answeredAt: Date, days: number, extra: object = {}) =>
      db.order.create({
        data: {
          shop: SHOP,
          shopifyId: `gid://shopify/Order/${900_000 + ++orderSeq}`,
          customerShopifyId: who,
          processedAt: new Date(answeredAt.getTime() + days * DAY),
          totalPrice: 30,
          netTotal: 30,
          currencyCode: "EUR",
          ...extra,
        },
      });
    // 30 resolved, 21 came back; 30 never answered, 6 came back; all answered 100–200 days ago.
    for (let i = 0; i < 60; i++) {
      const who = await customer(n++, 100);
      const answeredAt = ago((100 + i) * DAY);
      const resolved = i < 30;
      await feedback({
        score: 3,
        customer: who,
        createdAt: answeredAt,
        ...(resolved ? { firstResponseAt: answeredAt, resolvedAt: answeredAt } : {}),
      });
      if (resolved ? i < 21 : i < 36) await returnedAfter(who, answeredAt, 30);
      // Not a return: a test order, a cancelled one, and one after the 90 days.
      if (i === 25) await returnedAfter(who, answeredAt, 10, { test: true });
      if (i === 26) await returnedAfter(who, answeredAt, 10, { cancelledAt: answeredAt });
      if (i === 27) await returnedAfter(who, answeredAt, 91);
    }
    // Not counted: a window still open, an answered-but-unresolved item, a promoter, a guest.
    await feedback({ score: 2, customer: await customer(n++, 50), createdAt: ago(20 * DAY) });
    await feedback({ score: 2, customer: await customer(n++, 50), createdAt: ago(150 * DAY), firstResponseAt: ago(149 * DAY) });
    await feedback({ score: 9, customer: await customer(n++, 50), createdAt: ago(150 * DAY) });
    await feedback({ score: 1, createdAt: ago(150 * DAY) });

    const view = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", NOW);
    expect(view.followUpEffect).toMatchObject({
      state: "works",
      stateLabel: "Helps",
      resolved: expect.stringMatching(/^21 of 30 ordered again within 90 days \(70%; 95% interval 5\d% to 8\d%\)$/),
      unanswered: expect.stringMatching(/^6 of 30 ordered again within 90 days \(20%; 95% interval/),
      pending: "1 more are still inside their 90 days and are not counted yet.",
    });
    expect(view.followUpEffect.difference).toMatch(/^Difference: \+50 points \(95% interval \+2\d\.?\d? to \+6\d\.?\d?\)$/);

    const uk = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "uk", NOW);
    expect(uk.followUpEffect.stateLabel).toBe("Допомагає");
  });

  it("did it work: too early with few customers", async () => {
    const who = await customer(800, 10);
    await feedback({ score: 3, customer: who, createdAt: ago(120 * DAY), firstResponseAt: ago(119 * DAY), resolvedAt: ago(119 * DAY) });
    const view = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "hr", NOW);
    expect(view.followUpEffect).toMatchObject({ state: "tooEarly", stateLabel: "Prerano je za ocjenu", difference: null });
  });

  it("uses the shop's own threshold and target when Settings hold them", async () => {
    expect(readShopSettings(JSON.stringify({ feedback: { lowScoreThreshold: 4, firstResponseTargetHours: 8 } })).feedback).toEqual({
      lowScoreThreshold: 4,
      firstResponseTargetMs: 8 * HOUR,
      askAfterDays: 7,
    });
    expect(readShopSettings("not json").feedback).toEqual({ lowScoreThreshold: 6, firstResponseTargetMs: 24 * HOUR, askAfterDays: 7 });
    expect(readShopSettings(JSON.stringify({ feedback: { lowScoreThreshold: 10, firstResponseTargetHours: -1 } })).feedback).toEqual({
      lowScoreThreshold: 6,
      firstResponseTargetMs: 24 * HOUR,
      askAfterDays: 7,
    });

    await db.shop.update({
      where: { shop: SHOP },
      data: { settings: JSON.stringify({ feedback: { lowScoreThreshold: 4, firstResponseTargetHours: 8 } }) },
    });
    await feedback({ score: 5, createdAt: ago(HOUR) });
    const low = await feedback({ score: 4, createdAt: ago(10 * HOUR) });
    const view = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", NOW);
    expect(view.queue.map((r) => r.id)).toEqual([low.id]);
    expect(view.queue[0].badge.label).toBe("Overdue by 2 hr");
    expect(view.target).toBe("8 hr");
  });

  it("an empty shop says so instead of showing zeros", async () => {
    const view = await feedbackOverview(SHOP, parseOverviewParams(new URLSearchParams()), "en", NOW);
    expect(view.empty).toBe(true);
    expect(view.metrics.map((m) => m.value)).toEqual(["—", "—", "0", "—", "—"]);
  });
});

describe("Feedback item: note, resolve, reopen", () => {
  function itemAction(shop = SHOP) {
    const issueCompensation = vi.fn(async () => ({ issuedDiscountId: "never" }));
    const action = createFeedbackItemAction({
      authenticate: async () => ({ session: { shop } }),
      issueCompensation,
      now: () => clock,
    }) as unknown as RouteHandler;
    const post = (id: string, fields: Record<string, string>) =>
      call(
        (args) => action({ ...args, params: { id } }),
        new Request(`https://kinship.test/app/feedback/${id}`, { method: "POST", body: new URLSearchParams(fields) }),
      );
    return { post, issueCompensation };
  }
  let clock = NOW;

  it("the first note is the first response; later notes and the resolution don't move it", async () => {
    const who = await customer(21, 50);
    const item = await feedback({ score: 3, customer: who, createdAt: ago(5 * HOUR) });
    const { post } = itemAction();
    clock = NOW;
    expect((await post(item.id, { intent: "note", note: "Called, no answer." })).status).toBe(200);
    clock = new Date(NOW.getTime() + 2 * HOUR);
    await post(item.id, { intent: "note", note: "Called again, sorted." });
    clock = new Date(NOW.getTime() + 3 * HOUR);
    await post(item.id, { intent: "resolve" });
    clock = new Date(NOW.getTime() + 4 * HOUR);
    await post(item.id, { intent: "resolve" });
    const row = await db.feedback.findUniqueOrThrow({ where: { id: item.id } });
    expect(row).toMatchObject({
      note: "Called again, sorted.",
      status: "resolved",
      firstResponseAt: NOW,
      resolvedAt: new Date(NOW.getTime() + 3 * HOUR),
    });

    const view = await feedbackItemView(SHOP, item.id, "en", new Date(NOW.getTime() + 5 * HOUR));
    expect(view?.status.badge).toEqual({ tone: "success", label: "Answered in time" });
    expect(view?.status.recovery).toBe("No order since resolution yet");

    await post(item.id, { intent: "reopen" });
    expect(await db.feedback.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "open",
      resolvedAt: null,
      firstResponseAt: NOW,
    });
  });

  it("resolving without any note still counts as the first response", async () => {
    const item = await feedback({ score: 3, createdAt: ago(30 * HOUR) });
    clock = NOW;
    await itemAction().post(item.id, { intent: "resolve" });
    expect(await db.feedback.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ firstResponseAt: NOW, resolvedAt: NOW });
  });

  it("refuses a note over the limit, a guest compensation and an unknown rule, changing nothing", async () => {
    const guestItem = await feedback({ score: 1, createdAt: ago(HOUR) });
    const { post, issueCompensation } = itemAction();
    const long = await post(guestItem.id, { intent: "note", note: "x".repeat(MAX_NOTE_LENGTH + 1) });
    expect(long.status).toBe(400);
    expect((long.body as { errors: { note: string } }).errors.note).toBe(`Keep the note under ${MAX_NOTE_LENGTH} characters.`);
    expect((await post(guestItem.id, { intent: "compensate", ruleId: "r1" })).body).toMatchObject({
      ok: false,
      errors: { form: "Guests can't receive a personal code." },
    });

    const who = await customer(22, 10);
    const item = await feedback({ score: 1, customer: who, createdAt: ago(HOUR) });
    expect((await post(item.id, { intent: "compensate", ruleId: "" })).body).toMatchObject({ errors: { ruleId: "Choose a discount." } });
    expect((await post(item.id, { intent: "compensate", ruleId: "no-such-rule" })).body).toMatchObject({
      errors: { ruleId: "That discount rule no longer exists." },
    });
    expect(issueCompensation).not.toHaveBeenCalled();
    const rows = await db.feedback.findMany({ where: { id: { in: [guestItem.id, item.id] } } });
    expect(rows.every((r) => r.note === null && r.firstResponseAt === null && r.compensationId === null)).toBe(true);
  });

  it("another shop's item is not found", async () => {
    const theirs = await feedback({ score: 1, createdAt: ago(HOUR) }, OTHER);
    const res = await itemAction(SHOP).post(theirs.id, { intent: "resolve" });
    expect(res.status).toBe(404);
    expect((await db.feedback.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("open");
    expect(await feedbackItemView(SHOP, theirs.id, "en", NOW)).toBeNull();
  });

  it("the detail shows the customer's orders and value, and the comment unchanged", async () => {
    const who = await customer(23, 640);
    for (const [i, days] of [40, 10].entries()) {
      await db.order.create({
        data: {
          shop: SHOP,
          shopifyId: `gid://shopify/Order/${9100 + i}`,
          name: `#${9100 + i}`,
          customerShopifyId: who,
          processedAt: ago(days * DAY),
          totalPrice: 60,
          netTotal: 55.5,
          currencyCode: "EUR",
        },
      });
    }
    const item = await db.feedback.create({
      data: {
        shop: SHOP,
        orderShopifyId: "gid://shopify/Order/9101",
        customerShopifyId: who,
        score: 2,
        reasons: "price,other",
        comment: "<b>too</b> expensive\nreally",
      },
    });
    const view = (await feedbackItemView(SHOP, item.id, "en", NOW))!;
    expect(view.title).toBe("Feedback on order #9101");
    expect(view.answer).toMatchObject({ score: 2, reasons: ["Price", "Other"], comment: "<b>too</b> expensive\nreally" });
    expect(view.customer).toMatchObject({ name: "Customer 23", predictedClv: "€640.00", orderCount: "2 orders" });
    expect(view.customer?.orders.map((o) => [o.label, o.total, o.thisOrder])).toEqual([
      ["#9101", "€55.50", true],
      ["#9100", "€55.50", false],
    ]);
    expect(view.compensation).toMatchObject({ issued: null, options: [], canIssue: true });
  });
});

describe("reason codes in the database", () => {
  it("round-trip in the survey's order and drop unknown codes", () => {
    expect(encodeReasons(["service", "delivery", "bogus"])).toBe("delivery,service");
    expect(decodeReasons("service,nonsense,delivery")).toEqual(["delivery", "service"]);
    expect(decodeReasons("")).toEqual([]);
  });
});
