/**
 * The dashboard's health card (issue #15) in a real browser, in English and Ukrainian: first with every
 * warning present (no Flow workflow uses Kinship's trigger, customers left out for lack of marketing
 * consent, the survey block placed nowhere, a code Shopify refused this week), then with each one fixed
 * the way a merchant (or Shopify) would fix it. Screenshots: tests/e2e/screenshots/health-<locale>-*.png.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../emulator/stack";
import {
  appFrame,
  appLog,
  freshDatabase,
  sharedBrowser,
  closePages,
  newAdminPage,
  SCREENSHOTS,
  stopStack,
  type TestDatabase,
} from "./browser";

const SHOP = "kinship-health-e2e.myshopify.com";
let database: TestDatabase;
const SURVEY = "feedback-survey";

let stack: LocalStack;
let browser: Browser;
let page: Page;
let db: (typeof import("../../app/db.server"))["default"];
let settings: typeof import("../../app/models/shop-settings.server");
let ruleId: string;
let refusedId: string;

// What each locale's card says (the catalogs' texts, written out so a lost or wrong translation fails here).
const TEXTS = {
  en: {
    title: "What stops rewards from reaching people",
    noFlow: ["No Flow workflow uses Kinship's trigger", (n: string) => `Codes withheld (never created, nothing spent): ${n}`],
    consent: ["Customers left out for lack of marketing consent", (n: string) => `Customers left out: ${n}`],
    survey: ["The survey block is not on every page it can thank customers on", () => "Missing on: Thank-you page, Order status page"],
    refused: ["Codes Shopify refused in the last 7 days", (n: string) => `Refused: ${n}`],
    allGood: "Nothing stops your rewards: every code Kinship creates has a way to reach its customer.",
    lastSync: /Last sync: .+ \(done\)/,
    lastRun: /Last daily run: .+|The daily run has not run yet/,
  },
  uk: {
    title: "Що заважає винагородам дійти до людей",
    noFlow: ["Жоден процес Flow не використовує тригер Kinship", (n: string) => `Утримано кодів (не створено, нічого не витрачено): ${n}`],
    consent: ["Клієнти без маркетингової згоди не отримують рекламних винагород", (n: string) => `Клієнтів поза винагородами: ${n}`],
    survey: ["Блок опитування розміщено не на всіх сторінках", () => "Немає на: сторінці подяки, сторінці статусу замовлення"],
    refused: ["Коди, які Shopify відхилив за останні 7 днів", (n: string) => `Відхилено: ${n}`],
    allGood: "Ніщо не заважає: кожен код, який створює Kinship, має шлях до клієнта.",
    lastSync: /Остання синхронізація: .+ \(виконано\)/,
    lastRun: /Останній щоденний запуск: .+|Щоденний запуск ще не виконувався/,
  },
} as const;
type Locale = keyof typeof TEXTS;
const WARNINGS = ["noFlow", "consent", "survey", "refused"] as const;

async function openDashboard(locale: Locale): Promise<Frame> {
  await page.goto(stack.frame.appPageUrl(SHOP, { locale }));
  const frame = await appFrame(page);
  await frame.waitForSelector(".Polaris-Page", { timeout: 60_000 });
  return frame;
}

/** The card: the Polaris card around the translated heading. */
function card(frame: Frame, locale: Locale) {
  return frame
    .getByRole("heading", { name: TEXTS[locale].title })
    .locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' Polaris-ShadowBevel ')][1]");
}

const itemText = (frame: Frame, id: string) =>
  frame
    .locator(`[data-health-item="${id}"]`)
    .allInnerTexts()
    .then((texts) => texts.join("\n"));

/** What the card should count now, read from the same database as the app. */
async function expectedCounts() {
  const since = new Date(Date.now() - 7 * 86_400_000);
  const [withheld, withoutConsent, refused] = await Promise.all([
    db.issuedDiscount.count({ where: { shop: SHOP, kind: "issue", status: "withheld", withheldReason: "noDeliveryChannel" } }),
    db.customer.count({
      where: { shop: SHOP, redactedAt: null, OR: [{ marketingState: null }, { marketingState: { not: "SUBSCRIBED" } }] },
    }),
    db.issuedDiscount.count({ where: { shop: SHOP, kind: "issue", status: "failed", updatedAt: { gte: since } } }),
  ]);
  return { noFlow: withheld, consent: withoutConsent, refused, survey: 0 };
}

/**
 * The app's daily run shares the SQLite file and may hold its write lock for a while (it creates codes once Flow
 * is on), so a settings save that times out waiting for it is tried again, as the merchant would.
 */
async function saveConsent(purpose: "promotional" | "service") {
  await vi.waitFor(() => settings.saveShopSettings(SHOP, { consent: { kindPurposes: { winback: purpose } } }), {
    timeout: 60_000,
    interval: 500,
  });
}

/** Every warning at once: Flow says no workflow, winback needs consent, the survey is placed nowhere, a code was refused today. */
async function breakEverything() {
  expect((await stack.emulator.sendFlowLifecycle(SHOP, { enabled: false })).status).toBe(200);
  await saveConsent("promotional");
  stack.frame.setExtensions(SHOP, [{ handle: SURVEY, type: "ui_extension", activations: [] }]);
  await db.issuedDiscount.update({ where: { id: refusedId }, data: { updatedAt: new Date() } });
}

async function fixEverything() {
  // The merchant calls win-back a service reward in Settings.
  await saveConsent("service");
  // The merchant adds the survey block to both pages in the checkout editor.
  stack.frame.setExtensions(SHOP, [
    {
      handle: SURVEY,
      type: "ui_extension",
      activations: [{ target: "purchase.thank-you.block.render" }, { target: "customer-account.order-status.block.render" }],
    },
  ]);
  // A refusal counts for 7 days; a week on, it has left the window.
  await db.issuedDiscount.update({ where: { id: refusedId }, data: { updatedAt: new Date(Date.now() - 8 * 86_400_000) } });
  // Last, Flow's lifecycle callback: a workflow using Kinship's trigger was turned on (the app then starts creating codes).
  expect((await stack.emulator.sendFlowLifecycle(SHOP, { enabled: true })).status).toBe(200);
}

beforeAll(async () => {
  database = await freshDatabase();
  db = (await import("../../app/db.server")).default;
  settings = await import("../../app/models/shop-settings.server");
  stack = await startLocalStack({
    apiKey: "kinship-health-e2e-key",
    apiSecret: "kinship-health-e2e-secret",
    databaseUrl: database.url,
    appOutput: appLog("health"),
    shops: [{ domain: SHOP, name: "Kinship Health", size: "tiny", seed: 1515, currency: "UAH", timeZone: "Europe/Kyiv" }],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);

  // The first visit installs the app and imports the shop; the card's last-sync line says when it is done.
  await vi.waitFor(
    async () => {
      const frame = await openDashboard("en");
      expect(await frame.locator("body").innerText()).toMatch(/Last sync: .+ \(done\)/);
    },
    { timeout: 150_000, interval: 2_000 },
  );

  const { addRule } = await import("../support/rules");
  ruleId = (await addRule(SHOP, { kind: "winback", name: "Come back", reward: { type: "fixedAmount", amount: 100 }, validityDays: 14 })).id;
  const customers = await db.customer.findMany({ where: { shop: SHOP }, take: 2, orderBy: { shopifyId: "asc" } });
  expect(customers).toHaveLength(2);
  // One decision withheld for want of a channel, one code Shopify refused, as the daily run records them.
  await db.issuedDiscount.create({
    data: {
      shop: SHOP,
      ruleId,
      customerShopifyId: customers[0]!.shopifyId,
      idempotencyKey: "e2e-withheld",
      status: "withheld",
      withheldReason: "noDeliveryChannel",
      amount: 0,
    },
  });
  refusedId = (
    await db.issuedDiscount.create({
      data: {
        shop: SHOP,
        ruleId,
        customerShopifyId: customers[1]!.shopifyId,
        idempotencyKey: "e2e-refused",
        status: "failed",
        rewardType: "fixedAmount",
        amount: 100,
        error: "Shopify refused the code: Code must be unique.",
      },
    })
  ).id;
});

afterAll(async () => {
  await closePages(browser);
  if (stack) await stopStack(stack);
});

describe.each(["en", "uk"] as const)("the dashboard's health card (%s)", (locale) => {
  const texts = TEXTS[locale];
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);

  it("lists every warning with its count and fix, and the last sync and daily run", async () => {
    await breakEverything();
    const frame = await openDashboard(locale);
    const expected = await expectedCounts();
    expect(expected.noFlow).toBeGreaterThan(0);
    expect(expected.consent).toBeGreaterThan(0);
    expect(expected.refused).toBeGreaterThan(0);
    for (const id of WARNINGS) {
      const [title, count] = texts[id];
      await expect.poll(() => itemText(frame, id)).toContain(title);
      // The daily run may decide more while the page is open: compare with the database each time.
      await expect
        .poll(async () => {
          const text = await itemText(frame, id);
          const now = (await expectedCounts())[id];
          return text.includes(count(number(now))) ? "ok" : text;
        })
        .toBe("ok");
    }
    expect(await frame.locator('[data-health-item="allGood"]').count()).toBe(0);
    const cardText = await card(frame, locale).innerText();
    expect(cardText).toMatch(texts.lastSync);
    expect(cardText).toMatch(texts.lastRun);
    await card(frame, locale).screenshot({ path: `${SCREENSHOTS}/health-${locale}-warnings.png` });
  });

  it("shows all good once each warning is fixed", async () => {
    await fixEverything();
    const frame = await openDashboard(locale);
    await expect.poll(() => itemText(frame, "allGood")).toContain(texts.allGood);
    for (const id of WARNINGS) expect(await frame.locator(`[data-health-item="${id}"]`).count()).toBe(0);
    const cardText = await card(frame, locale).innerText();
    for (const id of WARNINGS) expect(cardText).not.toContain(texts[id][0]);
    expect(cardText).toMatch(texts.lastSync);
    await card(frame, locale).screenshot({ path: `${SCREENSHOTS}/health-${locale}-healthy.png` });
  });
});
