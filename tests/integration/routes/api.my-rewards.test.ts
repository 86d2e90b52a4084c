import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { createMyRewardsEndpoint, MAX_BODY_BYTES } from "../../../app/routes/api.my-rewards";
import { createMyRewardsRateLimiter, DEFAULT_MY_REWARDS_LIMITS } from "../../../app/models/rate-limit.server";
import { getSurfaceUse } from "../../../app/models/surface-use.server";
import { idempotencyKey } from "../../../app/retention/rewards";
import { creditStoreCredit } from "../../../app/shopify/store-credit.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { fakeClock } from "../../emulator/clock";
import type { Emulator } from "../../emulator/server";
import { signCustomerAccountToken } from "../../emulator/session-token";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { call, CHECKOUT_ORIGIN, type RouteHandler } from "../../support/feedback";
import { resetDatabase } from "../../support/fixtures";
import { addCustomer, addRule, setUpShop, type RewardsShop } from "../../support/rules";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../support/test-env";

const ALPHA = "rewards-page-alpha.myshopify.com";
const BETA = "rewards-page-beta.myshopify.com";
const NOW = Date.parse("2026-11-20T10:00:00Z");
const DAY = 86_400_000;
const clock = fakeClock(NOW);
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

let emulator: Emulator;
let alpha: RewardsShop;
let beta: RewardsShop;
let ana: string; // alpha's seeded customer
let ben: string; // another alpha customer
let bea: string; // beta's customer
const clients = new Map<string, AdminClient>();

beforeAll(async () => {
  emulator = await startEmulatedShopify({
    clock: clock.now,
    shops: [
      { domain: ALPHA, size: "empty", seed: 3, currency: "UAH", timeZone: "Europe/Kyiv" },
      { domain: BETA, size: "empty", seed: 4, currency: "EUR", timeZone: "Europe/Zagreb" },
    ],
  });
});
afterAll(() => stopEmulatedShopify(emulator));

const token = (shop: string, customer: string | null, options: { secret?: string; apiKey?: string; now?: number } = {}) =>
  signCustomerAccountToken({
    shop,
    apiKey: options.apiKey ?? TEST_API_KEY,
    apiSecret: options.secret ?? TEST_API_SECRET,
    customerId: customer,
    now: options.now ?? Date.now(),
  });

function request(tokenValue: string | null, options: { method?: string; body?: unknown; raw?: string; query?: string } = {}) {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Origin: CHECKOUT_ORIGIN, "User-Agent": BROWSER_UA, "Content-Type": "application/json" };
  if (tokenValue !== null) headers.Authorization = `Bearer ${tokenValue}`;
  return new Request(`${TEST_APP_URL}/api/my-rewards${options.query ?? ""}`, {
    method,
    headers,
    ...(method === "GET" || method === "OPTIONS" ? {} : { body: options.raw ?? JSON.stringify(options.body) }),
  });
}

function endpoint(overrides: Parameters<typeof createMyRewardsEndpoint>[0] = {}) {
  const { loader, action } = createMyRewardsEndpoint({
    adminClient: async (shop) => clients.get(shop)!,
    now: () => new Date(clock.now()),
    log: () => {},
    ...overrides,
  });
  return { get: loader as unknown as RouteHandler, post: action as unknown as RouteHandler };
}

async function liveCode(
  shop: string,
  ruleId: string,
  customer: string,
  code: string,
  options: { period?: string; endsAt?: Date; status?: string; createdAt?: Date } = {},
) {
  await db.issuedDiscount.create({
    data: {
      shop,
      ruleId,
      customerShopifyId: customer,
      idempotencyKey: idempotencyKey(ruleId, customer, options.period ?? "2026-11"),
      code,
      status: options.status ?? "delivered",
      kind: "issue",
      rewardType: "percentage",
      startsAt: new Date(NOW - 2 * DAY),
      endsAt: options.endsAt ?? new Date(NOW + 10 * DAY),
      createdAt: options.createdAt ?? new Date(NOW - DAY),
    },
  });
}

beforeEach(async () => {
  clock.set(NOW);
  await resetDatabase();
  for (const d of [ALPHA, BETA]) emulator.shop(d).storeCredit.clear();
  alpha = await setUpShop(emulator, ALPHA, { timeZone: "Europe/Kyiv", currencyCode: "UAH" });
  beta = await setUpShop(emulator, BETA, { timeZone: "Europe/Zagreb", currencyCode: "EUR" });
  clients.set(ALPHA, alpha.client);
  clients.set(BETA, beta.client);

  const tiers = await addRule(ALPHA, {
    kind: "loyaltyTiers",
    name: "Club",
    metric: "netSpend",
    tiers: [
      { name: "Silver", threshold: 2000, reward: null },
      { name: "Gold", threshold: 5000, reward: { type: "percentage", percentage: 10 } },
    ],
  });
  const winback = await addRule(ALPHA, {
    kind: "winback",
    name: "Come back",
    reward: { type: "percentage", percentage: 15 },
    minimumSubtotal: 500,
    validityDays: 30,
  });
  await addRule(ALPHA, { kind: "birthday", name: "Gift", reward: { type: "storeCredit", amount: 150 }, validityDays: 30 });
  ana = await addCustomer(emulator, ALPHA, { totalSpent: 3800, orderCount: 6, birthDate: "1990-05-17" });
  ben = await addCustomer(emulator, ALPHA, { totalSpent: 120, orderCount: 1 });
  await db.customerTier.create({ data: { shop: ALPHA, ruleId: tiers.id, customerShopifyId: ana, tier: "Silver", since: "2026-10-01" } });
  await liveCode(ALPHA, winback.id, ana, "KIN-ANA-NEW", { createdAt: new Date(NOW - DAY) });
  await liveCode(ALPHA, winback.id, ana, "KIN-ANA-OLD", { period: "2026-10", createdAt: new Date(NOW - 5 * DAY) });
  await liveCode(ALPHA, winback.id, ana, "KIN-ANA-OVER", { period: "2026-09", endsAt: new Date(NOW - DAY) });
  await liveCode(ALPHA, winback.id, ana, "KIN-ANA-QUEUED", { period: "2026-08", status: "recorded" });
  await liveCode(ALPHA, winback.id, ben, "KIN-BEN", {});
  await db.consentRecord.create({
    data: {
      shop: ALPHA,
      customerShopifyId: ana,
      purpose: "birthday",
      granted: true,
      source: "checkoutSurvey",
      givenAt: new Date(NOW - 30 * DAY),
    },
  });
  await db.feedback.create({
    data: {
      shop: ALPHA,
      orderShopifyId: "gid://shopify/Order/1",
      customerShopifyId: ana,
      score: 9,
      reasons: "delivery,service",
      comment: "Great",
      createdAt: new Date(NOW - 20 * DAY),
    },
  });
  await db.feedback.create({
    data: {
      shop: ALPHA,
      orderShopifyId: "gid://shopify/Order/2",
      customerShopifyId: ben,
      score: 2,
      reasons: "price",
      comment: "Ben's secret",
    },
  });
  await creditStoreCredit(alpha.client, { customerId: ana, amount: 150, currencyCode: "UAH", expiresAt: "2027-01-31T21:59:59Z" });

  bea = await addCustomer(emulator, BETA, { totalSpent: 50, orderCount: 1 });
  await db.feedback.create({
    data: { shop: BETA, orderShopifyId: "gid://shopify/Order/3", customerShopifyId: bea, score: 4, reasons: "", comment: "Beta's answer" },
  });
});

describe("GET /api/my-rewards", () => {
  it("answers the token's customer with tier, live codes, store credit, birthday and answers", async () => {
    const { get } = endpoint();
    const res = await call(get, request(token(ALPHA, ana)));
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.body).toEqual({
      ok: true,
      shop: { currencyCode: "UAH", ianaTimezone: "Europe/Kyiv" },
      tier: {
        current: { name: "Silver" },
        next: { name: "Gold", remaining: { amount: "1200.00", currencyCode: "UAH" } },
        progress: 0.6,
        spend: { amount: "3800.00", currencyCode: "UAH" },
        window: "lifetime",
        metric: "netSpend",
      },
      codes: [
        expect.objectContaining({ code: "KIN-ANA-NEW" }),
        {
          code: "KIN-ANA-OLD",
          offer: { type: "percentage", percent: 15 },
          reason: "winback",
          // No ?locale=: English, from the win-back kind's texts (app/i18n/catalogs/rules/kinds.json).
          reasonLabel: "We miss you",
          expiresAt: new Date(NOW + 10 * DAY).toISOString().replace(".000Z", "Z"),
          minimumSubtotal: { amount: "500.00", currencyCode: "UAH" },
        },
      ],
      storeCredit: { balance: { amount: "150.00", currencyCode: "UAH" }, expiresAt: "2027-01-31T21:59:59Z" },
      birthday: { date: "1990-05-17", consented: true, editable: true },
      feedback: [
        {
          answeredAt: new Date(NOW - 20 * DAY).toISOString().replace(".000Z", "Z"),
          score: 9,
          reasons: ["delivery", "service"],
          comment: "Great",
        },
      ],
    });
  });

  it("words each code's reason in the customer's language from ?locale=, one of the four, else English", async () => {
    const { get } = endpoint();
    const labels = async (query: string) => {
      const res = await call(get, request(token(ALPHA, ana), { query }));
      expect(res.status, query).toBe(200);
      return (res.body as { codes: { reason: string; reasonLabel: string }[] }).codes.map((c) => [c.reason, c.reasonLabel]);
    };
    expect(await labels("?locale=uk")).toEqual([
      ["winback", "Ми сумуємо за вами"],
      ["winback", "Ми сумуємо за вами"],
    ]);
    expect((await labels("?locale=ru"))[0]).toEqual(["winback", "Мы скучаем по вам"]);
    expect((await labels("?locale=hr-HR"))[0]).toEqual(["winback", "Nedostajete nam"]);
    for (const query of [
      "?locale=de",
      "?locale=__proto__",
      "?locale=constructor",
      "?locale=toString",
      "?locale=",
      "?locale=en&locale=uk",
    ]) {
      expect((await labels(query))[0], query).toEqual(["winback", "We miss you"]);
    }
  });

  it("a second customer's token never sees the first one's data", async () => {
    const { get } = endpoint();
    const res = await call(get, request(token(ALPHA, ben), { query: `?customer=${encodeURIComponent(ana)}` }));
    expect(res.status).toBe(200);
    const body = res.body as {
      codes: { code: string }[];
      feedback: { comment: string }[];
      birthday: unknown;
      tier: unknown;
      storeCredit: unknown;
    };
    expect(body.codes.map((c) => c.code)).toEqual(["KIN-BEN"]);
    expect(body.feedback.map((f) => f.comment)).toEqual(["Ben's secret"]);
    expect(body.birthday).toEqual({ date: null, consented: false, editable: true });
    expect(body.storeCredit).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/KIN-ANA|Great|1990-05-17/);
  });

  it("a token of another installed shop sees only that shop's data, even for a customer id the first shop knows", async () => {
    const { get } = endpoint();
    const own = await call(get, request(token(BETA, bea)));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      shop: { currencyCode: "EUR" },
      tier: null,
      codes: [],
      storeCredit: null,
      feedback: [{ comment: "Beta's answer" }],
    });
    const crossed = await call(get, request(token(BETA, ana)));
    expect(crossed.status).toBe(200);
    expect(crossed.body).toMatchObject({
      tier: null,
      codes: [],
      storeCredit: null,
      feedback: [],
      birthday: { date: null, consented: false },
    });
  });

  it("a customer Kinship does not know yet gets 200 with empty parts", async () => {
    const { get } = endpoint();
    const res = await call(get, request(token(ALPHA, "gid://shopify/Customer/987654321")));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, tier: null, codes: [], storeCredit: null, feedback: [], birthday: { date: null } });
  });

  describe("refused tokens get 401 and nothing else", () => {
    const cases: Array<[string, () => string | null]> = [
      ["no token", () => null],
      ["forged (another app's secret)", () => token(ALPHA, ana, { secret: "another-apps-secret" })],
      ["expired", () => token(ALPHA, ana, { now: Date.now() - 10 * 60_000 })],
      ["wrong audience (another app's client id, signed with our secret)", () => token(ALPHA, ana, { apiKey: "another-app" })],
      ["no customer signed in (no sub)", () => token(ALPHA, null)],
      ["a shop that never installed the app", () => token("stranger.myshopify.com", ana)],
      [
        "a token whose claims were edited",
        () => {
          const [header, payload, signature] = token(BETA, bea).split(".");
          const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
          return `${header}.${Buffer.from(JSON.stringify({ ...claims, dest: ALPHA, sub: ana })).toString("base64url")}.${signature}`;
        },
      ],
    ];
    it.each(cases)("%s", async (_name, make) => {
      const { get, post } = endpoint();
      for (const handler of [get, post]) {
        const res = await call(
          handler,
          request(make(), handler === post ? { method: "POST", body: { birthday: "1980-01-01", consent: true } } : {}),
        );
        expect(res.status).toBe(401);
        expect(res.body === null || (res.body as { ok?: boolean }).ok === false).toBe(true);
        expect(JSON.stringify(res.body ?? "")).not.toMatch(/KIN-|1990|Great/);
      }
      expect(await db.customer.count({ where: { birthday: "1980-01-01" } })).toBe(0);
      expect(await getSurfaceUse(ALPHA, "customerAccountPage")).toBeNull();
    });

    it("an uninstalled shop", async () => {
      await db.shop.update({ where: { shop: ALPHA }, data: { uninstalledAt: new Date(NOW) } });
      const res = await call(endpoint().get, request(token(ALPHA, ana)));
      expect(res.status).toBe(401);
      expect(res.body).toBeNull();
    });
  });

  it("answers the preflight with CORS and no data", async () => {
    const res = await call(endpoint().get, request(null, { method: "OPTIONS" }));
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });

  it("records the first authenticated load per shop, and moves the last one at most hourly", async () => {
    const { get } = endpoint();
    await call(get, request(token(ALPHA, ana)));
    const first = await getSurfaceUse(ALPHA, "customerAccountPage");
    expect(first).toEqual({ firstLoadedAt: new Date(NOW), lastLoadedAt: new Date(NOW) });
    clock.set(NOW + 30 * 60_000);
    await call(get, request(token(ALPHA, ben)));
    expect(await getSurfaceUse(ALPHA, "customerAccountPage")).toEqual(first);
    clock.set(NOW + 2 * 3600_000);
    await call(get, request(token(ALPHA, ben)));
    expect(await getSurfaceUse(ALPHA, "customerAccountPage")).toEqual({
      firstLoadedAt: new Date(NOW),
      lastLoadedAt: new Date(NOW + 2 * 3600_000),
    });
    expect(await getSurfaceUse(BETA, "customerAccountPage")).toBeNull();
  });

  it("limits each customer: 429 with Retry-After, other customers unaffected", async () => {
    const limiter = createMyRewardsRateLimiter({ ...DEFAULT_MY_REWARDS_LIMITS, customerAttempts: { limit: 3, windowMs: 60_000 } });
    const { get } = endpoint({ limiter });
    for (let i = 0; i < 3; i++) expect((await call(get, request(token(ALPHA, ana)))).status).toBe(200);
    const limited = await call(get, request(token(ALPHA, ana)));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ ok: false, error: "rate_limited" });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect((await call(get, request(token(ALPHA, ben)))).status).toBe(200);
  });
});

describe("POST /api/my-rewards: the birthday", () => {
  const post = (customer: string, body: unknown, overrides: Parameters<typeof createMyRewardsEndpoint>[0] = {}) =>
    call(endpoint(overrides).post, request(token(ALPHA, customer), { method: "POST", body }));
  const birthdayMetafield = (customer: string) => emulator.shop(ALPHA).metafields.get(customer, "facts", "birth_date")?.value ?? null;

  it("saves through the one writer (local row, Shopify's facts.birth_date) with a consent record, and answers fresh data", async () => {
    const res = await call(
      endpoint().post,
      request(token(ALPHA, ben), {
        method: "POST",
        body: { birthday: "1988-02-29", consent: true, consentTextVersion: "v2" },
        query: "?locale=hr",
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      birthday: { date: "1988-02-29", consented: true, editable: true },
      codes: [{ code: "KIN-BEN", reason: "winback", reasonLabel: "Nedostajete nam" }],
    });
    expect((await db.customer.findFirstOrThrow({ where: { shop: ALPHA, shopifyId: ben } })).birthday).toBe("1988-02-29");
    expect(birthdayMetafield(ben)).toBe("1988-02-29");
    expect(
      await db.consentRecord.findMany({
        where: { shop: ALPHA, customerShopifyId: ben },
        select: { purpose: true, granted: true, source: true, textVersion: true },
      }),
    ).toEqual([{ purpose: "birthday", granted: true, source: "customerAccount", textVersion: "v2" }]);
  });

  it("takes the birthday back with consent false: cleared here and in Shopify, withdrawal recorded", async () => {
    expect(birthdayMetafield(ana)).toBe("1990-05-17");
    const res = await post(ana, { birthday: null, consent: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ birthday: { date: null, consented: false } });
    expect((await db.customer.findFirstOrThrow({ where: { shop: ALPHA, shopifyId: ana } })).birthday).toBeNull();
    expect(birthdayMetafield(ana)).toBeNull();
    const latest = await db.consentRecord.findFirstOrThrow({
      where: { shop: ALPHA, customerShopifyId: ana },
      orderBy: { givenAt: "desc" },
    });
    expect(latest).toMatchObject({ granted: false, source: "customerAccount" });
  });

  it.each([
    [{ birthday: "1990-05-17", consent: false }, { consent: "consent_required" }],
    [{ birthday: "2090-01-01", consent: true }, { birthday: "future_date" }],
    [{ birthday: "17.05.1990", consent: true }, { birthday: "invalid_date" }],
    [{ birthday: null, consent: true }, { birthday: "required" }],
    [{ consent: true }, { birthday: "required" }],
    [{ birthday: "1990-05-17" }, { consent: "required" }],
    [[1, 2], { body: "invalid_type" }],
  ])("refuses %j with 400 %j and changes nothing", async (body, fieldErrors) => {
    const res = await post(ben, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ok: false, fieldErrors });
    expect((await db.customer.findFirstOrThrow({ where: { shop: ALPHA, shopifyId: ben } })).birthday).toBeNull();
    expect(await db.consentRecord.count({ where: { customerShopifyId: ben } })).toBe(0);
    expect(birthdayMetafield(ben)).toBeNull();
  });

  it("refuses invalid JSON with 400 and a body over 4 KB with 413", async () => {
    const bad = await call(endpoint().post, request(token(ALPHA, ben), { method: "POST", raw: "{not json" }));
    expect(bad).toMatchObject({ status: 400, body: { ok: false, fieldErrors: { body: "invalid_json" } } });
    const big = JSON.stringify({ birthday: "1988-02-29", consent: true, pad: "x".repeat(MAX_BODY_BYTES) });
    const tooLarge = await call(endpoint().post, request(token(ALPHA, ben), { method: "POST", raw: big }));
    expect(tooLarge).toMatchObject({ status: 413, body: { ok: false, fieldErrors: { body: "too_large" } } });
    expect((await db.customer.findFirstOrThrow({ where: { shop: ALPHA, shopifyId: ben } })).birthday).toBeNull();
  });

  it("keeps the birthday when Shopify is down (best effort), and limits saves per customer with 429", async () => {
    const down = { adminClient: async () => Promise.reject(new Error("Shopify unreachable")) };
    const saved = await post(ben, { birthday: "1988-02-29", consent: true }, down);
    expect(saved.status).toBe(200);
    expect((await db.customer.findFirstOrThrow({ where: { shop: ALPHA, shopifyId: ben } })).birthday).toBe("1988-02-29");

    const limiter = createMyRewardsRateLimiter({ ...DEFAULT_MY_REWARDS_LIMITS, customerWrites: { limit: 1, windowMs: 3_600_000 } });
    expect((await post(ben, { birthday: "1988-03-01", consent: true }, { limiter })).status).toBe(200);
    const limited = await post(ben, { birthday: "1988-03-02", consent: true }, { limiter });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("3600");
    expect((await db.customer.findFirstOrThrow({ where: { shop: ALPHA, shopifyId: ben } })).birthday).toBe("1988-03-01");
  });
});
