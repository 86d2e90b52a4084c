/**
 * The customer-account "My rewards" page (issue #16) in a real browser: the emulated admin's preview runs
 * the my-rewards extension's real bundle for a demo customer seeded as `npm run dev:local` seeds them, and
 * the page reads the app's real /api/my-rewards with a customer-account session token the emulated admin
 * signs. One screenshot per language: tests/e2e/screenshots/my-rewards-<locale>.png.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import type { Browser, Frame, Page } from "playwright-core";
import { adminGraphql } from "../emulator/client";
import type { DemoRewardsCustomer } from "../emulator/demo-seed";
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

const SHOP = "kinship-rewards-e2e.myshopify.com";
let database: TestDatabase;
const LOCALES = ["en", "uk", "ru", "hr"] as const;
const strings = (locale: string): Record<string, Record<string, string>> =>
  JSON.parse(readFileSync(`extensions/my-rewards/locales/${locale === "en" ? "en.default" : locale}.json`, "utf8")) as never;

let stack: LocalStack;
let browser: Browser;
let page: Page;
let silver: DemoRewardsCustomer;
let codes: string[];

/** A locale template as a pattern: its {{placeholders}} match anything on the line. */
const pattern = (template: string) =>
  new RegExp(
    template
      .split(/\{\{\w+\}\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".+"),
  );

beforeAll(async () => {
  database = await freshDatabase();
  const db = (await import("../../app/db.server")).default;
  stack = await startLocalStack({
    apiKey: "kinship-rewards-e2e-key",
    apiSecret: "kinship-rewards-e2e-secret",
    databaseUrl: database.url,
    appOutput: appLog("my-rewards"),
    shops: [
      {
        domain: SHOP,
        name: "Kinship Rewards",
        size: "tiny",
        seed: 1616,
        currency: "UAH",
        timeZone: "Europe/Kyiv",
        locales: ["uk", "en"],
      },
    ],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
  // Tall enough for the whole page (tier, codes, credit, birthday, answers) in one screenshot.
  await page.setViewportSize({ width: 1200, height: 2000 });

  // The first visit installs the app and imports the shop, as in the demo.
  await vi.waitFor(
    async () => {
      await page.goto(stack.frame.appPageUrl(SHOP));
      const frame = await appFrame(page);
      expect(await frame.locator("body").innerText({ timeout: 30_000 })).toMatch(/Last sync: .+ \(done\)/);
    },
    { timeout: 150_000, interval: 2_000 },
  );
  // After the import the app scores the shop and writes its values back to Shopify (bulk mutations, on real
  // time here), part of it on the app's main thread: this file is about the page, so it waits for that work
  // instead of racing it (a request made meanwhile could wait past the extension's 10 s limit).
  await vi.waitFor(
    async () => {
      const runs = await db.bulkMutationRun.groupBy({ by: ["status"], where: { shop: SHOP }, _count: true });
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.filter((r) => r.status !== "recorded" && r.status !== "failed")).toEqual([]);
    },
    { timeout: 150_000, interval: 1_000 },
  );
  // The write-back's tags come back as a burst of customer webhooks; let the app take them first.
  await stack.emulator.webhooks.drain();

  // Then what the demo seeds after its import: drafts and answers, and the "My rewards" customers.
  const { seedDemo, seedDemoMyRewards } = await import("../emulator/demo-seed");
  const now = new Date();
  await seedDemo({ shop: SHOP, locales: ["uk", "en"], timeZone: "Europe/Kyiv", now });
  const { accessToken } = stack.emulator.issueAccessToken(SHOP);
  const customers = await seedDemoMyRewards({
    shop: SHOP,
    timeZone: "Europe/Kyiv",
    now,
    locales: ["uk", "en"],
    creditStoreCredit: async (id, amount, expiresAt) => {
      const answer = await adminGraphql(
        stack.emulator.url,
        accessToken,
        `mutation($id: ID!, $input: StoreCreditAccountCreditInput!) { storeCreditAccountCredit(id: $id, creditInput: $input) { userErrors { message } } }`,
        { id, input: { creditAmount: { amount: amount.toFixed(2), currencyCode: "UAH" }, expiresAt } },
      );
      expect(answer.body.errors).toBeUndefined();
    },
  });
  stack.frame.setPreviewCustomers(SHOP, customers);
  silver = customers[0]!;
  expect(silver.note).toMatch(/store credit/);
  codes = (
    await db.issuedDiscount.findMany({ where: { shop: SHOP, customerShopifyId: silver.id, rewardType: { not: "storeCredit" } } })
  ).map((row) => row.code!);
  expect(codes.length).toBeGreaterThan(0);
});

afterAll(async () => {
  await closePages(browser);
  if (stack) await stopStack(stack);
});

async function openPreview(locale: string): Promise<Frame> {
  await page.goto(stack.frame.myRewardsPreviewUrl(SHOP, { customer: silver.id, locale }));
  return appFrame(page);
}

describe("the My rewards page for a demo customer", () => {
  it.each(LOCALES)("shows tier progress, codes, store credit and the birthday in %s", async (locale) => {
    const text = strings(locale);
    const rewards = await openPreview(locale);
    const body = () => rewards.locator("body").innerText();
    // When the page does not come, say what it shows instead (an error state, a spinner) rather than only a timeout.
    await rewards
      .getByText(text.tier.heading, { exact: true })
      .waitFor({ timeout: 60_000 })
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nThe page shows: ${(await body().catch(() => "(no text)")).slice(0, 600)}`);
      });

    expect(await body()).toMatch(pattern(text.tier.current));
    // "UAH 1,200 more to Gold": the amount is the backend's, formatted in the shopper's language.
    expect(await body()).toMatch(pattern(text.tier.toNext));
    for (const code of codes) await rewards.getByText(code, { exact: true }).waitFor();
    expect(await rewards.locator("s-button", { hasText: text.codes.copy }).count()).toBe(codes.length);
    await rewards.getByText(text.credit.heading, { exact: true }).waitFor();
    expect(await body()).toMatch(pattern(text.credit.balance));
    await rewards.getByText(text.birthday.heading, { exact: true }).waitFor();
    // The customer's own survey answers, as the demo seeds them (9/10, then 5/10 about delivery).
    await rewards.getByText(text.feedback.heading, { exact: true }).waitFor();
    expect(await body()).toMatch(pattern(text.feedback.score));
    expect(await body()).toContain(text.feedbackReasons.delivery);
    await expect(page.locator('#my-rewards-preview-link[aria-current="page"]').count()).resolves.toBe(1);
    await screenshot(page, `my-rewards-${locale}`);
  });

  it("copies the code shown beside the button", async () => {
    const rewards = await openPreview("en");
    const text = strings("en");
    const box = rewards.locator("s-box").first();
    await box.waitFor({ timeout: 60_000 });
    const boxText = (await box.textContent()) ?? "";
    const code = codes.find((c) => boxText.includes(c));
    expect(code).toBeDefined();
    await box.locator("s-button", { hasText: text.codes.copy }).click();
    await expect.poll(() => rewards.locator("html").getAttribute("data-copied")).toBe(code);
  });
});
