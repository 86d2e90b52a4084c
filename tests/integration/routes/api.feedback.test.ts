import { beforeEach, describe, expect, it, vi } from "vitest";
import db from "../../../app/db.server";
import { createFeedbackAction, loader as feedbackLoader, MAX_BODY_BYTES } from "../../../app/routes/api.feedback";
import { shopFromDest } from "../../../app/services/extension-requests.server";
import { createFeedbackRateLimiter, DEFAULT_FEEDBACK_LIMITS } from "../../../app/models/rate-limit.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { resetDatabase } from "../../support/fixtures";
import { TEST_API_KEY } from "../../support/test-env";
import {
  answer,
  call,
  checkoutToken,
  customerToken,
  feedbackCount,
  feedbackRequest,
  seedShop,
  type RouteHandler,
} from "../../support/feedback";

const SHOP = "feedback-alpha.myshopify.com";
const OTHER = "feedback-beta.myshopify.com";

const fakeClient = (shop: string) => ({ shop }) as unknown as AdminClient;

/** The real endpoint with the Shopify side stubbed at its module boundary (the emulator tests cover it for real). */
function endpoint(overrides: Parameters<typeof createFeedbackAction>[0] = {}) {
  const setBirthdayMetafields = vi.fn(async () => ({ written: 1, refused: [] }));
  const thankYouReward = vi.fn(async () => null as { code: string; endsAt: string | null } | null);
  const action = createFeedbackAction({
    adminClient: async (shop) => fakeClient(shop),
    setBirthdayMetafields,
    thankYouReward,
    log: () => {},
    ...overrides,
  }) as unknown as RouteHandler;
  return { action, setBirthdayMetafields, thankYouReward };
}

let alpha: { customer: string; order: string };
let beta: { customer: string; order: string };

beforeEach(async () => {
  await resetDatabase();
  alpha = await seedShop(SHOP, 101, { predictedClv: 420 });
  beta = await seedShop(OTHER, 202);
});

describe("POST /api/feedback: who is asking", () => {
  it("stores an answer tied to the token's shop, customer and order", async () => {
    const { action } = endpoint();
    const token = await customerToken(SHOP, alpha.customer);
    const res = await call(action, feedbackRequest(answer(101, { score: 2, reasons: ["delivery", "price"] }), token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const rows = await db.feedback.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      shop: SHOP,
      orderShopifyId: alpha.order,
      customerShopifyId: alpha.customer,
      score: 2,
      reasons: "delivery,price",
      comment: "Arrived late",
      locale: "en",
      status: "open",
    });
  });

  it("takes a guest's customer from the order the database knows", async () => {
    const { action } = endpoint();
    const res = await call(action, feedbackRequest(answer(101), await checkoutToken(SHOP)));
    expect(res.status).toBe(200);
    expect((await db.feedback.findFirstOrThrow()).customerShopifyId).toBe(alpha.customer);
  });

  it("stores an answer for an order not synced yet, on the token's word", async () => {
    const { action } = endpoint();
    const res = await call(action, feedbackRequest(answer(999_001), await checkoutToken(SHOP)));
    expect(res.status).toBe(200);
    expect(await db.feedback.findFirstOrThrow()).toMatchObject({
      shop: SHOP,
      orderShopifyId: "gid://shopify/Order/999001",
      customerShopifyId: null,
    });
  });

  it("accepts the thank-you page's OrderIdentity GID as the same order", async () => {
    const { action } = endpoint();
    const res = await call(
      action,
      feedbackRequest({ ...answer(101), orderId: "gid://shopify/OrderIdentity/101" }, await checkoutToken(SHOP)),
    );
    expect(res.status).toBe(200);
    expect((await db.feedback.findFirstOrThrow()).orderShopifyId).toBe(alpha.order);
  });

  it("reads the shop from an admin-style https:// dest as well as a bare domain", () => {
    expect(shopFromDest("feedback-alpha.myshopify.com")).toBe(SHOP);
    expect(shopFromDest("https://Feedback-Alpha.myshopify.com")).toBe(SHOP);
    expect(shopFromDest("https://evil.example.com")).toBeNull();
    expect(shopFromDest("feedback-alpha.myshopify.com.evil.example")).toBeNull();
    expect(shopFromDest(42)).toBeNull();
  });
});

describe("POST /api/feedback: rejected tokens store nothing", () => {
  async function expectRejected(request: Request) {
    const { action, thankYouReward, setBirthdayMetafields } = endpoint();
    const before = { feedback: await feedbackCount(), birthdays: await db.customer.count({ where: { birthday: { not: null } } }) };
    const res = await call(action, request);
    expect(res.status).toBe(401);
    expect(await feedbackCount()).toBe(before.feedback);
    expect(await db.customer.count({ where: { birthday: { not: null } } })).toBe(before.birthdays);
    expect(thankYouReward).not.toHaveBeenCalled();
    expect(setBirthdayMetafields).not.toHaveBeenCalled();
    return res;
  }
  const withBirthday = (n: number) => answer(n, { birthday: "1990-05-17", birthdayConsent: true });

  it("no token", async () => {
    await expectRejected(feedbackRequest(withBirthday(101), null));
  });

  it("a token signed with another secret (forged)", async () => {
    await expectRejected(
      feedbackRequest(
        withBirthday(101),
        await checkoutToken(SHOP, { customer: alpha.customer, secret: "not-the-app-secret", overrides: { sub: alpha.customer } }),
      ),
    );
  });

  it("a genuine token whose claims were edited (signature no longer matches)", async () => {
    const genuine = await customerToken(SHOP, alpha.customer);
    const [header, payload, signature] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...claims, dest: OTHER })).toString("base64url");
    await expectRejected(feedbackRequest(withBirthday(202), `${header}.${edited}.${signature}`));
  });

  it("an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const res = await expectRejected(
      feedbackRequest(withBirthday(101), await customerToken(SHOP, alpha.customer, { exp: past, nbf: past - 300, iat: past - 300 })),
    );
    // The extension can read the answer: the library's 401 carries the same CORS headers as ours.
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("a token that is not valid yet", async () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    await expectRejected(
      feedbackRequest(withBirthday(101), await customerToken(SHOP, alpha.customer, { nbf: future, iat: future, exp: future + 300 })),
    );
  });

  it("a token for another app (audience is not our client id)", async () => {
    await expectRejected(feedbackRequest(withBirthday(101), await customerToken(SHOP, alpha.customer, { aud: "someone-elses-app" })));
  });

  it("a token for another shop naming this shop's order", async () => {
    await expectRejected(feedbackRequest(withBirthday(101), await customerToken(OTHER, beta.customer)));
    await expectRejected(feedbackRequest(withBirthday(101), await checkoutToken(OTHER)));
  });

  it("a token for a shop that never installed Kinship, or uninstalled it", async () => {
    await expectRejected(feedbackRequest(answer(101), await checkoutToken("stranger-shop.myshopify.com")));
    await db.shop.update({ where: { shop: SHOP }, data: { uninstalledAt: new Date() } });
    await expectRejected(feedbackRequest(answer(101), await customerToken(SHOP, alpha.customer)));
  });

  it("a token whose dest is not a shop domain", async () => {
    await expectRejected(feedbackRequest(answer(101), await checkoutToken(SHOP, { overrides: { dest: "https://evil.example.com" } })));
  });

  it("a logged-in customer answering for someone else's order", async () => {
    const { customer } = await seedShop(SHOP, 303);
    await expectRejected(feedbackRequest(withBirthday(101), await customerToken(SHOP, customer)));
  });
});

describe("POST /api/feedback: idempotent per order", () => {
  it("a second answer for the same order rewrites the first instead of adding a row", async () => {
    const { action } = endpoint();
    const token = await customerToken(SHOP, alpha.customer);
    expect((await call(action, feedbackRequest(answer(101, { score: 3, comment: "Late" }), token))).status).toBe(200);
    const first = await db.feedback.findFirstOrThrow();
    await db.feedback.update({ where: { id: first.id }, data: { note: "Called her", firstResponseAt: new Date() } });

    const again = await call(
      action,
      feedbackRequest(answer(101, { score: 8, reasons: [], comment: "Sorted out, thanks", locale: "hr" }), token),
    );
    expect(again.status).toBe(200);
    const rows = await db.feedback.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.id, score: 8, reasons: "", comment: "Sorted out, thanks", locale: "hr", note: "Called her" });
    // The queue's clock keeps running from the first answer.
    expect(rows[0].createdAt.getTime()).toBe(first.createdAt.getTime());
  });

  it("concurrent answers for one order end as one row", async () => {
    const { action } = endpoint();
    const token = await customerToken(SHOP, alpha.customer);
    const results = await Promise.all([1, 2, 3, 4].map((score) => call(action, feedbackRequest(answer(101, { score }), token))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await feedbackCount()).toBe(1);
  });

  it("a guest's later answer keeps the customer an earlier one was tied to", async () => {
    const { action } = endpoint();
    await call(action, feedbackRequest(answer(777), await customerToken(SHOP, alpha.customer)));
    await call(action, feedbackRequest(answer(777, { score: 9 }), await checkoutToken(SHOP)));
    expect(await db.feedback.findFirstOrThrow()).toMatchObject({ score: 9, customerShopifyId: alpha.customer });
  });
});

describe("POST /api/feedback: birthdays", () => {
  it("with consent, updates the customer and Shopify's facts.birth_date", async () => {
    const { action, setBirthdayMetafields } = endpoint();
    const res = await call(
      action,
      feedbackRequest(answer(101, { birthday: "1990-05-17", birthdayConsent: true }), await customerToken(SHOP, alpha.customer)),
    );
    expect(res.status).toBe(200);
    expect((await db.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: alpha.customer } })).birthday).toBe("1990-05-17");
    expect(setBirthdayMetafields).toHaveBeenCalledTimes(1);
    expect(setBirthdayMetafields.mock.calls[0]).toEqual([
      expect.objectContaining({ shop: SHOP }),
      [{ customerId: alpha.customer, birthDate: "1990-05-17" }],
    ]);
  });

  it("a Shopify failure loses neither the answer nor the local birthday", async () => {
    const log = vi.fn();
    const { action } = endpoint({
      setBirthdayMetafields: async () => {
        throw new Error("Shopify is down");
      },
      log,
    });
    const res = await call(
      action,
      feedbackRequest(answer(101, { birthday: "1990-05-17", birthdayConsent: true }), await customerToken(SHOP, alpha.customer)),
    );
    expect(res.status).toBe(200);
    expect(await feedbackCount(SHOP)).toBe(1);
    expect((await db.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: alpha.customer } })).birthday).toBe("1990-05-17");
    expect(log).toHaveBeenCalledWith("birthday not saved in Shopify", expect.objectContaining({ error: "Shopify is down" }));
  });

  it("a Shopify call that hangs is abandoned after the budget and the answer still returns", async () => {
    const { action } = endpoint({ shopifyBudgetMs: 50, setBirthdayMetafields: () => new Promise(() => {}) });
    const res = await call(
      action,
      feedbackRequest(answer(101, { birthday: "1990-05-17", birthdayConsent: true }), await customerToken(SHOP, alpha.customer)),
    );
    expect(res.status).toBe(200);
    expect(await feedbackCount(SHOP)).toBe(1);
  });

  it("without consent, nothing is stored at all", async () => {
    const { action, setBirthdayMetafields } = endpoint();
    const res = await call(action, feedbackRequest(answer(101, { birthday: "1990-05-17" }), await customerToken(SHOP, alpha.customer)));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ok: false, fieldErrors: { birthdayConsent: ["consent_required"] } });
    expect(await feedbackCount()).toBe(0);
    expect(setBirthdayMetafields).not.toHaveBeenCalled();
  });
});

describe("POST /api/feedback: thank-you reward", () => {
  it("is returned whatever the score, when the rewards engine grants one", async () => {
    const reward = { code: "THANKS7K2M9QX4", endsAt: "2026-12-23T23:00:00.000Z" };
    const thankYouReward = vi.fn(async () => reward);
    const { action } = endpoint({ thankYouReward });
    const { customer: second } = await seedShop(SHOP, 104);
    const low = await call(action, feedbackRequest(answer(101, { score: 0 }), await customerToken(SHOP, alpha.customer)));
    const high = await call(
      action,
      feedbackRequest(answer(104, { score: 10, reasons: [], comment: null }), await customerToken(SHOP, second)),
    );
    expect(low.body).toEqual({ ok: true, reward });
    expect(high.body).toEqual({ ok: true, reward });
    expect(thankYouReward).toHaveBeenCalledTimes(2);
  });

  it("a failing rewards engine costs the customer the code, never the answer", async () => {
    const { action } = endpoint({
      thankYouReward: async () => {
        throw new Error("discountCodeBasicCreate failed");
      },
    });
    const res = await call(action, feedbackRequest(answer(101), await customerToken(SHOP, alpha.customer)));
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(await feedbackCount(SHOP)).toBe(1);
  });

  it("is not asked for when there is no customer to give it to", async () => {
    const { action, thankYouReward } = endpoint();
    await call(action, feedbackRequest(answer(999_002), await checkoutToken(SHOP)));
    expect(thankYouReward).not.toHaveBeenCalled();
  });
});

describe("POST /api/feedback: transport", () => {
  it("answers the CORS preflight without a token", async () => {
    const res = await call(feedbackLoader as unknown as RouteHandler, feedbackRequest(null, null, { method: "OPTIONS" }));
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });

  it("caps the body before parsing it: 413 and nothing stored", async () => {
    const { action } = endpoint();
    const huge = JSON.stringify(answer(101, { comment: "x".repeat(MAX_BODY_BYTES) }));
    const res = await call(action, feedbackRequest(null, await customerToken(SHOP, alpha.customer), { raw: huge }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ ok: false, fieldErrors: { body: ["too_large"] } });
    expect(await feedbackCount()).toBe(0);
  });

  it("caps a body whose Content-Length understates it", async () => {
    const { action } = endpoint();
    const huge = JSON.stringify(answer(101, { comment: "y".repeat(MAX_BODY_BYTES * 2) }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(huge);
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096));
        controller.close();
      },
    });
    const token = await customerToken(SHOP, alpha.customer);
    const request = new Request("https://kinship.test/api/feedback", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Content-Length": "10" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await call(action, request);
    expect(res.status).toBe(413);
    expect(await feedbackCount()).toBe(0);
  });
});

describe("POST /api/feedback: rate limits", () => {
  it("per customer: the 4th attempt in the window gets 429 with Retry-After", async () => {
    const limiter = createFeedbackRateLimiter({ ...DEFAULT_FEEDBACK_LIMITS, customerAttempts: { limit: 3, windowMs: 60_000 } });
    const { action } = endpoint({ limiter });
    const token = await customerToken(SHOP, alpha.customer);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | null = null;
    for (let i = 0; i < 4; i++) {
      last = await call(action, feedbackRequest(answer(101, { score: i }), token));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.body).toEqual({ ok: false, error: "rate_limited" });
    expect(Number(last?.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await db.feedback.findFirstOrThrow()).score).toBe(2);
    // Another customer of the same shop is not affected.
    const { customer, order } = await seedShop(SHOP, 105);
    expect((await call(action, feedbackRequest(answer(105), await customerToken(SHOP, customer)))).status).toBe(200);
    expect(await db.feedback.count({ where: { orderShopifyId: order } })).toBe(1);
  });

  it("per shop: attempts beyond the shop's window get 429 before the body is read", async () => {
    const limiter = createFeedbackRateLimiter({ ...DEFAULT_FEEDBACK_LIMITS, shopAttempts: { limit: 2, windowMs: 60_000 } });
    const { action } = endpoint({ limiter });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(action, feedbackRequest(answer(900 + i), await checkoutToken(SHOP)))).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(await feedbackCount(SHOP)).toBe(2);
    // The other shop has its own window.
    expect((await call(action, feedbackRequest(answer(202), await customerToken(OTHER, beta.customer)))).status).toBe(200);
  });

  it("writes are counted in the database, so two app instances share the customer's limit", async () => {
    const limits = { ...DEFAULT_FEEDBACK_LIMITS, customerWrites: { limit: 2, windowMs: 3_600_000 } };
    const instanceA = endpoint({ limiter: createFeedbackRateLimiter(limits) }).action;
    const instanceB = endpoint({ limiter: createFeedbackRateLimiter(limits) }).action;
    const token = await customerToken(SHOP, alpha.customer);
    // Made-up order numbers: the pattern a valid token would use to fill the table.
    expect((await call(instanceA, feedbackRequest(answer(5001), token))).status).toBe(200);
    expect((await call(instanceB, feedbackRequest(answer(5002), token))).status).toBe(200);
    expect((await call(instanceA, feedbackRequest(answer(5003), token))).status).toBe(429);
    expect((await call(instanceB, feedbackRequest(answer(5004), token))).status).toBe(429);
    // Correcting an answer already stored is not another write.
    expect((await call(instanceB, feedbackRequest(answer(5002, { score: 9 }), token))).status).toBe(200);
    expect(await db.feedback.count({ where: { customerShopifyId: alpha.customer } })).toBe(2);
  });
});

describe("the test keys", () => {
  it("sign with the app's client id as audience", async () => {
    const token = await customerToken(SHOP, alpha.customer);
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
    expect(claims).toMatchObject({ aud: TEST_API_KEY, dest: SHOP, sub: alpha.customer });
    const guest = JSON.parse(Buffer.from((await checkoutToken(SHOP)).split(".")[1], "base64url").toString("utf8"));
    expect(guest.sub).toBeUndefined();
  });
});
