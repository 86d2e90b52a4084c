// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createFakeShopify } from "./fake-shopify";
import {
  chooseReasons,
  chooseScore,
  clickButton,
  enterBirthday,
  find,
  mountExtension,
  query,
  settle,
  typeComment,
  unmountExtension,
  visibleText,
} from "./drive";

const APP_URL = "https://kinship.test";
const THANK_YOU = "purchase.thank-you.block.render" as const;
const ORDER_STATUS = "customer-account.order-status.block.render" as const;

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Answers of the survey's POSTs (the answer); GETs (the app's configuration) go to `configMock`. */
let fetchMock: ReturnType<typeof vi.fn<(url: string, init?: RequestInit) => Promise<Response>>>;
let configMock: ReturnType<typeof vi.fn<(url: string, init?: RequestInit) => Promise<Response>>>;
/** The threshold the app's Settings hold, as GET /api/feedback reports it. */
const appSays = (lowScoreThreshold: number) => jsonResponse(200, { ok: true, config: { lowScoreThreshold } });

function sentRequest(call = 0): { url: string; init: RequestInit; body: Record<string, unknown> } {
  const [url, init] = fetchMock.mock.calls[call] as [string, RequestInit];
  return { url, init, body: JSON.parse(String(init.body)) };
}

beforeEach(() => {
  vi.stubEnv("KINSHIP_APP_URL", APP_URL);
  fetchMock = vi.fn(async () => jsonResponse(200, { ok: true }));
  configMock = vi.fn(async () => appSays(6));
  const route = (url: string, init?: RequestInit): Promise<Response> =>
    (init?.method === "GET" ? configMock : fetchMock)(url, init) as Promise<Response>;
  vi.stubGlobal("fetch", route);
});

afterEach(async () => {
  await unmountExtension();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe("thank-you page, English", () => {
  it("asks, collects a low score with reasons and comment, sends it with the session token, and thanks", async () => {
    const fake = createFakeShopify({ target: THANK_YOU, locale: "en", orderNumber: "5551234" });
    await mountExtension(fake, THANK_YOU);

    expect(find("s-section").getAttribute("heading")).toBe("How did we do?");
    const score = find('s-choice-list[name="score"]');
    expect(score.getAttribute("label")).toBe("How likely are you to recommend us to a friend?");
    expect([...score.querySelectorAll("s-choice")].map((c) => c.getAttribute("value"))).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
    ]);
    expect(query('s-choice-list[name="reasons"]')).toBeNull();

    await chooseScore(3);
    const reasons = find('s-choice-list[name="reasons"]');
    expect(reasons.getAttribute("label")).toBe("Sorry to hear that. What went wrong?");
    expect([...reasons.querySelectorAll("s-choice")].map((c) => c.textContent)).toEqual([
      "Delivery",
      "Product not as described",
      "Price",
      "Customer service",
      "Something else",
    ]);

    await chooseReasons("price", "delivery");
    const comment = "Box arrived crushed <script>alert(1)</script>";
    await typeComment(comment);
    await clickButton("Send feedback");

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const { url, init, body } = sentRequest();
    expect(url).toBe(`${APP_URL}/api/feedback`);
    expect(init.method).toBe("POST");
    expect(init.headers).toMatchObject({
      Authorization: "Bearer session-token-abc",
      "Content-Type": "application/json",
    });
    expect(fake.sessionToken.get).toHaveBeenCalled();
    expect(body).toEqual({
      score: 3,
      reasons: ["delivery", "price"],
      comment,
      locale: "en",
      orderId: "gid://shopify/Order/5551234",
    });

    expect(find("s-section").getAttribute("heading")).toBe("Thank you for your feedback!");
    expect(visibleText()).toContain("We're sorry we let you down.");
    expect(query("s-banner")).toBeNull();
    expect(fake.store.get("kinship-feedback:5551234")).toMatchObject({ outcome: "submitted" });
  });

  it("keeps the comment as text: markup in it is never turned into elements", async () => {
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(0);
    await typeComment("<img src=x onerror=alert(1)><script>alert(2)</script>");
    expect(document.body.querySelector("img, script")).toBeNull();
  });

  it("checks the birthday before sending: consent is required", async () => {
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(10);
    await enterBirthday("1990-05-17", false);
    await clickButton("Send feedback");

    expect(fetchMock).not.toHaveBeenCalled();
    expect(find('s-checkbox[name="birthdayConsent"]').getAttribute("error")).toBe(
      "Tick the box so we may save your birthday, or clear the date.",
    );
  });

  it("shows field errors the backend returns, translated, and lets the buyer retry", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(400, { ok: false, fieldErrors: { birthday: ["future_date"] } }));
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(8);
    await enterBirthday("1990-05-17", true);
    await clickButton("Send feedback");

    expect(find('s-date-field[name="birthday"]').getAttribute("error")).toBe("Your birthday can't be in the future.");
    expect(fake.store.size).toBe(0);

    await enterBirthday("1990-05-16", true);
    await clickButton("Send feedback");
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(sentRequest(1).body).toMatchObject({ birthday: "1990-05-16", birthdayConsent: true });
    expect(find("s-section").getAttribute("heading")).toBe("Thank you for your feedback!");
  });

  it("uses the app's threshold: with 8 in Kinship's Settings, a score of 8 asks what went wrong", async () => {
    configMock.mockResolvedValueOnce(appSays(8));
    // A block setting left from an older version does not count.
    const fake = createFakeShopify({ target: THANK_YOU, settings: { low_score_threshold: 3 } });
    await mountExtension(fake, THANK_YOU);
    const [url, init] = configMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${APP_URL}/api/feedback`);
    expect((init.headers as Record<string, string>).Authorization).toMatch(/^Bearer /);
    await chooseScore(8);
    expect(query('s-choice-list[name="reasons"]')).not.toBeNull();
    await chooseScore(9);
    expect(query('s-choice-list[name="reasons"]')).toBeNull();
  });

  it("shows nothing when the app cannot say its threshold", async () => {
    configMock.mockResolvedValueOnce(jsonResponse(500, { ok: false }));
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    expect(query("s-section")).toBeNull();
  });

  it("leaves out the birthday field when the merchant turned it off", async () => {
    const fake = createFakeShopify({ target: THANK_YOU, settings: { ask_birthday: false } });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(9);
    expect(query("s-date-field")).toBeNull();
  });
});

describe("order-status page, Ukrainian", () => {
  it("collects a high score and a consented birthday, and shows the reward in Ukrainian", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ok: true, reward: { code: "THANKS-7Q2", endsAt: "2026-03-31T12:00:00.000Z" } }));
    const fake = createFakeShopify({ target: ORDER_STATUS, locale: "uk", orderNumber: "777" });
    await mountExtension(fake, ORDER_STATUS);

    expect(find("s-section").getAttribute("heading")).toBe("Як ми впоралися?");
    expect(find('s-choice-list[name="score"]').getAttribute("label")).toBe("Наскільки ймовірно, що ви порекомендуєте нас другу?");
    await chooseScore(9);
    expect(query('s-choice-list[name="reasons"]')).toBeNull();
    expect(find('s-date-field[name="birthday"]').getAttribute("label")).toBe("Ваш день народження (необов’язково)");
    expect(visibleText()).toContain("Щоб ми могли надіслати вам подарунок до дня народження.");

    await enterBirthday("1988-02-29", true);
    await clickButton("Надіслати відгук");

    expect(sentRequest().body).toEqual({
      score: 9,
      reasons: [],
      birthday: "1988-02-29",
      birthdayConsent: true,
      consentTextVersion: "survey-birthday-1",
      locale: "uk",
      orderId: "gid://shopify/Order/777",
    });
    expect(find("s-section").getAttribute("heading")).toBe("Дякуємо за ваш відгук!");
    expect(visibleText()).toContain("Ми раді, що ви задоволені замовленням.");
    expect(find("s-banner").getAttribute("heading")).toBe("Невеликий подарунок від нас");
    expect(visibleText()).toContain("Використайте код THANKS-7Q2 під час наступного замовлення.");
    const ukDate = new Intl.DateTimeFormat("uk", { timeZone: "UTC", dateStyle: "long" }).format(new Date("2026-03-31T12:00:00.000Z"));
    expect(visibleText()).toContain(`Дійсний до ${ukDate}.`);
    expect(find("s-clipboard-item").getAttribute("text")).toBe("THANKS-7Q2");
    expect(fake.store.get("kinship-feedback:777")).toMatchObject({ outcome: "submitted" });
  });

  it("drives a low score in Ukrainian with translated reasons", async () => {
    const fake = createFakeShopify({ target: ORDER_STATUS, locale: "uk" });
    await mountExtension(fake, ORDER_STATUS);
    await chooseScore(2);
    const reasons = find('s-choice-list[name="reasons"]');
    expect([...reasons.querySelectorAll("s-choice")].map((c) => c.textContent)).toEqual([
      "Доставка",
      "Товар не відповідає опису",
      "Ціна",
      "Обслуговування клієнтів",
      "Інше",
    ]);
    await chooseReasons("product_not_as_described");
    await clickButton("Надіслати відгук");
    expect(sentRequest().body).toMatchObject({
      score: 2,
      reasons: ["product_not_as_described"],
      locale: "uk",
    });
    expect(visibleText()).toContain("Нам шкода, що ми вас розчарували.");
  });
});

describe("Russian and Croatian render", () => {
  it.each([
    ["ru", "Как мы справились?", "Отправить отзыв"],
    ["hr", "Kako smo se pokazali?", "Pošalji povratne informacije"],
  ])("%s", async (locale, heading, submit) => {
    const fake = createFakeShopify({ target: THANK_YOU, locale });
    await mountExtension(fake, THANK_YOU);
    expect(find("s-section").getAttribute("heading")).toBe(heading);
    await chooseScore(10);
    await clickButton(submit);
    expect(sentRequest().body).toMatchObject({ score: 10, locale });
  });
});

describe("degrades to nothing", () => {
  it("renders nothing when the backend is unreachable, and does not remember the order", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(4);
    await clickButton("Send feedback");

    expect(document.body.innerHTML).toBe("");
    expect(fake.storage.write).not.toHaveBeenCalled();
  });

  it.each([
    ["a server error", () => jsonResponse(500, { error: "boom" })],
    ["a rejected token", () => jsonResponse(401, {})],
    ["rate limiting", () => jsonResponse(429, { ok: false })],
    ["a non-JSON answer", () => new Response("<html>Bad gateway</html>", { status: 502 })],
  ])("renders nothing after %s", async (_label, respond) => {
    fetchMock.mockResolvedValueOnce(respond());
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(9);
    await clickButton("Send feedback");
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing when the session token cannot be had", async () => {
    const fake = createFakeShopify({ target: THANK_YOU });
    fake.sessionToken.get.mockRejectedValueOnce(new Error("no token"));
    await mountExtension(fake, THANK_YOU);
    // The token is first needed to ask the app for its threshold: without it nothing is shown or sent.
    expect(configMock).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing when no backend URL was built in", async () => {
    vi.stubEnv("KINSHIP_APP_URL", "");
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing while the order is unknown, then appears once it loads", async () => {
    const fake = createFakeShopify({ target: ORDER_STATUS, orderNumber: null });
    await mountExtension(fake, ORDER_STATUS);
    expect(document.body.innerHTML).toBe("");

    await act(() => {
      (fake.api.order as { value: unknown }).value = { id: "gid://shopify/Order/42", name: "#1042" };
    });
    await settle();
    expect(query('s-choice-list[name="score"]')).not.toBeNull();
  });

  it("still renders when storage fails to read (storage is best effort)", async () => {
    const fake = createFakeShopify({ target: THANK_YOU });
    fake.storage.read.mockRejectedValueOnce(new Error("quota"));
    await mountExtension(fake, THANK_YOU);
    expect(query('s-choice-list[name="score"]')).not.toBeNull();
  });
});

describe("at most once per order", () => {
  it("does not show again on the order-status page after answering on the thank-you page", async () => {
    const thankYou = createFakeShopify({ target: THANK_YOU, orderNumber: "9001" });
    await mountExtension(thankYou, THANK_YOU);
    await chooseScore(7);
    await clickButton("Send feedback");
    await unmountExtension();

    const stored = Object.fromEntries(thankYou.store);
    const orderStatus = createFakeShopify({ target: ORDER_STATUS, orderNumber: "9001", stored });
    await mountExtension(orderStatus, ORDER_STATUS);
    expect(document.body.innerHTML).toBe("");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("still asks about a different order", async () => {
    const fake = createFakeShopify({
      target: ORDER_STATUS,
      orderNumber: "9002",
      stored: { "kinship-feedback:9001": { outcome: "submitted", at: "2026-01-01T00:00:00Z" } },
    });
    await mountExtension(fake, ORDER_STATUS);
    expect(query('s-choice-list[name="score"]')).not.toBeNull();
  });

  it('"No thanks" hides the survey and remembers it for the order', async () => {
    const fake = createFakeShopify({ target: THANK_YOU, orderNumber: "31" });
    await mountExtension(fake, THANK_YOU);
    await clickButton("No thanks");
    expect(document.body.innerHTML).toBe("");
    expect(fetchMock).not.toHaveBeenCalled();
    expect(fake.store.get("kinship-feedback:31")).toMatchObject({ outcome: "dismissed" });
  });

  it('sends once even if "Send" is pressed again while the first request is in flight', async () => {
    let release: (response: Response) => void = () => undefined;
    fetchMock.mockImplementationOnce(() => new Promise<Response>((resolve) => (release = resolve)));
    const fake = createFakeShopify({ target: THANK_YOU });
    await mountExtension(fake, THANK_YOU);
    await chooseScore(9);
    await clickButton("Send feedback");
    expect(find("s-button").hasAttribute("loading")).toBe(true);
    await clickButton("Send feedback");
    release(jsonResponse(200, { ok: true }));
    await settle();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(find("s-section").getAttribute("heading")).toBe("Thank you for your feedback!");
  });
});
