import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { createFeedbackAction } from "../../../app/routes/api.feedback";
import { createFeedbackRateLimiter } from "../../../app/models/rate-limit.server";
import { loader as authLoader } from "../../../app/routes/auth.$";
import { action as loginAction, loader as loginLoader } from "../../../app/routes/auth.login/route";
import { hostParam } from "../../emulator/admin-frame/server";
import { resetDatabase } from "../../support/fixtures";
import { TEST_APP_URL } from "../../support/test-env";
import { answer, call, customerToken, feedbackRequest, seedShop, type RouteHandler } from "../../support/feedback";

const SHOP = "bad-input.myshopify.com";
const roomy = { limit: 1000, windowMs: 60_000 };
const logged: string[] = [];
const feedbackAction = createFeedbackAction({
  limiter: createFeedbackRateLimiter({ shopAttempts: roomy, customerAttempts: roomy, shopWrites: roomy, customerWrites: roomy }),
  thankYouReward: async () => null,
  setBirthdayMetafields: async () => ({ written: 0, refused: [] }),
  log: (message, detail) => logged.push(`${message} ${JSON.stringify(detail)}`),
}) as unknown as RouteHandler;

beforeEach(async () => {
  await resetDatabase();
  logged.length = 0;
});

describe("a buyer's comment with lone UTF-16 surrogates", () => {
  it.each([
    ["a lone high surrogate", "Late \\ud83d parcel", "Late \uFFFD parcel"],
    ["a lone low surrogate", "\\ude00 broken", "\uFFFD broken"],
    ["a reversed pair", "x\\ude00\\ud83dy", "x\uFFFD\uFFFDy"],
    ["a valid pair beside a lone half", "\\ud83d\\ude00\\ud83d", "\u{1F600}\uFFFD"],
  ])("%s: stored well-formed (U+FFFD for each lone half), answered 200", async (_label, escaped, stored) => {
    const { customer } = await seedShop(SHOP, 5151);
    const token = await customerToken(SHOP, customer);
    // JSON escapes are the only way a lone surrogate survives the trip (UTF-8 cannot carry one).
    const raw = JSON.stringify(answer(5151, { comment: "COMMENT" })).replace('"COMMENT"', `"${escaped}"`);
    const posted = await call(feedbackAction, feedbackRequest(null, token, { raw }));
    expect(logged).toEqual([]);
    expect(posted.status).toBe(200);
    const rows = await db.feedback.findMany({ where: { shop: SHOP } });
    expect(rows.map((r) => r.comment)).toEqual([stored]);
  });
});

async function answerOf(run: () => Promise<unknown>): Promise<{ status: number; body: string }> {
  try {
    const response = (await run()) as Response | null;
    return { status: response?.status ?? 200, body: response ? await response.text() : "" };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    return { status: 500, body: String(thrown) };
  }
}

describe("the auth routes with input the Shopify library refuses", () => {
  const shop = "bad-input.myshopify.com";
  it.each([
    ["another site", "https://evil.example/steal"],
    ["a protocol-relative URL", "//evil.example/steal"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a storefront page", `https://${shop}/pages/x`],
  ])("/auth/exit-iframe to %s: a 400 page, unauthenticated, nothing stored", async (_label, destination) => {
    const url = new URL(`${TEST_APP_URL}/auth/exit-iframe`);
    url.search = new URLSearchParams({ shop, host: hostParam(shop), exitIframe: destination, locale: "uk" }).toString();
    const answer = await answerOf(() => authLoader({ request: new Request(url), params: { "*": "exit-iframe" }, context: {} }));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<h1>Це посилання для входу недійсне</h1>");
    expect(answer.body).not.toContain("evil.example");
    expect(await db.session.count()).toBe(0);
  });

  it("/auth/exit-iframe to the app itself still renders the redirect", async () => {
    const url = new URL(`${TEST_APP_URL}/auth/exit-iframe`);
    url.search = new URLSearchParams({ shop, host: hostParam(shop), exitIframe: `${TEST_APP_URL}/app` }).toString();
    const answer = await answerOf(() => authLoader({ request: new Request(url), params: { "*": "exit-iframe" }, context: {} }));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`window.open(${JSON.stringify(`${TEST_APP_URL}/app`)}`);
  });

  it.each(["", "not a shop", "evil.example", "%00", "a".repeat(5000)])("/auth/login with shop %j answers without a 5xx", async (value) => {
    const get = await answerOf(() =>
      loginLoader({ request: new Request(`${TEST_APP_URL}/auth/login?shop=${encodeURIComponent(value)}`), params: {}, context: {} }),
    );
    const post = await answerOf(() =>
      loginAction({
        request: new Request(`${TEST_APP_URL}/auth/login`, { method: "POST", body: new URLSearchParams({ shop: value }) }),
        params: {},
        context: {},
      }),
    );
    expect(get.status).toBeLessThan(500);
    expect(post.status).toBeLessThan(500);
  });
});
