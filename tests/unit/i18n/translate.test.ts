import { describe, expect, it } from "vitest";
import { messagesFor, resolveLocale, translate, translatePlural } from "../../../app/i18n";
import { createTranslator, interpolate } from "../../../app/i18n/translator";
import { lifecycleReasonText } from "../../../app/i18n/lifecycle-reason";
import { fieldErrors } from "../../../app/i18n/form-errors";
import { lifecycleFormSchema } from "../../../app/models/shop-settings.server";

describe("resolveLocale", () => {
  it.each([
    ["uk-UA", "uk"],
    ["ru", "ru"],
    ["hr-HR", "hr"],
    ["HR_hr", "hr"],
    ["en-GB", "en"],
    ["fr", "en"],
    ["", "en"],
    [null, "en"],
    ["<script>", "en"],
  ])("%s → %s", (requested, expected) => {
    expect(resolveLocale(requested)).toBe(expected);
  });
});

describe("translate", () => {
  it("uses the locale's text and fills placeholders", () => {
    expect(translate("uk", "dashboard.welcome", { shop: "Квіти" })).toBe("Kinship підключено до Квіти.");
    expect(translate("hr", "settings.deleteType", { shop: "cvijece.myshopify.com" })).toBe("Upišite cvijece.myshopify.com za potvrdu");
  });

  it("falls back to English for a key a language lacks", () => {
    // "nps.score" exists in every language; a key only English has must still render.
    const onlyEnglish = messagesFor("en", ["dashboard"]);
    expect(onlyEnglish["dashboard.title"]).toBe("Dashboard");
    const uk = messagesFor("uk", ["dashboard", "no-such-prefix"]);
    expect(uk["dashboard.title"]).toBe("Огляд");
    expect(Object.keys(uk).every((k) => k.startsWith("dashboard."))).toBe(true);
  });

  it("leaves unknown placeholders visible instead of printing undefined", () => {
    expect(interpolate("Hello {name}, {missing}", { name: "Ana" })).toBe("Hello Ana, {missing}");
  });
});

describe("plurals", () => {
  const count = (locale: "en" | "uk" | "ru" | "hr", n: number) => translatePlural(locale, "customers.count", n);

  it("English: one / other", () => {
    expect([1, 2, 5, 21].map((n) => count("en", n))).toEqual(["1 customer", "2 customers", "5 customers", "21 customers"]);
  });

  it("Ukrainian: one / few / many, by the last digits", () => {
    expect([1, 2, 5, 11, 21, 22, 25, 111].map((n) => count("uk", n))).toEqual([
      "1 клієнт",
      "2 клієнти",
      "5 клієнтів",
      "11 клієнтів",
      "21 клієнт",
      "22 клієнти",
      "25 клієнтів",
      "111 клієнтів",
    ]);
  });

  it("Russian: one / few / many", () => {
    expect([1, 3, 12, 101, 104].map((n) => count("ru", n))).toEqual(["1 клиент", "3 клиента", "12 клиентов", "101 клиент", "104 клиента"]);
  });

  it("Croatian: one / few / other", () => {
    expect([1, 2, 5, 21, 24, 13].map((n) => count("hr", n))).toEqual([
      "1 kupac",
      "2 kupca",
      "5 kupaca",
      "21 kupac",
      "24 kupca",
      "13 kupaca",
    ]);
  });

  it("writes the count the locale's way", () => {
    expect(count("en", 200000)).toBe("200,000 customers");
    expect(count("uk", 200000)).toBe("200\u00a0000 клієнтів");
    expect(count("hr", 200000)).toBe("200.000 kupaca");
  });

  it("in the browser, from the messages a loader sent", () => {
    const t = createTranslator("ru", messagesFor("ru", ["customers"]));
    expect(t.tp("customers.count", 2)).toBe("2 клиента");
    expect(t.t("customers.title")).toBe("Клиенты");
    // A message the loader did not send shows its key rather than crashing.
    expect(t.t("settings.title")).toBe("settings.title");
  });
});

describe("lifecycle reasons", () => {
  const reason = {
    rule: "overdue" as const,
    orders: 1,
    daysSinceLastOrder: 400,
    usualIntervalDays: 90,
    intervalSource: "default" as const,
    shopTypicalIntervalDays: null,
    pAlive: null,
    pAliveThreshold: 0.3,
    intervalMultiple: 3,
  };

  it("reads naturally in each language", () => {
    expect(lifecycleReasonText(reason, "en")).toBe(
      "1 order, 400 days ago, no repeat purchases in this shop yet, so a cycle of 90 days is assumed; no order for more than 3× that.",
    );
    expect(lifecycleReasonText(reason, "uk")).toBe(
      "1 замовлення, 400 днів тому, у магазині ще немає повторних покупок, тому взято цикл 90 днів; немає замовлень довше ніж 3× від цього.",
    );
    expect(
      lifecycleReasonText(
        { ...reason, rule: "returned", orders: 2, intervalSource: "customer", usualIntervalDays: 22, daysSinceLastOrder: 3, pAlive: 0.87 },
        "ru",
      ),
    ).toBe(
      "2 заказа, последний 3 дня назад, обычно покупает каждые 22 дня; вернулся и, вероятно, всё ещё активен (вероятность 87\u00a0%).",
    );
  });
});

describe("form errors", () => {
  it("become one message per field in the admin's language", () => {
    const result = lifecycleFormSchema.safeParse({
      pAliveThreshold: "0",
      intervalMultiple: "x",
      defaultIntervalDays: "7.5",
      regularMinOrders: "1000",
      regularMinFrequencyScore: "",
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error, "uk")).toEqual({
      pAliveThreshold: "Введіть 1 або більше.",
      intervalMultiple: "Введіть число.",
      defaultIntervalDays: "Введіть ціле число.",
      regularMinOrders: "Введіть 100 або менше.",
      regularMinFrequencyScore: "Введіть значення.",
    });
  });
});
