/**
 * Issue #17 in a real browser: Settings' "Unhappy customers" card (the one low-score threshold, the
 * first-response target and the after-delivery delay) in the four admin languages, and a save that the
 * survey's configuration then reports; then a delivered order's "Kinship: ask for feedback" link opened
 * on the emulated storefront, where the app proxy forwards it signed as Shopify does, in the four
 * shopper languages, and answered once. Screenshots: tests/e2e/screenshots/17-settings-feedback-<locale>.png,
 * 17-survey-page-<locale>.png, 17-survey-page-thanks.png.
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
  screenshot,
  stopStack,
  type TestDatabase,
} from "./browser";
import { ASK_TRIGGER } from "../../app/retention/feedback/ask-after-delivery";

const SHOP = "kinship-feedback-e2e.myshopify.com";
let database: TestDatabase;

// The card's title and the threshold's label per language (the catalogs' texts, written out so a lost translation fails here).
const TEXTS = {
  en: {
    title: "Unhappy customers",
    threshold: "Low score: at or below",
    delay: "Ask after delivery, without tracking: after",
    saved: "Saved.",
  },
  uk: {
    title: "Незадоволені клієнти",
    threshold: "Низька оцінка: до",
    delay: "Запитати після доставки, без відстеження: через",
    saved: "Збережено.",
  },
  ru: {
    title: "Недовольные клиенты",
    threshold: "Низкая оценка: до",
    delay: "Спросить после доставки, без отслеживания: через",
    saved: "Сохранено.",
  },
  hr: {
    title: "Nezadovoljni kupci",
    threshold: "Niska ocjena: do",
    delay: "Pitaj nakon dostave, bez praćenja: nakon",
    saved: "Spremljeno.",
  },
} as const;

let stack: LocalStack;
let browser: Browser;
let page: Page;
let settings: typeof import("../../app/models/shop-settings.server");

async function openSettings(locale: keyof typeof TEXTS): Promise<Frame> {
  await page.goto(stack.frame.appPageUrl(SHOP, { path: "/settings", locale }));
  const frame = await appFrame(page);
  await frame.getByRole("heading", { name: TEXTS[locale].title }).waitFor({ timeout: 120_000 });
  return frame;
}

beforeAll(async () => {
  database = await freshDatabase();
  settings = await import("../../app/models/shop-settings.server");
  stack = await startLocalStack({
    apiKey: "kinship-feedback-e2e-key",
    apiSecret: "kinship-feedback-e2e-secret",
    databaseUrl: database.url,
    appOutput: appLog("feedback"),
    shops: [{ domain: SHOP, name: "Kinship Feedback", size: "tiny", seed: 1717, flowTriggerHandles: [ASK_TRIGGER.handle] }],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
});

afterAll(async () => {
  await closePages(browser);
  if (stack) await stopStack(stack);
});

describe("Settings: one threshold and one first-response target", () => {
  it("saves the threshold and the target from the page", async () => {
    const frame = await openSettings("en");
    await frame.getByLabel(TEXTS.en.threshold).fill("8");
    await frame.getByLabel("First response within").fill("12");
    await frame.getByLabel(TEXTS.en.delay).fill("5");
    const card = frame.getByRole("heading", { name: TEXTS.en.title }).locator("xpath=ancestor::form[1]");
    await card.getByRole("button", { name: "Save" }).click();
    await card.getByText(TEXTS.en.saved).waitFor();
    await vi.waitFor(async () =>
      expect((await settings.getShopSettings(SHOP)).feedback).toEqual({
        lowScoreThreshold: 8,
        firstResponseTargetMs: 12 * 3_600_000,
        askAfterDays: 5,
      }),
    );
  });

  it.each(Object.keys(TEXTS) as (keyof typeof TEXTS)[])("shows the card in %s", async (locale) => {
    const frame = await openSettings(locale);
    expect(await frame.getByLabel(TEXTS[locale].threshold).inputValue()).toBe("8");
    expect(await frame.getByLabel(TEXTS[locale].delay).inputValue()).toBe("5");
    await frame.getByRole("heading", { name: TEXTS[locale].title }).scrollIntoViewIfNeeded();
    await screenshot(page, `17-settings-feedback-${locale}`);
  });
});

// The survey page's question per shopper language (the catalogs' texts, written out so a lost translation fails here).
const QUESTION = {
  en: "How likely are you to recommend us to a friend?",
  uk: "Наскільки ймовірно, що ви порекомендуєте нас другу?",
  ru: "Насколько вероятно, что вы порекомендуете нас другу?",
  hr: "Koliko je vjerojatno da biste nas preporučili prijatelju?",
} as const;

describe("the after-delivery survey page on the storefront", () => {
  let surveyPath = "";

  it('a delivered order fires "Kinship: ask for feedback" with a link to the storefront', async () => {
    // Flow's lifecycle callback: a workflow uses Kinship's triggers.
    expect((await stack.emulator.sendFlowLifecycle(SHOP, { enabled: true, definitionId: ASK_TRIGGER.handle })).status).toBe(200);
    const mutate = stack.emulator.mutate(SHOP);
    const order = mutate.createOrder({ customerId: stack.emulator.shop(SHOP).data.customerGid(0), total: "35.00" });
    await order.delivered;
    const shipped = mutate.fulfillOrder(order.record.id, { tracking: { company: "DHL", number: "JD0142" } });
    await shipped.delivered;
    await mutate.addFulfillmentEvent(shipped.record.id, "delivered").delivered;
    const trigger = await vi.waitFor(
      () => {
        const found = stack.emulator.shop(SHOP).flowTriggers.find((t) => t.handle === ASK_TRIGGER.handle);
        if (!found) throw new Error("no ask-for-feedback trigger yet");
        return found;
      },
      { timeout: 60_000, interval: 200 },
    );
    const link = new URL((trigger.payload as { surveyUrl: string }).surveyUrl);
    expect(link.host).toBe(SHOP);
    surveyPath = `${link.pathname}${link.search}`;
  });

  it.each(Object.keys(QUESTION) as (keyof typeof QUESTION)[])("shows the questions in %s", async (locale) => {
    const shopper = await browser.newPage({
      locale,
      viewport: { width: 900, height: 1200 },
      extraHTTPHeaders: { "Accept-Language": locale },
    });
    try {
      await shopper.goto(stack.frame.storefrontUrl(SHOP, surveyPath));
      await shopper.getByText(QUESTION[locale]).waitFor();
      await screenshot(shopper, `17-survey-page-${locale}`);
    } finally {
      await shopper.close();
    }
  });

  it("takes one answer, then refuses the link", async () => {
    const shopper = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    try {
      await shopper.goto(stack.frame.storefrontUrl(SHOP, surveyPath));
      await shopper.locator('input[name="score"][value="4"]').check();
      await shopper.locator('input[name="reasons"][value="delivery"]').check();
      await shopper.locator("textarea#comment").fill("The box was crushed.");
      await shopper.getByRole("button", { name: "Send feedback" }).click();
      await shopper.getByText("Thank you for your feedback!").waitFor();
      await screenshot(shopper, "17-survey-page-thanks");
      const again = await shopper.goto(stack.frame.storefrontUrl(SHOP, surveyPath));
      expect(again?.status()).toBe(409);
    } finally {
      await shopper.close();
    }
  });
});
