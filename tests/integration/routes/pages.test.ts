import { beforeEach, describe, expect, it } from "vitest";
import type { SerializeFrom } from "@remix-run/node";
import db from "../../../app/db.server";
import { loader as dashboardLoader, action as dashboardAction } from "../../../app/routes/app._index";
import { loader as customersLoader } from "../../../app/routes/app.customers._index";
import { loader as customerLoader } from "../../../app/routes/app.customers.$id";
import { loader as segmentsLoader, action as segmentsAction } from "../../../app/routes/app.segments";
import { loader as settingsLoader, action as settingsAction } from "../../../app/routes/app.settings";
import { loader as exportLoader } from "../../../app/routes/app.settings.export";
import { loader as loginLoader, action as loginAction } from "../../../app/routes/auth.login/route";
import { TEST_APP_URL } from "../../support/test-env";
import { resetDatabase } from "../../support/fixtures";
import { monthlyTrend } from "../../../app/models/views/dashboard-views.server";
import { appRequest, call, installShop } from "../../support/admin-routes";
import { getShopSettings } from "../../../app/models/shop-settings.server";

/** What the actions answer (each action returns a subset). */
interface ActionBody {
  intent: string;
  ok: boolean;
  message?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  summary?: string;
  rowErrors?: { line: number; value: string; message: string }[];
}

interface ExportBody {
  format: string;
  shop: { name: string; modelState: { asOf: string } };
  customers: unknown[];
  orders: unknown[];
  feedback: unknown[];
  issuedDiscounts: unknown[];
}

const SHOP = "pages-shop.myshopify.com";
const OTHER = "pages-other.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

const MODEL_STATE = {
  asOf: "2026-03-01",
  model: {
    status: "fitted",
    bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4, converged: true },
    gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
    spendModelNote: null,
    frequencySpendCorrelation: 0.11,
  },
  historic: {
    clv: 120,
    averageOrderValue: 40,
    purchaseFrequencyPerYear: 1.5,
    lifespanYears: 2,
    lifespan: { years: 2, source: "shop-data", observedYears: 2.2 },
  },
  cadence: { typicalIntervalDays: 45, repeatBuyers: 3 },
  insights: {
    customers: 5,
    returningCustomers: 3,
    repeatPurchaseRate: 0.6,
    top20RevenueShare: 0.5,
    averageOrdersOfReturning: 3,
    averageOrderValue: 40,
    predictedRevenue12Months: { value: 1234.5, method: "model" },
    retentionRoi: {
      liftPoints: 10,
      firstTimeBuyersPerMonth: 2.5,
      extraOrdersPerReturningCustomer: 2,
      averageOrderValue: 40,
      extraOrdersPerMonth: 0.5,
      extraRevenuePerMonth: 20,
    },
  },
  backtest: {
    status: "fitted",
    calibrationEnd: "2025-12-01",
    holdoutEnd: "2026-03-01",
    holdoutActual: 10,
    holdoutPredicted: 11,
    aggregateRelativeError: 0.1,
    mae: 0.4,
    naiveMae: 0.8,
  },
  customersScored: 5,
  modelChoice: {
    chosen: "bgnbd",
    reason: "bgnbd-best",
    margin: 0.05,
    window: { fitEnd: "2025-11-01", calibrationEnd: "2026-03-01", lengthUnits: 120, unit: "days" },
    customers: 5,
    actual: 4,
    naive: { mae: 0.8, aggregateBias: 0.5, criterion: 1.5, predicted: 6 },
    candidates: [
      { model: "bgnbd", status: "scored", mae: 0.4, relativeMae: 0.5, aggregateBias: 0.1, criterion: 0.6, predicted: 4.4 },
      { model: "pareto-nbd", status: "refused", problem: "at-bounds" },
      { model: "mbg-nbd", status: "scored", mae: 0.42, relativeMae: 0.525, aggregateBias: 0.05, criterion: 0.575, predicted: 4.2 },
    ],
  },
};

const REASON = JSON.stringify({
  text: "3 orders, last 212 days ago, usually buys every 40 days; only a 12% chance they still buy here (below 30%).",
  reason: {
    rule: "p-alive-low",
    orders: 3,
    daysSinceLastOrder: 212,
    usualIntervalDays: 40,
    intervalSource: "customer",
    shopTypicalIntervalDays: 45,
    pAlive: 0.12,
    pAliveThreshold: 0.3,
    intervalMultiple: 3,
  },
});

async function seed() {
  await installShop(SHOP, {
    name: "Pages Shop",
    currencyCode: "EUR",
    ianaTimezone: "Europe/Zagreb",
    settings: JSON.stringify({ rewards: { averageShippingCost: 4 } }),
    modelState: JSON.stringify(MODEL_STATE),
  });
  await installShop(OTHER, { name: "Other" });
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  await db.customer.createMany({
    data: [
      {
        shop: SHOP,
        shopifyId: gid(1),
        email: "olena@example.com",
        firstName: "Olena",
        lastName: "Kovalenko",
        orderCount: 3,
        totalSpent: 300,
        lastOrderAt: day("2025-08-01"),
        firstOrderAt: day("2025-01-01"),
        lifecycle: "lapsed",
        lifecycleReason: REASON,
        lapsedSince: day("2025-11-15"),
        rfmRecency: 1,
        rfmFrequency: 4,
        rfmMonetary: 5,
        rfmSegment: "at_risk",
        pAlive: 0.12,
        predictedClv: 20,
        historicClv: 400,
        tier: "Gold",
        tags: "vip, kinship:lapsed",
        marketingState: "SUBSCRIBED",
      },
      {
        shop: SHOP,
        shopifyId: gid(2),
        email: "ivan@example.com",
        firstName: "Ivan",
        lastName: "Horvat",
        orderCount: 1,
        totalSpent: 50,
        lastOrderAt: day("2026-02-20"),
        firstOrderAt: day("2026-02-20"),
        lifecycle: "new",
        rfmRecency: 5,
        rfmFrequency: 1,
        rfmMonetary: 1,
        rfmSegment: "new",
        pAlive: 1,
        predictedClv: 60,
        historicClv: 50,
        tags: "kinship:new",
      },
      {
        shop: SHOP,
        shopifyId: gid(3),
        email: "ana@example.com",
        firstName: "Ana",
        orderCount: 5,
        totalSpent: 600,
        lastOrderAt: day("2026-02-25"),
        firstOrderAt: day("2024-05-01"),
        lifecycle: "regular",
        rfmRecency: 5,
        rfmFrequency: 5,
        rfmMonetary: 5,
        rfmSegment: "champions",
        pAlive: 0.95,
        predictedClv: 500,
        historicClv: 900,
        tier: "Gold",
        tags: "kinship:loyal",
        birthday: "1990-03-08",
      },
      {
        shop: SHOP,
        shopifyId: gid(4),
        email: "petar@example.com",
        firstName: "Petar",
        orderCount: 2,
        totalSpent: 100,
        lastOrderAt: day("2025-12-01"),
        firstOrderAt: day("2025-06-01"),
        lifecycle: "loyal",
        rfmRecency: 3,
        rfmFrequency: 3,
        rfmMonetary: 2,
        rfmSegment: "need_attention",
        pAlive: 0.6,
        predictedClv: 90,
        historicClv: 150,
        tier: "Silver",
      },
      { shop: SHOP, shopifyId: gid(5), email: "nobody@example.com", orderCount: 0, totalSpent: 0 },
      { shop: OTHER, shopifyId: gid(9), email: "other@example.com", orderCount: 9, totalSpent: 9999, lifecycle: "lapsed" },
    ],
  });
  await db.order.createMany({
    data: [
      {
        shop: SHOP,
        shopifyId: "gid://shopify/Order/11",
        customerShopifyId: gid(1),
        name: "#1001",
        processedAt: day("2025-01-01"),
        totalPrice: 100,
        netTotal: 100,
        currencyCode: "EUR",
      },
      {
        shop: SHOP,
        shopifyId: "gid://shopify/Order/12",
        customerShopifyId: gid(1),
        name: "#1002",
        processedAt: day("2025-04-01"),
        totalPrice: 120,
        totalRefunded: 20,
        netTotal: 100,
        currencyCode: "EUR",
        discountCodes: "WELCOME10",
      },
      {
        shop: SHOP,
        shopifyId: "gid://shopify/Order/13",
        customerShopifyId: gid(1),
        name: "#1003",
        processedAt: day("2025-08-01"),
        totalPrice: 100,
        netTotal: 100,
        currencyCode: "EUR",
      },
    ],
  });
  await db.feedback.createMany({
    data: [
      {
        shop: SHOP,
        orderShopifyId: "gid://shopify/Order/13",
        customerShopifyId: gid(1),
        score: 3,
        comment: "<script>alert(1)</script> late",
        status: "open",
      },
      { shop: SHOP, orderShopifyId: "gid://shopify/Order/20", customerShopifyId: gid(3), score: 10, status: "resolved" },
      { shop: SHOP, orderShopifyId: "gid://shopify/Order/21", customerShopifyId: gid(2), score: 8 },
      { shop: OTHER, orderShopifyId: "gid://shopify/Order/99", score: 0 },
    ],
  });
  const rule = await db.discountRule.create({ data: { shop: SHOP, kind: "winback", name: "Win-back 15%", config: "{}" } });
  await db.issuedDiscount.createMany({
    data: [
      {
        shop: SHOP,
        ruleId: rule.id,
        customerShopifyId: gid(1),
        idempotencyKey: "a",
        code: "KIN-AAAA-BBBB",
        shopifyDiscountId: "gid://shopify/DiscountCodeNode/1",
        status: "delivered",
        redeemedAt: day("2025-09-01"),
        redeemedRevenue: 80,
        endsAt: day("2025-09-30"),
      },
      {
        shop: SHOP,
        ruleId: rule.id,
        customerShopifyId: gid(4),
        idempotencyKey: "b",
        code: "KIN-CCCC-DDDD",
        shopifyDiscountId: "gid://shopify/DiscountCodeNode/2",
        status: "created",
      },
      { shop: SHOP, ruleId: rule.id, customerShopifyId: gid(2), idempotencyKey: "c", kind: "holdout", status: "withheld" },
    ],
  });
  await db.syncRun.create({
    data: {
      shop: SHOP,
      kind: "backfill",
      status: "completed",
      processedCount: 8,
      customersCount: 5,
      ordersCount: 3,
      finishedAt: new Date(),
    },
  });
}

beforeEach(async () => {
  await resetDatabase();
  await seed();
});

describe("authentication", () => {
  it("answers nothing to a request without a valid session token", async () => {
    for (const token of [null, "not-a-jwt"]) {
      const { status } = await call(customersLoader, await appRequest(SHOP, "/app/customers", { token }));
      expect(status).not.toBe(200);
    }
  });
});

describe("login page", () => {
  it("speaks the browser's language and names the problem with a typed shop domain by key", async () => {
    const page = await call<SerializeFrom<typeof loginLoader>>(
      loginLoader,
      new Request(`${TEST_APP_URL}/auth/login`, { headers: { "Accept-Language": "uk-UA,uk;q=0.9" } }),
    );
    expect(page.status).toBe(200);
    expect(page.body.locale).toBe("uk");
    expect(page.body.messages["login.title"]).toBe("Увійти в Kinship");
    const form = new URLSearchParams({ shop: "not a shop" });
    const post = await call<SerializeFrom<typeof loginAction>>(
      loginAction,
      new Request(`${TEST_APP_URL}/auth/login`, {
        method: "POST",
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(post.body.error).toBe("login.invalidShop");
  });
});

describe("dashboard", () => {
  it("shows the shop's numbers from aggregate queries", async () => {
    const { status, body } = await call<SerializeFrom<typeof dashboardLoader>>(dashboardLoader, await appRequest(SHOP, "/app?locale=en"));
    expect(status).toBe(200);
    expect(body.shopName).toBe("Pages Shop");
    // 4 buyers, 3 of them returning; the top 20% (1 customer) spent 600 of 1,050.
    expect(body.live).toMatchObject({ buyers: "4", returning: "3", repeatRate: "75.0%", top20: "57.1%" });
    expect(body.model).toMatchObject({ scored: true, predicted: { value: "€1,234.50", method: "model" } });
    expect(body.model.accuracy).toMatchObject({ mae: "0.4", naiveMae: "0.8", improvement: "50%", better: true });
    // Issue 19 "model choice": the model kept, why, and every candidate's validation errors (or why it was refused).
    expect(body.model.modelChoice).toEqual({
      title: "Purchase model: BG/NBD",
      why: expect.stringContaining("No other model beat it by at least 0.05 on Nov 2, 2025 – Mar 1, 2026"),
      candidates: [
        "BG/NBD: error per customer 50% of “same rate as before”, total off by 10.0%",
        "Pareto/NBD: not used (its fit ended at the limits of its search)",
        "MBG/NBD: error per customer 53% of “same rate as before”, total off by 5.0%",
      ],
    });
    const counts = Object.fromEntries(body.lifecycle.groups.map((g: { key: string | null; count: number }) => [g.key ?? "none", g.count]));
    expect(counts).toEqual({ new: 1, loyal: 1, regular: 1, lapsed: 1, none: 1 });
    expect(body.tiers).toEqual([
      { label: "Gold", count: 2 },
      { label: "Silver", count: 1 },
      { label: "No tier", count: 2 },
    ]);
    expect(body.rewards).toMatchObject({ issued: "2", redeemed: "1", rate: "50.0%", revenue: "€80.00", heldOut: "1" });
    // 1 promoter, 1 passive, 1 detractor: NPS 0; the other shop's 0-score answer does not count.
    expect(body.nps).toMatchObject({ responses: 3, value: "0", openFollowUps: 1 });
    expect(body.sync).toMatchObject({ status: "completed", active: false, customers: "5", orders: "3" });
    // The ROI what-if's inputs as the recompute measured them; the lift is the merchant's to edit.
    expect(body.roi).toEqual({
      inputs: { firstTimeBuyersPerMonth: 2.5, extraOrdersPerReturningCustomer: 2, averageOrderValue: 40 },
      extraOrdersMeasured: true,
      liftPoints: 10,
      currency: "EUR",
    });
  });

  it("counts first orders and new lapses per month over the last 12 months", async () => {
    const trend = await monthlyTrend(SHOP, new Date("2026-03-15T00:00:00Z"));
    expect(trend.months[0]).toBe("2025-04");
    expect(trend.months[11]).toBe("2026-03");
    const at = (series: number[], month: string) => series[trend.months.indexOf(month)];
    // Ivan (2026-02) and Petar (2025-06) started inside the window; Olena (2025-01) and Ana (2024) before it.
    expect(trend.firstOrders.reduce((a, b) => a + b, 0)).toBe(2);
    expect(at(trend.firstOrders, "2026-02")).toBe(1);
    expect(at(trend.firstOrders, "2025-06")).toBe(1);
    expect(trend.lapsed.reduce((a, b) => a + b, 0)).toBe(1);
    expect(at(trend.lapsed, "2025-11")).toBe(1);
  });

  it("says how many repeat buyers the model needs without subtracting twice, and lists the data rules that fired", async () => {
    const rules = {
      nonPositiveLines: 3,
      nonPurchaseDays: 2,
      customersWithoutPurchase: 1,
      duplicateLines: 0,
      identicalDateOnlyLines: 0,
      futureDatedLines: 1,
      latestFutureDate: "2031-03-01",
      isolatedLateLines: 0,
      linesAfterEnd: 1,
      spendCap: 1500,
      cappedDays: 1,
      cappedCustomers: [gid(1)],
    };
    const small = (repeatBuyers: number) => ({
      ...MODEL_STATE,
      dataRules: rules,
      model: {
        status: "insufficient",
        reason: "few",
        repeatBuyers,
        repeatBuyersNeeded: 50 - repeatBuyers,
        cause: "few-repeat-buyers",
        fallback: "historic",
      },
    });
    const load = async (state: unknown, locale: string) => {
      await db.shop.update({ where: { shop: SHOP }, data: { modelState: JSON.stringify(state) } });
      return (await call<SerializeFrom<typeof dashboardLoader>>(dashboardLoader, await appRequest(SHOP, `/app?locale=${locale}`))).body;
    };
    try {
      expect((await load(small(20), "en")).model.insufficient).toEqual({ have: 20, needed: 50, more: 30 });
      expect((await load(small(25), "en")).model.insufficient).toEqual({ have: 25, needed: 50, more: 25 });
      const en = (await load(small(20), "en")).model.dataRules;
      expect(en.map((r: { rule: string }) => r.rule)).toEqual([
        "nonPurchaseDays",
        "customersWithoutPurchase",
        "futureDatedLines",
        "cappedDays",
      ]);
      expect(en[0].text).toBe("2 order days were refunded in full and are not counted as purchases.");
      expect(en[2].text).toMatch(/^1 order dated after today \(latest .*2031.*\) is not counted yet\.$/);
      expect(en[3].text).toMatch(/above €1,500\.00\) counts as €1,500\.00 in the spend forecast/);
      const uk = (await load(small(20), "uk-UA")).model.dataRules;
      expect(uk[0].text).toMatch(/^2 дні замовлень повністю повернено/);
      // A state stored before the rules were recorded shows none.
      expect((await load(MODEL_STATE, "en")).model.dataRules).toEqual([]);
    } finally {
      await db.shop.update({ where: { shop: SHOP }, data: { modelState: JSON.stringify(MODEL_STATE) } });
    }
  });

  it("speaks the admin's language and explains what is missing before the first scoring", async () => {
    await db.shop.update({ where: { shop: SHOP }, data: { modelState: null } });
    const { body } = await call<SerializeFrom<typeof dashboardLoader>>(dashboardLoader, await appRequest(SHOP, "/app?locale=uk-UA"));
    expect(body.locale).toBe("uk");
    expect(body.title).toBe("Огляд");
    expect(body.model).toMatchObject({ scored: false, predicted: null, accuracy: null });
    expect(body.messages["insights.whenScored"]).toMatch(/Kinship оцінить/);
    // Money in the shop's currency, written the Ukrainian way.
    expect(body.live.revenue).toMatch(/^1\s050,00\s(€|EUR)$/);
  });

  it("reports a backfill that cannot start as a message, not an error page", async () => {
    const { status, body } = await call<ActionBody>(
      dashboardAction,
      await appRequest(SHOP, "/app?locale=en", { form: { intent: "backfill" } }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ intent: "backfill", ok: false });
    expect(typeof body.message).toBe("string");
  });

  it("refuses unknown actions with 400", async () => {
    const { status } = await call(dashboardAction, await appRequest(SHOP, "/app", { form: { intent: "drop-tables" } }));
    expect(status).toBe(400);
  });
});

describe("customers index", () => {
  it("filters, sorts and formats one page", async () => {
    const { status, body } = await call<SerializeFrom<typeof customersLoader>>(
      customersLoader,
      await appRequest(SHOP, "/app/customers?locale=en&tier=Gold&sort=totalSpent&direction=desc"),
    );
    expect(status).toBe(200);
    expect(body.total).toBe(2);
    expect(body.totalText).toBe("2 customers");
    expect(body.rows.map((r: { name: string }) => r.name)).toEqual(["Ana", "Olena Kovalenko"]);
    expect(body.rows[1]).toMatchObject({
      numericId: "1",
      lifecycle: "lapsed",
      lifecycleLabel: "Lapsed",
      segment: "At risk",
      totalSpent: "€300.00",
      pAlive: "12%",
    });
    expect(body.tiers).toEqual(["Gold", "Silver"]);
    // Every group's meaning, for the badges' hover and the legend under the list.
    expect(Object.keys(body.definitions).sort()).toEqual(["lapsed", "loyal", "new", "regular"]);
    expect(body.definitions.loyal.meaning).toBe("Returning customers, not yet frequent: the ones content and offers can move.");
  });

  it("survives anything typed into the address and says which filters it ignored", async () => {
    const url = "/app/customers?locale=ru&sort=%27%3BDROP&pAliveMin=abc&clvMax=-1&lifecycle=vip&after=%%%&query=" + "x".repeat(500);
    const { status, body } = await call<SerializeFrom<typeof customersLoader>>(customersLoader, await appRequest(SHOP, url));
    expect(status).toBe(200);
    expect(body.invalid).toEqual(
      expect.arrayContaining(["Порядок сортировки", "Вероятность активности (от)", "Прогнозная ценность (до)", "Группа", "Поиск"]),
    );
    expect(body.total).toBe(5);
  });

  it("searches by name within the shop only", async () => {
    const { body } = await call<SerializeFrom<typeof customersLoader>>(
      customersLoader,
      await appRequest(SHOP, "/app/customers?query=example.com&lifecycle=lapsed"),
    );
    expect(body.rows.map((r: { email: string | null; name: string }) => r.name)).toEqual(["Olena Kovalenko"]);
  });
});

describe("customer page", () => {
  it("shows value with the model's inputs, the group's reason in the admin's language, orders, codes and feedback", async () => {
    const { status, body } = await call<SerializeFrom<typeof customerLoader>>(
      customerLoader,
      await appRequest(SHOP, "/app/customers/1?locale=hr"),
      { id: "1" },
    );
    expect(status).toBe(200);
    expect(body.title).toBe("Olena Kovalenko");
    expect(body.lifecycleLabel).toBe("Izgubljeni");
    // The group says what it means where the merchant meets it, with the shop's own thresholds.
    expect(body.definition).toMatchObject({ label: "Izgubljeni", meaning: expect.stringContaining("Prestali kupovati") });
    expect(body.definition?.criteria).toContain("30\u00a0%");
    // Value per year from past orders, next to what was spent so far (was "Historic value" × lifespan).
    expect(body.value.valuePerYearFormula).toMatch(/^Iz prošlih narudžbi: prosječna narudžba .* × .* narudžbi godišnje$/);
    expect(body.reason).toBe(
      "3 narudžbe, zadnja prije 212 dana, obično kupuje svakih 40 dana; vjerojatnost da još kupuje ovdje samo je 12\u00a0% (manje od 30\u00a0%).",
    );
    expect(body.rfm).toMatchObject({ r: 1, f: 4, m: 5, segment: "U riziku" });
    // Three purchase days, 212 days apart in total: x = 2 repeat days, t_x = 212 days.
    expect(body.value.inputs).toMatchObject({ x: "2 dana s ponovljenom kupnjom", recency: "212 dana" });
    expect(body.value.model?.bgnbd.map((p) => p.name)).toEqual(["r", "α", "a", "b"]);
    expect(body.orders.map((o: { name: string }) => o.name)).toEqual(["#1003", "#1002", "#1001"]);
    expect(body.orders[1]).toMatchObject({ refunded: expect.stringContaining("20,00"), codes: "WELCOME10" });
    expect(body.discounts).toHaveLength(1);
    expect(body.discounts[0]).toMatchObject({ code: "KIN-AAAA-BBBB", rule: "Win-back 15%", status: "redeemed" });
    // Comments travel as plain text; React escapes them when rendering.
    expect(body.feedback[0]).toMatchObject({ score: 3, comment: "<script>alert(1)</script> late" });
    expect(body.tags).toEqual(["vip", "kinship:lapsed"]);
  });

  it("answers 404 for another shop's customer, an unknown id and a malformed id", async () => {
    for (const id of ["9", "12345", "abc", "1 OR 1=1", "9".repeat(40)]) {
      const { status, body } = await call(customerLoader, await appRequest(SHOP, `/app/customers/${encodeURIComponent(id)}`), { id });
      expect(status, id).toBe(404);
      // The route's boundary turns this into the translated "Customer not found" page with a way back.
      expect(body).toEqual({ notFound: "customer" });
    }
  });
});

describe("segments", () => {
  it("counts customers and revenue in the RFM grid and reports write-back", async () => {
    const { body } = await call<SerializeFrom<typeof segmentsLoader>>(segmentsLoader, await appRequest(SHOP, "/app/segments?locale=en"));
    expect(body.scored).toBe(4);
    const cell = (r: number, f: number) => body.cells[r - 1][f - 1];
    expect(cell(5, 5)).toMatchObject({ customers: "1", segment: "champions", segmentLabel: "Champions", intensity: 1 });
    expect(cell(1, 4)).toMatchObject({ customers: "1", segment: "at_risk" });
    expect(cell(2, 2)).toMatchObject({ customers: "0", intensity: 0 });
    expect(body.segments.map((s: { key: string }) => s.key)).toEqual(["champions", "at_risk", "need_attention", "new"]);
    // Olena (lapsed) and Ivan (new) carry their own group's tag; Ana's tag is stale; Petar has none.
    expect(body.writeBack).toMatchObject({ scored: 4, upToDate: 2, upToDatePercent: 50 });
    expect(body.groups.find((g) => g.key === "lapsed")?.definition.criteria).toContain("30%");
    expect(body.groups.find((g) => g.key === "regular")?.definition.meaning).toBe("Steady, frequent buyers.");
  });

  it("rejects bad thresholds field by field and saves nothing", async () => {
    const form = {
      intent: "lifecycle",
      pAliveThreshold: "150",
      intervalMultiple: "abc",
      defaultIntervalDays: "30.5",
      regularMinOrders: "",
      regularMinFrequencyScore: "3",
    };
    const { status, body } = await call<ActionBody>(segmentsAction, await appRequest(SHOP, "/app/segments?locale=en", { form }));
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.errors).toEqual({
      pAliveThreshold: "Enter 95 or less.",
      intervalMultiple: "Enter a number.",
      defaultIntervalDays: "Enter a whole number.",
      regularMinOrders: "Enter a value.",
    });
    expect(body.values?.intervalMultiple).toBe("abc");
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(JSON.parse(shop.settings)).toEqual({ rewards: { averageShippingCost: 4 } });
  });

  it("saves valid thresholds where the scoring job reads them, keeping other settings", async () => {
    const form = {
      intent: "lifecycle",
      pAliveThreshold: "25",
      intervalMultiple: "2,5",
      defaultIntervalDays: "60",
      regularMinOrders: "4",
      regularMinFrequencyScore: "5",
    };
    const { body } = await call<ActionBody>(segmentsAction, await appRequest(SHOP, "/app/segments?locale=uk", { form }));
    expect(body.ok).toBe(true);
    expect(body.message).toMatch(/Збережено/);
    const settings = JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).settings);
    expect(settings).toEqual({
      rewards: { averageShippingCost: 4 },
      scoring: {
        lifecycle: {
          pAliveThreshold: 0.25,
          intervalMultiple: 2.5,
          defaultIntervalDays: 60,
          regularMinOrders: 4,
          regularMinFrequencyScore: 5,
        },
      },
    });
  });
});

describe("settings", () => {
  it("shows the time zone, consent policy and recent imports", async () => {
    const { body } = await call<SerializeFrom<typeof settingsLoader>>(settingsLoader, await appRequest(SHOP, "/app/settings?locale=en"));
    expect(body.timeZone.zone).toBe("Europe/Zagreb");
    expect(body.timeZone.offset).toMatch(/^UTC\+0[12]:00$/);
    expect(body.consent).toBe(true);
    expect(body.lifespan).toMatchObject({ mode: "auto", observed: "Your returning customers stay 2.2 years on average; Kinship uses 2." });
    expect(body.runs).toHaveLength(1);
  });

  it("validates the lifespan (1–3 years)", async () => {
    const bad = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "lifespan", lifespanMode: "fixed", lifespanYears: "5" } }),
    );
    expect(bad.body).toMatchObject({ ok: false, errors: { lifespanYears: "Enter 3 or less." } });
    const odd = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "lifespan", lifespanMode: "forever" } }),
    );
    expect(odd.body.ok).toBe(false);
    const good = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings", { form: { intent: "lifespan", lifespanMode: "fixed", lifespanYears: "1.5" } }),
    );
    expect(good.body.ok).toBe(true);
    expect(JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).settings).scoring).toEqual({ lifespanYears: 1.5 });
  });

  it("stores the consent policy", async () => {
    await call(
      settingsAction,
      await appRequest(SHOP, "/app/settings", { form: { intent: "consent", promotionalRequiresMarketingConsent: "off" } }),
    );
    const { body } = await call<SerializeFrom<typeof settingsLoader>>(settingsLoader, await appRequest(SHOP, "/app/settings"));
    expect(body.consent).toBe(false);
    const garbage = await call(
      settingsAction,
      await appRequest(SHOP, "/app/settings", { form: { intent: "consent", promotionalRequiresMarketingConsent: "maybe" } }),
    );
    expect(garbage.status).toBe(400);
  });

  it("stores the per-customer caps (defaults 1 a day, 2 per 30 days), refusing bad input with 400 and keeping other settings", async () => {
    const before = await call<SerializeFrom<typeof settingsLoader>>(settingsLoader, await appRequest(SHOP, "/app/settings"));
    expect(before.body.customerCaps).toEqual({ perDay: "1", per30Days: "2" });
    const bad = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "customerCaps", perDay: "3", per30Days: "2" } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, errors: { per30Days: "Allow at least as many codes per 30 days as per day." } });
    const good = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings", { form: { intent: "customerCaps", perDay: "2", per30Days: "4" } }),
    );
    expect(good.body.ok).toBe(true);
    const stored = JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).settings);
    expect(stored).toMatchObject({ rewards: { averageShippingCost: 4 }, issuance: { customerCaps: { perDay: 2, per30Days: 4 } } });
  });

  it("imports birthdays: good lines saved, bad lines reported by number and not saved", async () => {
    const csv = [
      "email,birthday",
      "olena@example.com,1988-02-29",
      "IVAN@example.com;1991-07-01",
      "ghost@example.com,1990-01-01",
      "3,2023-02-29",
      "4,2999-01-01",
      "olena@example.com,1970-01-01",
      "",
    ].join("\n");
    const { body } = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "birthdays", csv } }),
    );
    expect(body.ok).toBe(false);
    expect(body.summary).toBe("6 lines: 2 birthdays saved, 0 already up to date, 4 with problems.");
    expect(body.rowErrors).toEqual([
      { line: 4, value: "ghost@example.com", message: "No customer of this shop has this email or id." },
      { line: 5, value: "2023-02-29", message: "Not a date in the form YYYY-MM-DD." },
      { line: 6, value: "2999-01-01", message: "The date is in the future." },
      { line: 7, value: "olena@example.com", message: "This customer is already on line 2." },
    ]);
    const birthdays = await db.customer.findMany({
      where: { shop: SHOP },
      select: { shopifyId: true, birthday: true },
      orderBy: { shopifyId: "asc" },
    });
    expect(birthdays.map((c) => c.birthday)).toEqual(["1988-02-29", "1991-07-01", "1990-03-08", null, null]);
  });

  it("saves the birthday rules, and refuses an hour that is not one with a 400 and a message at the field", async () => {
    const bad = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "birthdayRules", minNoticeDays: "30", sendHour: "25" } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, errors: { sendHour: expect.any(String) } });
    expect((await getShopSettings(SHOP)).birthdays).toEqual({ minNoticeDays: 30, sendHour: 9 });
    const good = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "birthdayRules", minNoticeDays: "14", sendHour: "7" } }),
    );
    expect(good.body.ok).toBe(true);
    expect((await getShopSettings(SHOP)).birthdays).toEqual({ minNoticeDays: 14, sendHour: 7 });
    // Other features' settings are kept.
    expect(JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).settings)).toMatchObject({
      rewards: { averageShippingCost: 4 },
    });
  });

  it("deletes the shop's data only after the shop's address is typed", async () => {
    const wrong = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "delete", confirm: "yes" } }),
    );
    expect(wrong.body).toMatchObject({ ok: false, errors: { confirm: `Type the shop's address exactly: ${SHOP}` } });
    expect(await db.customer.count({ where: { shop: SHOP } })).toBe(5);

    const right = await call<ActionBody>(
      settingsAction,
      await appRequest(SHOP, "/app/settings?locale=en", { form: { intent: "delete", confirm: SHOP } }),
    );
    expect(right.body.ok).toBe(true);
    expect(right.body.message).toBe("Deleted 5 customers, 3 orders, 3 survey answers and 3 code records.");
    expect(await db.customer.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(0);
    // The app stays installed; the other shop is untouched.
    expect(await db.session.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db.customer.count({ where: { shop: OTHER } })).toBe(1);
  });

  it("exports the shop's data as JSON without access tokens", async () => {
    const { status, body, response } = await call<ExportBody>(exportLoader, await appRequest(SHOP, "/app/settings/export"));
    expect(status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="kinship-pages-shop-\d{4}-\d{2}-\d{2}\.json"/);
    expect(body.format).toBe("kinship-export/1");
    expect(body.shop.name).toBe("Pages Shop");
    expect(body.shop.modelState.asOf).toBe("2026-03-01");
    expect(body.customers).toHaveLength(5);
    expect(body.orders).toHaveLength(3);
    expect(body.feedback).toHaveLength(3);
    expect(body.issuedDiscounts).toHaveLength(3);
    expect(JSON.stringify(body)).not.toContain("token-");
    expect(JSON.stringify(body)).not.toContain("other@example.com");
  });
});
