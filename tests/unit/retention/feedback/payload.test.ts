import { parseFeedbackPayload, birthdayProblem } from "../../../../app/retention/feedback/payload";

const TODAY = "2026-02-10";
const valid = {
  score: 3,
  reasons: ["delivery", "price"],
  comment: "Arrived late",
  locale: "en",
  orderId: "gid://shopify/Order/5551234",
};

function errorsFor(input: unknown) {
  const result = parseFeedbackPayload(input, { today: TODAY });
  if (result.ok) throw new Error(`expected rejection, got ${JSON.stringify(result.data)}`);
  return result.fieldErrors;
}

function dataFor(input: unknown) {
  const result = parseFeedbackPayload(input, { today: TODAY });
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.fieldErrors)}`);
  return result.data;
}

describe("parseFeedbackPayload: accepted", () => {
  it("normalises a full low-score answer", () => {
    expect(dataFor(valid)).toEqual({
      score: 3,
      reasons: ["delivery", "price"],
      comment: "Arrived late",
      birthday: null,
      birthdayConsent: false,
      consentTextVersion: null,
      locale: "en",
      orderId: "gid://shopify/Order/5551234",
    });
  });

  it("accepts a bare score with defaults for the optional fields", () => {
    expect(dataFor({ score: 10, locale: "uk", orderId: "gid://shopify/Order/1" })).toMatchObject({
      reasons: [],
      comment: null,
      birthday: null,
    });
  });

  it("accepts both ends of the scale", () => {
    expect(dataFor({ ...valid, score: 0 }).score).toBe(0);
    expect(dataFor({ ...valid, score: 10 }).score).toBe(10);
  });

  it("maps the thank-you page's OrderIdentity GID to the Order GID", () => {
    expect(dataFor({ ...valid, orderId: "gid://shopify/OrderIdentity/5551234" }).orderId).toBe("gid://shopify/Order/5551234");
  });

  it("dedupes reasons into the survey's order", () => {
    expect(dataFor({ ...valid, reasons: ["price", "delivery", "price"] }).reasons).toEqual(["delivery", "price"]);
  });

  it("keeps <script> in a comment as plain text, byte for byte", () => {
    const comment = `<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted" 'single'`;
    expect(dataFor({ ...valid, comment }).comment).toBe(comment);
  });

  it("accepts exactly 2000 characters, trims, normalises newlines and drops control characters", () => {
    expect(dataFor({ ...valid, comment: "x".repeat(2000) }).comment).toHaveLength(2000);
    expect(dataFor({ ...valid, comment: "  line 1\r\nline 2\u0000\u0007\tend  " }).comment).toBe("line 1\nline 2\tend");
    expect(dataFor({ ...valid, comment: "   " }).comment).toBeNull();
    expect(dataFor({ ...valid, comment: null }).comment).toBeNull();
  });

  it("keeps non-Latin text intact", () => {
    const comment = "Посилка прийшла пошкоджена 📦 — dostava kasni";
    expect(dataFor({ ...valid, comment, locale: "uk" }).comment).toBe(comment);
  });

  it("accepts a consented birthday, including 29 February", () => {
    expect(dataFor({ ...valid, birthday: "1988-02-29", birthdayConsent: true })).toMatchObject({
      birthday: "1988-02-29",
      birthdayConsent: true,
    });
  });

  it("ignores consent without a birthday and unknown extra keys", () => {
    const data = dataFor({ ...valid, birthdayConsent: true, extra: { nested: 1 } });
    expect(data.birthdayConsent).toBe(false);
    expect(data).not.toHaveProperty("extra");
  });

  it.each(["en", "uk", "pt-BR", "zh-Hant-TW"])("accepts locale %s", (locale) => {
    expect(dataFor({ ...valid, locale }).locale).toBe(locale);
  });
});

describe("parseFeedbackPayload: fuzzing", () => {
  it.each([null, undefined, "score=3", 42, [valid], true])("rejects a non-object body %j", (body) => {
    expect(errorsFor(body)).toEqual({ body: ["invalid_type"] });
  });

  it.each([
    [-1, "out_of_range"],
    [11, "out_of_range"],
    [1e9, "out_of_range"],
    [3.5, "not_integer"],
    [Number.POSITIVE_INFINITY, "not_integer"], // and out_of_range, checked below
    [Number.NaN, "invalid_type"],
    ["7", "invalid_type"],
    [true, "invalid_type"],
    [null, "invalid_type"],
    [[7], "invalid_type"],
    [{ value: 7 }, "invalid_type"],
  ])("score %j → %s", (score, code) => {
    expect(errorsFor({ ...valid, score }).score?.[0]).toBe(code);
  });

  it("reports every problem with a score, not only the first", () => {
    expect(errorsFor({ ...valid, score: Number.POSITIVE_INFINITY }).score).toEqual(["not_integer", "out_of_range"]);
    expect(errorsFor({ ...valid, score: 12.5 }).score).toEqual(["not_integer", "out_of_range"]);
  });

  it("requires the score, locale and order id", () => {
    expect(errorsFor({})).toEqual({ score: ["required"], locale: ["required"], orderId: ["required"] });
  });

  it("rejects unknown reasons and wrong reason types", () => {
    expect(errorsFor({ ...valid, reasons: ["delivery", "too_slow"] }).reasons).toEqual(["unknown_reason"]);
    expect(errorsFor({ ...valid, reasons: ["<script>"] }).reasons).toEqual(["unknown_reason"]);
    expect(errorsFor({ ...valid, reasons: ["DELIVERY"] }).reasons).toEqual(["unknown_reason"]);
    expect(errorsFor({ ...valid, reasons: [1] }).reasons).toEqual(["invalid_type"]);
    expect(errorsFor({ ...valid, reasons: "delivery" }).reasons).toEqual(["invalid_type"]);
    expect(errorsFor({ ...valid, reasons: Array(50).fill("price") }).reasons).toEqual(["too_many"]);
  });

  it("rejects comments over 2000 characters, huge ones included", () => {
    expect(errorsFor({ ...valid, comment: "x".repeat(2001) }).comment).toEqual(["too_long"]);
    expect(errorsFor({ ...valid, comment: "<script>".repeat(1_000_000) }).comment).toEqual(["too_long"]);
    expect(errorsFor({ ...valid, comment: 12 }).comment).toEqual(["invalid_type"]);
    expect(errorsFor({ ...valid, comment: { text: "hi" } }).comment).toEqual(["invalid_type"]);
  });

  it.each([
    ["1990-02-30", "invalid_date"],
    ["1990-13-01", "invalid_date"],
    ["17.05.1990", "invalid_date"],
    ["1990-05-17T00:00:00Z", "invalid_date"],
    ["", "invalid_date"],
    ["2026-02-12", "future_date"],
    ["2999-01-01", "future_date"],
    ["1899-12-31", "implausible_year"],
    ["0001-01-01", "implausible_year"],
  ])("birthday %s → %s", (birthday, code) => {
    expect(errorsFor({ ...valid, birthday, birthdayConsent: true }).birthday).toEqual([code]);
  });

  it("allows a day of clock slack for buyers ahead of UTC", () => {
    expect(birthdayProblem("2026-02-11", TODAY)).toBeNull();
  });

  it("requires consent with a birthday", () => {
    expect(errorsFor({ ...valid, birthday: "1990-05-17" })).toEqual({
      birthdayConsent: ["consent_required"],
    });
    expect(errorsFor({ ...valid, birthday: "1990-05-17", birthdayConsent: false })).toEqual({
      birthdayConsent: ["consent_required"],
    });
    expect(errorsFor({ ...valid, birthday: "1990-05-17", birthdayConsent: "yes" }).birthdayConsent).toEqual(["invalid_type"]);
  });

  it("rejects a birthday of the wrong type", () => {
    expect(errorsFor({ ...valid, birthday: 19900517, birthdayConsent: true }).birthday).toEqual(["invalid_type"]);
  });

  it.each(["", "gid://shopify/Customer/1", "gid://shopify/Order/", "gid://shopify/Order/0", "1; DROP TABLE", 42])(
    "rejects order id %j",
    (orderId) => {
      expect(errorsFor({ ...valid, orderId }).orderId).toEqual([typeof orderId === "string" ? "invalid_order_id" : "invalid_type"]);
    },
  );

  it.each(["", "english", "en_US", "<script>", "x".repeat(200)])("rejects locale %j", (locale) => {
    expect(errorsFor({ ...valid, locale }).locale).toEqual(["invalid_locale"]);
  });

  it("reports every bad field at once", () => {
    expect(errorsFor({ score: "ten", reasons: ["nope"], comment: "x".repeat(3000), locale: 5, orderId: "abc" })).toEqual({
      score: ["invalid_type"],
      reasons: ["unknown_reason"],
      comment: ["too_long"],
      locale: ["invalid_type"],
      orderId: ["invalid_order_id"],
    });
  });

  it("survives random junk without throwing, and accepts only 0–10 integers as scores", () => {
    const junk: unknown[] = [null, undefined, "", "10", -0, 0.1, 2 ** 53, [], {}, () => 1, Symbol("s"), 10n, new Date(), "\u0000"];
    for (const score of junk) {
      for (const comment of junk) {
        const result = parseFeedbackPayload({ ...valid, score, comment }, { today: TODAY });
        if (result.ok) {
          expect(Number.isInteger(result.data.score) && result.data.score >= 0 && result.data.score <= 10).toBe(true);
        } else {
          expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
        }
      }
    }
  });
});
