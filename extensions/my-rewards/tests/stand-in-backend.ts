/**
 * A stand-in for Kinship's GET/POST /api/my-rewards that answers as the contract says
 * (docs: extensions/my-rewards/README.md): 401 without a Bearer token, the customer's data as JSON, the
 * birthday saved only with consent, removed with `null` and no consent, 400 with field errors otherwise.
 * Each code's `reasonLabel` is worded in the `?locale=` the page sends (one of four, else English), as the
 * app's kinds.json words it (tests/unit/extensions/vocabulary.test.ts checks these copies against the app).
 * It keeps what the page sent so tests can check that no customer id ever leaves the browser.
 */
import { vi } from "vitest";

export const APP_URL = "https://kinship.test";

const uah = (amount: string) => ({ amount, currencyCode: "UAH" });

const LOCALES = ["en", "uk", "ru", "hr"] as const;
type Locale = (typeof LOCALES)[number];

/** The backend's shopper-facing reason labels of the codes below; the last is a kind this extension never heard of. */
export const REASON_LABELS: Record<Locale, Record<string, string>> = {
  en: { birthday: "Birthday gift", tierUpgrade: "Tier reward", aReasonFromANewerApp: "Thanks for your photo review" },
  uk: { birthday: "Подарунок до дня народження", tierUpgrade: "Винагорода за рівень", aReasonFromANewerApp: "Дякуємо за фотовідгук" },
  ru: { birthday: "Подарок ко дню рождения", tierUpgrade: "Награда за уровень", aReasonFromANewerApp: "Спасибо за фотоотзыв" },
  hr: { birthday: "Rođendanski poklon", tierUpgrade: "Nagrada za razinu", aReasonFromANewerApp: "Hvala na recenziji s fotografijom" },
};

/** A Silver customer of a Kyiv shop: on the way to Gold, three live codes, store credit, two answers. */
export function silverCustomer() {
  return {
    ok: true,
    shop: { currencyCode: "UAH", ianaTimezone: "Europe/Kyiv" },
    tier: {
      current: { name: "Silver" },
      next: { name: "Gold", remaining: uah("1200.00") },
      progress: 0.76,
      spend: uah("3800.00"),
      window: "lifetime",
      metric: "netSpend",
    },
    codes: [
      {
        code: "KIN-BDAY-1234",
        offer: { type: "percentage", percent: 15 },
        reason: "birthday",
        expiresAt: "2026-12-20T21:59:59Z",
        minimumSubtotal: null,
      },
      {
        code: "KIN-TIER-5678",
        offer: { type: "fixed_amount", amount: uah("200.00") },
        reason: "tierUpgrade",
        // 00:30 on 1 January in Kyiv, still 31 December in UTC: the shop's calendar decides.
        expiresAt: "2026-12-31T22:30:00Z",
        minimumSubtotal: uah("500.00"),
      },
      { code: "KIN-SHIP-9012", offer: { type: "free_shipping" }, reason: "aReasonFromANewerApp", expiresAt: null, minimumSubtotal: null },
    ],
    storeCredit: { balance: uah("150.00"), expiresAt: "2027-01-31T21:59:59Z" },
    birthday: { date: null as string | null, consented: false, editable: true },
    feedback: [
      { answeredAt: "2026-11-02T10:15:00Z", score: 4, reasons: ["delivery", "price"], comment: "The parcel came a week late." },
      { answeredAt: "2026-06-10T08:00:00Z", score: 9, reasons: [], comment: null },
    ],
  };
}

/** A customer Kinship does not know yet: 200 with every part empty. */
export function unknownCustomer() {
  return {
    ok: true,
    shop: { currencyCode: "UAH", ianaTimezone: "Europe/Kyiv" },
    tier: null,
    codes: [],
    storeCredit: null,
    birthday: { date: null, consented: false, editable: true },
    feedback: [],
  };
}

type Answer = { status: number; body?: unknown };

export function standInBackend(data: ReturnType<typeof silverCustomer> | ReturnType<typeof unknownCustomer> = silverCustomer()) {
  const state = structuredClone(data) as ReturnType<typeof silverCustomer>;
  /** Answers queued ahead of the contract's own (an outage, a rate limit). */
  const queued: Answer[] = [];
  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const next = queued.shift();
    if (next) return json(next.status, next.body);
    const parsed = new URL(url);
    if (`${parsed.origin}${parsed.pathname}` !== `${APP_URL}/api/my-rewards`) return json(404);
    const asked = parsed.searchParams.get("locale");
    const locale = LOCALES.find((l) => l === asked) ?? "en";
    const page = () => ({
      ...state,
      codes: state.codes.map((code) => ({ ...code, reasonLabel: REASON_LABELS[locale][code.reason] ?? "" })),
    });
    const auth = new Headers(init.headers).get("Authorization");
    if (!auth?.startsWith("Bearer ")) return json(401);
    if ((init.method ?? "GET") === "GET") return json(200, page());
    const body = JSON.parse(String(init.body)) as { birthday: string | null; consent: boolean };
    if (body.birthday === null && body.consent === false) {
      state.birthday = { date: null, consented: false, editable: true };
      return json(200, page());
    }
    if (typeof body.birthday !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(body.birthday)) {
      return json(400, { ok: false, fieldErrors: { birthday: "invalid_date" } });
    }
    if (body.consent !== true) return json(400, { ok: false, fieldErrors: { consent: "consent_required" } });
    state.birthday = { date: body.birthday, consented: true, editable: true };
    return json(200, page());
  });

  return {
    fetch,
    state,
    answerNext: (answer: Answer) => queued.push(answer),
    requests: () =>
      fetch.mock.calls.map(([url, init]) => ({
        url,
        method: init?.method ?? "GET",
        headers: new Headers(init?.headers),
        body: init?.body,
      })),
  };
}
