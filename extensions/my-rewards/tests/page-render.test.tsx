// @vitest-environment happy-dom
/**
 * The "My rewards" page's real entry module rendered against the stand-in customer-account host
 * (../../shared/testing/fake-host.ts) and a stand-in of the backend route that follows the contract.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { clickButton, find, mount, query, setField, settle, unmount, visibleText } from "../../shared/testing/drive";
import { createFakeShopify, LOCALES, type FakeShopify } from "./fake-shopify";
import { APP_URL, silverCustomer, standInBackend, unknownCustomer } from "./stand-in-backend";

type Backend = ReturnType<typeof standInBackend>;
let backend: Backend;

beforeEach(() => {
  vi.stubEnv("KINSHIP_APP_URL", APP_URL);
});

afterEach(async () => {
  await unmount();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

async function open(options: { locale?: string; backend?: Backend } = {}): Promise<FakeShopify> {
  backend = options.backend ?? standInBackend();
  vi.stubGlobal("fetch", backend.fetch);
  const fake = createFakeShopify({ locale: options.locale ?? "en", token: "customer-token" });
  await mount(fake, () => import("../src/Page"));
  return fake;
}

const sectionText = (heading: string) => {
  const section = [...document.body.querySelectorAll("s-section")].find((s) => s.getAttribute("heading") === heading);
  if (!section) throw new Error(`no section "${heading}" in:\n${document.body.innerHTML}`);
  return (section.textContent ?? "").replace(/\s+/g, " ").trim();
};

// What a shopper reads, written out per language (Shopify formats money and dates like Intl in the
// shopper's locale; dates in the shop's time zone, Europe/Kyiv).
const EXPECTED = {
  en: {
    toNext: "UAH 1,200 more to Gold",
    current: "You're a Silver member.",
    spend: "You've spent UAH 3,800 with us so far.",
    birthdayCode: ["Birthday gift", "15% off", "Valid until December 20, 2026"],
    tierCode: ["Tier reward", "UAH 200 off", "On orders of UAH 500 or more", "Valid until January 1, 2027"],
    newReasonCode: ["Thanks for your photo review", "Free shipping", "No expiry date"],
    credit: ["Balance: UAH 150", "Use it by January 31, 2027"],
    answer: [
      "4 out of 10 · November 2, 2026",
      "What went wrong: Delivery, Price",
      "“The parcel came a week late.”",
      "9 out of 10 · June 10, 2026",
    ],
  },
  uk: {
    toNext: "Ще 1 200 ₴ до рівня Gold",
    current: "Ваш рівень — Silver.",
    spend: "Ви вже витратили у нас 3 800 ₴.",
    birthdayCode: ["Подарунок до дня народження", "Знижка 15%", "Дійсний до 20 грудня 2026 р."],
    tierCode: ["Винагорода за рівень", "Знижка 200 ₴", "Для замовлень від 500 ₴", "Дійсний до 1 січня 2027 р."],
    newReasonCode: ["Дякуємо за фотовідгук", "Безкоштовна доставка", "Без терміну дії"],
    credit: ["Баланс: 150 ₴", "Використайте до 31 січня 2027 р."],
    answer: [
      "4 з 10 · 2 листопада 2026 р.",
      "Що пішло не так: Доставка, Ціна",
      "«The parcel came a week late.»",
      "9 з 10 · 10 червня 2026 р.",
    ],
  },
  ru: {
    toNext: "Ещё 1 200 ₴ до уровня Gold",
    current: "Ваш уровень — Silver.",
    spend: "Всего потрачено у нас: 3 800 ₴",
    birthdayCode: ["Подарок ко дню рождения", "Скидка 15%", "Действует до 20 декабря 2026 г."],
    tierCode: ["Награда за уровень", "Скидка 200 ₴", "Для заказов от 500 ₴", "Действует до 1 января 2027 г."],
    newReasonCode: ["Спасибо за фотоотзыв", "Бесплатная доставка", "Без срока действия"],
    credit: ["Баланс: 150 ₴", "Используйте до 31 января 2027 г."],
    answer: [
      "4 из 10 · 2 ноября 2026 г.",
      "Что пошло не так: Доставка, Цена",
      "«The parcel came a week late.»",
      "9 из 10 · 10 июня 2026 г.",
    ],
  },
  hr: {
    toNext: "Još 1.200 UAH do razine Gold",
    current: "Vaša razina je Silver.",
    spend: "Do sada ste kod nas potrošili 3.800 UAH.",
    birthdayCode: ["Rođendanski poklon", "15 % popusta", "Vrijedi do 20. prosinca 2026."],
    tierCode: ["Nagrada za razinu", "200 UAH popusta", "Za narudžbe od 500 UAH ili više", "Vrijedi do 1. siječnja 2027."],
    newReasonCode: ["Hvala na recenziji s fotografijom", "Besplatna dostava", "Bez datuma isteka"],
    credit: ["Stanje: 150 UAH", "Iskoristite do 31. siječnja 2027."],
    answer: [
      "4 od 10 · 2. studenoga 2026.",
      "Što nije bilo u redu: Dostava, Cijena",
      "„The parcel came a week late.”",
      "9 od 10 · 10. lipnja 2026.",
    ],
  },
} as const;

const squash = (text: string) => text.replace(/\s+/g, " ");

describe.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)("the page in %s", (locale) => {
  const expected = EXPECTED[locale];
  const strings = LOCALES[locale] as Record<string, Record<string, string>>;

  it("shows tier progress in words, each live code with the backend's reason and what it gives and a copy button, credit, birthday and past answers", async () => {
    await open({ locale });
    expect(find("s-page").getAttribute("heading")).toBe(strings.page.heading);

    const tier = sectionText(strings.tier.heading);
    expect(tier).toContain(expected.current);
    expect(tier).toContain(squash(expected.toNext));
    expect(tier).toContain(squash(expected.spend));
    expect(find("s-progress").getAttribute("value")).toBe("0.76");

    expect(backend.requests()[0]!.url).toBe(`${APP_URL}/api/my-rewards?locale=${locale}`);
    const codes = [...document.body.querySelectorAll("s-box")].map((box) => (box.textContent ?? "").replace(/\s+/g, " "));
    expect(codes).toHaveLength(3);
    for (const part of [...expected.birthdayCode, "KIN-BDAY-1234"]) expect(codes[0]).toContain(squash(part));
    for (const part of [...expected.tierCode, "KIN-TIER-5678"]) expect(codes[1]).toContain(squash(part));
    for (const part of [...expected.newReasonCode, "KIN-SHIP-9012"]) expect(codes[2]).toContain(squash(part));
    // Each copy button copies its own code.
    const buttons = [...document.body.querySelectorAll("s-button")].filter((b) => b.textContent?.trim() === strings.codes.copy);
    expect(buttons).toHaveLength(3);
    const copied = buttons.map((button) => {
      expect(button.getAttribute("command")).toBe("--copy");
      const id = button.getAttribute("commandFor") ?? button.getAttribute("commandfor");
      return document.getElementById(String(id))?.getAttribute("text");
    });
    expect(copied).toEqual(["KIN-BDAY-1234", "KIN-TIER-5678", "KIN-SHIP-9012"]);

    const credit = sectionText(strings.credit.heading);
    for (const part of expected.credit) expect(credit).toContain(squash(part));

    expect(sectionText(strings.birthday.heading)).toContain(strings.birthday.unknown);
    expect(find('s-date-field[name="birthday"]').getAttribute("label")).toBe(strings.birthday.label);
    expect(find('s-checkbox[name="consent"]').getAttribute("label")).toBe(strings.birthday.consent);

    const feedback = sectionText(strings.feedback.heading);
    for (const part of expected.answer) expect(feedback).toContain(squash(part));
  });

  it("shows the loading state until the backend answers, then the error state with a retry that loads the page", async () => {
    const slow = standInBackend();
    slow.answerNext({ status: 500, body: { ok: false } });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = vi.fn(async (url: string, init?: RequestInit) => {
      await gate;
      return slow.fetch(url, init);
    });
    vi.stubGlobal("fetch", gated);
    await mount(createFakeShopify({ locale }), () => import("../src/Page"));
    expect(visibleText()).toContain(strings.state.loading);

    release();
    await settle();
    expect(find("s-banner").getAttribute("heading")).toBe(strings.state.errorHeading);
    expect(visibleText()).toContain(strings.state.error);
    expect(query("s-section[heading]")).toBeNull();

    await clickButton(strings.state.retry);
    expect(gated).toHaveBeenCalledTimes(2);
    expect(sectionText(strings.tier.heading)).toContain(strings.tier.current.replace("{{tier}}", "Silver"));
  });

  it("shows the empty state to a customer Kinship does not know yet, with the birthday form still offered", async () => {
    await open({ locale, backend: standInBackend(unknownCustomer()) });
    expect(visibleText()).toContain(strings.state.empty);
    expect(query(`s-section[heading="${strings.tier.heading}"]`)).toBeNull();
    expect(query(`s-section[heading="${strings.codes.heading}"]`)).toBeNull();
    expect(query(`s-section[heading="${strings.credit.heading}"]`)).toBeNull();
    expect(query('s-date-field[name="birthday"]')).not.toBeNull();
  });

  it("checks the birthday and the consent before sending, then saves it with consent and shows it", async () => {
    await open({ locale });
    await clickButton(strings.birthday.save);
    expect(find('s-date-field[name="birthday"]').getAttribute("error")).toBe(strings.errors.required);

    await setField('s-date-field[name="birthday"]', "2999-01-01");
    await clickButton(strings.birthday.save);
    expect(find('s-date-field[name="birthday"]').getAttribute("error")).toBe(strings.errors.future_date);

    await setField('s-date-field[name="birthday"]', "1990-05-17");
    await clickButton(strings.birthday.save);
    expect(find('s-date-field[name="birthday"]').hasAttribute("error")).toBe(false);
    expect(find('s-checkbox[name="consent"]').getAttribute("error")).toBe(strings.errors.consent_required);
    expect(backend.requests().filter((r) => r.method === "POST")).toHaveLength(0);

    await setField('s-checkbox[name="consent"]', true);
    await clickButton(strings.birthday.save);
    const posts = backend.requests().filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe(`${APP_URL}/api/my-rewards?locale=${locale}`);
    expect(JSON.parse(String(posts[0]!.body))).toEqual({
      birthday: "1990-05-17",
      consent: true,
      consentTextVersion: "my-rewards-birthday-1",
    });
    expect(visibleText()).toContain(strings.birthday.saved);
    const day = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date("1990-05-17T00:00:00Z"));
    expect(sectionText(strings.birthday.heading)).toContain(squash(strings.birthday.known.replace("{{date}}", day)));
    expect(backend.state.birthday).toEqual({ date: "1990-05-17", consented: true, editable: true });
  });
});

describe("talking to the backend", () => {
  it("sends only the session token and the shopper's language: no customer or shop id in the URL, and no body on the GET", async () => {
    await open();
    const [get] = backend.requests();
    expect(get).toMatchObject({ url: `${APP_URL}/api/my-rewards?locale=en`, method: "GET", body: undefined });
    expect(get!.headers.get("Authorization")).toBe("Bearer customer-token");
  });

  it("shows the backend's field error when it refuses the birthday", async () => {
    const refusing = standInBackend();
    await open({ backend: refusing });
    refusing.answerNext({ status: 400, body: { ok: false, fieldErrors: { birthday: "implausible_year" } } });
    await setField('s-date-field[name="birthday"]', "1990-05-17");
    await setField('s-checkbox[name="consent"]', true);
    await clickButton("Save birthday");
    expect(find('s-date-field[name="birthday"]').getAttribute("error")).toBe("Please check the year.");
    expect(visibleText()).not.toContain("Your birthday is saved.");
  });

  it("says so when saving fails for another reason (rate limit), keeping what was typed", async () => {
    const limited = standInBackend();
    await open({ backend: limited });
    limited.answerNext({ status: 429, body: { ok: false, error: "rate_limited" } });
    await setField('s-date-field[name="birthday"]', "1990-05-17");
    await setField('s-checkbox[name="consent"]', true);
    await clickButton("Save birthday");
    expect(visibleText()).toContain("We couldn't save that. Please try again.");
    expect(find('s-date-field[name="birthday"]').value).toBe("1990-05-17");
  });

  it("removes a saved birthday by sending no date and no consent", async () => {
    const data = silverCustomer();
    data.birthday = { date: "1988-02-29", consented: true, editable: true };
    await open({ backend: standInBackend(data) });
    expect(visibleText()).toContain("We have your birthday as February 29, 1988.");
    await clickButton("Remove my birthday");
    const post = backend.requests().find((r) => r.method === "POST");
    expect(JSON.parse(String(post!.body))).toEqual({ birthday: null, consent: false });
    expect(visibleText()).toContain("Your birthday has been removed.");
    expect(visibleText()).toContain("Tell us your birthday");
  });

  it("offers no form when the backend says the birthday is not editable", async () => {
    const data = silverCustomer();
    data.birthday = { date: "1990-05-17", consented: true, editable: false };
    await open({ backend: standInBackend(data) });
    expect(visibleText()).toContain("We have your birthday as May 17, 1990.");
    expect(query("s-date-field")).toBeNull();
  });

  it("words the top tier, a customer below the first tier and a rolling window", async () => {
    const top = silverCustomer();
    top.tier = { ...top.tier, current: { name: "Platinum" }, next: null, progress: 1, window: "rolling_12_months" } as never;
    await open({ backend: standInBackend(top) });
    expect(visibleText()).toContain("You've reached our top tier.");
    expect(visibleText()).toContain("You've spent UAH 3,800 with us in the last 12 months.");
    expect(query("s-progress")).toBeNull();
    await unmount();

    const below = silverCustomer();
    below.tier = { ...below.tier, current: null, next: { name: "Silver", remaining: { amount: "99.50", currencyCode: "UAH" } } } as never;
    await open({ backend: standInBackend(below) });
    expect(visibleText()).toContain("You're not in a tier yet.");
    expect(visibleText()).toContain("UAH 99.50 more to Silver");
  });

  it("words an order-count program in orders and a predicted-value program as progress only", async () => {
    const orders = silverCustomer();
    orders.tier = {
      ...orders.tier,
      metric: "orderCount",
      orders: 4,
      window: "rolling_12_months",
      next: { name: "Gold", remaining: null, remainingOrders: 2 },
    } as never;
    await open({ backend: standInBackend(orders) });
    expect(visibleText()).toContain("Orders left to reach Gold: 2");
    expect(visibleText()).toContain("Orders in the last 12 months: 4");
    expect(visibleText()).not.toContain("more to Gold");
    await unmount();

    const predicted = silverCustomer();
    predicted.tier = { ...predicted.tier, metric: "predictedClv", next: { name: "Gold", remaining: null }, progress: 0.4 } as never;
    await open({ backend: standInBackend(predicted) });
    expect(visibleText()).toContain("On your way to Gold");
    expect(find("s-progress").getAttribute("value")).toBe("0.4");
  });

  it("shows the error state without calling anything when no backend URL was built in", async () => {
    vi.stubEnv("KINSHIP_APP_URL", "");
    await open();
    expect(backend.fetch).not.toHaveBeenCalled();
    expect(visibleText()).toContain("We couldn't load your rewards.");
  });

  it("shows the error state for a 401 (a token the backend refuses)", async () => {
    const refusing = standInBackend();
    refusing.answerNext({ status: 401 });
    await open({ backend: refusing });
    expect(find("s-banner").getAttribute("heading")).toBe("Your rewards are not available right now");
  });
});
