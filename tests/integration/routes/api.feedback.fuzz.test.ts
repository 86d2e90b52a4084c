import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { createFeedbackRateLimiter } from "../../../app/models/rate-limit.server";
import { mulberry32, type Rng } from "../../../app/retention/random";
import { REASON_CODES } from "../../../app/retention/feedback/reasons";
import { resetDatabase } from "../../support/fixtures";
import { answer, call, customerToken, feedbackCount, feedbackRequest, seedShop, type RouteHandler } from "../../support/feedback";

const SHOP = "feedback-fuzz.myshopify.com";
const roomy = { limit: 100_000, windowMs: 60_000 };
const action = createFeedbackAction({
  limiter: createFeedbackRateLimiter({ shopAttempts: roomy, customerAttempts: roomy, shopWrites: roomy, customerWrites: roomy }),
  thankYouReward: async () => null,
  setBirthdayMetafields: async () => ({ written: 0, refused: [] }),
  log: () => {},
}) as unknown as RouteHandler;

let token: string;
let customer: string;

beforeAll(async () => {
  await resetDatabase();
});

beforeEach(async () => {
  await resetDatabase();
  ({ customer } = await seedShop(SHOP, 4242));
  token = await customerToken(SHOP, customer);
});

async function post(body: unknown, raw?: string) {
  return call(action, feedbackRequest(body, token, raw === undefined ? {} : { raw }));
}

describe("payload fuzzing: 400 with field errors, nothing stored", () => {
  const base = answer(4242);
  const cases: Array<[string, unknown, Record<string, string[]>]> = [
    ["score as a string", { ...base, score: "7" }, { score: ["invalid_type"] }],
    ["score missing", { ...base, score: undefined }, { score: ["required"] }],
    ["score null", { ...base, score: null }, { score: ["invalid_type"] }],
    ["score negative", { ...base, score: -1 }, { score: ["out_of_range"] }],
    ["score 11", { ...base, score: 11 }, { score: ["out_of_range"] }],
    ["score 1e9", { ...base, score: 1e9 }, { score: ["out_of_range"] }],
    ["score fractional", { ...base, score: 6.5 }, { score: ["not_integer"] }],
    ["score as an object", { ...base, score: { valueOf: 7 } }, { score: ["invalid_type"] }],
    ["reasons as a string", { ...base, reasons: "delivery" }, { reasons: ["invalid_type"] }],
    ["reasons with a number", { ...base, reasons: [1] }, { reasons: ["invalid_type"] }],
    ["unknown reason", { ...base, reasons: ["shipping_was_slow"] }, { reasons: ["unknown_reason"] }],
    ["a thousand reasons", { ...base, reasons: Array(1000).fill("price") }, { reasons: ["too_many"] }],
    ["comment as a number", { ...base, comment: 12345 }, { comment: ["invalid_type"] }],
    ["comment one over the limit", { ...base, comment: "é".repeat(2001) }, { comment: ["too_long"] }],
    ["huge comment", { ...base, comment: "<b>".repeat(3000) }, { comment: ["too_long"] }],
    ["locale too long", { ...base, locale: "en".repeat(250) }, { locale: ["invalid_locale"] }],
    ["locale with markup", { ...base, locale: "<script>" }, { locale: ["invalid_locale"] }],
    ["locale missing", { ...base, locale: undefined }, { locale: ["required"] }],
    ["order id injection", { ...base, orderId: '1; DROP TABLE "Feedback"' }, { orderId: ["invalid_order_id"] }],
    ["huge order id", { ...base, orderId: `gid://shopify/Order/${"9".repeat(5000)}` }, { orderId: ["invalid_order_id"] }],
    ["order id of another type", { ...base, orderId: "gid://shopify/Customer/4242" }, { orderId: ["invalid_order_id"] }],
    ["order id as a number", { ...base, orderId: 4242 }, { orderId: ["invalid_type"] }],
    ["impossible birthday", { ...base, birthday: "1990-02-30", birthdayConsent: true }, { birthday: ["invalid_date"] }],
    ["birthday not a date", { ...base, birthday: "next tuesday", birthdayConsent: true }, { birthday: ["invalid_date"] }],
    ["birthday in the future", { ...base, birthday: "2999-01-01", birthdayConsent: true }, { birthday: ["future_date"] }],
    ["birthday before 1900", { ...base, birthday: "1850-06-01", birthdayConsent: true }, { birthday: ["implausible_year"] }],
    ["birthday without consent", { ...base, birthday: "1990-05-17", birthdayConsent: false }, { birthdayConsent: ["consent_required"] }],
    ["consent as a string", { ...base, birthday: "1990-05-17", birthdayConsent: "yes" }, { birthdayConsent: ["invalid_type"] }],
    ["body is an array", [base], { body: ["invalid_type"] }],
    ["body is a string", "score=3", { body: ["invalid_type"] }],
    ["body is null", null, { body: ["invalid_type"] }],
  ];

  it.each(cases)("%s", async (_name, body, expected) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ok: false, fieldErrors: expected });
    expect(await feedbackCount()).toBe(0);
  });

  it("several wrong fields at once are all reported", async () => {
    const res = await post({ score: -3, reasons: ["nope"], comment: 1, locale: "", orderId: "x" });
    expect(res.status).toBe(400);
    expect(Object.keys((res.body as { fieldErrors: object }).fieldErrors).sort()).toEqual([
      "comment",
      "locale",
      "orderId",
      "reasons",
      "score",
    ]);
  });

  it.each([
    ["not JSON", "{score: 3"],
    ["empty body", ""],
    ["JSON with a trailing comma", '{"score":3,}'],
  ])("%s: 400 invalid_json", async (_name, raw) => {
    const res = await post(null, raw);
    expect(res).toMatchObject({ status: 400, body: { ok: false, fieldErrors: { body: ["invalid_json"] } } });
    expect(await feedbackCount()).toBe(0);
  });

  it("a __proto__ key neither pollutes objects nor is stored", async () => {
    const res = await post(
      null,
      `{"__proto__":{"polluted":true},"score":4,"reasons":[],"locale":"en","orderId":"gid://shopify/Order/4242"}`,
    );
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("script tags are stored as text", () => {
  it("a comment with markup is accepted and stored byte for byte", async () => {
    const comment = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 'single'`;
    const res = await post({ ...answer(4242), comment });
    expect(res.status).toBe(200);
    expect((await db.feedback.findFirstOrThrow()).comment).toBe(comment);
  });

  it("control characters are removed, line breaks kept", async () => {
    const res = await post({ ...answer(4242), comment: "line one\r\nline\u0000 two\u0007\n" });
    expect(res.status).toBe(200);
    expect((await db.feedback.findFirstOrThrow()).comment).toBe("line one\nline two");
  });
});

// ——— Random payloads from a seeded generator: every answer is either stored exactly or refused with field errors. ———

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function randomString(rng: Rng): string {
  const alphabets = ["abc", "<script>", "\u0000\u0007", "é漢字🙂", "\n\r\t", "'\";--", "9"];
  const length = pick(rng, [0, 1, 5, 40, 1999, 2000, 2001, 2600]);
  let out = "";
  while (out.length < length) out += pick(rng, alphabets);
  return out.slice(0, length);
}

function randomValue(rng: Rng, depth = 0): unknown {
  switch (Math.floor(rng() * 9)) {
    case 0:
      return Math.floor(rng() * 30) - 10;
    case 1:
      return rng() * 20 - 5;
    case 2:
      return randomString(rng);
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return rng() < 0.5;
    case 6:
      return depth > 2
        ? []
        : Array.from({ length: Math.floor(rng() * 4) }, () => (rng() < 0.6 ? pick(rng, REASON_CODES) : randomValue(rng, depth + 1)));
    case 7:
      return depth > 2 ? {} : { nested: randomValue(rng, depth + 1) };
    default:
      return pick(rng, [
        7,
        "en",
        "uk-UA",
        "gid://shopify/Order/4242",
        "gid://shopify/OrderIdentity/4243",
        "1990-05-17",
        "2026-02-29",
        ["price"],
        true,
      ]);
  }
}

function randomPayload(rng: Rng): Record<string, unknown> {
  // Start from a valid answer and break a random subset of fields, so both outcomes are common.
  const payload: Record<string, unknown> = { ...answer(4242 + Math.floor(rng() * 3)) };
  for (const field of ["score", "reasons", "comment", "birthday", "birthdayConsent", "locale", "orderId"]) {
    if (rng() < 0.3) payload[field] = randomValue(rng);
  }
  return payload;
}

describe("seeded random payloads", () => {
  it("300 payloads: 200 and a valid stored row, or 400 with string codes per known field", async () => {
    const rng = mulberry32(20261123);
    const fields = new Set(["score", "reasons", "comment", "birthday", "birthdayConsent", "locale", "orderId", "body"]);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const payload = randomPayload(rng);
      const before = await feedbackCount();
      const res = await post(payload);
      if (res.status === 200) {
        accepted++;
        const row = await db.feedback.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { updatedAt: "desc" } });
        expect(Number.isInteger(row.score) && row.score >= 0 && row.score <= 10).toBe(true);
        // eslint-disable-next-line no-control-regex
        expect(row.comment === null || (row.comment.length <= 2000 && !/[\u0000-\u0008]/.test(row.comment))).toBe(true);
        expect(row.reasons.split(",").every((r) => r === "" || (REASON_CODES as readonly string[]).includes(r))).toBe(true);
        expect(row.orderShopifyId).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
      } else {
        refused++;
        expect(res.status).toBe(400);
        const errors = (res.body as { ok: false; fieldErrors: Record<string, unknown> }).fieldErrors;
        expect(Object.keys(errors).length).toBeGreaterThan(0);
        for (const [field, codes] of Object.entries(errors)) {
          expect(fields.has(field)).toBe(true);
          expect(Array.isArray(codes) && codes.length > 0 && codes.every((c) => typeof c === "string")).toBe(true);
        }
        expect(await feedbackCount()).toBe(before);
      }
    }
    // At most one row per order, however many answers were accepted.
    expect(await feedbackCount()).toBeLessThanOrEqual(3);
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(100);
  });
});
