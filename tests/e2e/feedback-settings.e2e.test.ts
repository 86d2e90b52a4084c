/**
 * Issue #17 in a real browser: Settings' "Unhappy customers" card (the one low-score threshold and the
 * first-response target) in the four admin languages, and a save that the survey's configuration then
 * reports. Screenshots: tests/e2e/screenshots/17-settings-feedback-<locale>.png.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rmSync } from "node:fs";
import type { Browser, Frame, Page } from "playwright-core";
import { migrate } from "../../scripts/migrate";
import { startLocalStack, type LocalStack } from "../emulator/stack";
import { appFrame, ensureBuilt, launch, newAdminPage, screenshot, stopStack } from "./browser";

const SHOP = "kinship-feedback-e2e.myshopify.com";
const DB_FILE = `tests/.tmp/e2e-feedback-${process.pid}.sqlite`;
const DATABASE_URL = `file:./${DB_FILE}`;

// The card's title and the threshold's label per language (the catalogs' texts, written out so a lost translation fails here).
const TEXTS = {
  en: { title: "Unhappy customers", threshold: "Low score: at or below", saved: "Saved." },
  uk: { title: "Незадоволені клієнти", threshold: "Низька оцінка: до", saved: "Збережено." },
  ru: { title: "Недовольные клиенты", threshold: "Низкая оценка: до", saved: "Сохранено." },
  hr: { title: "Nezadovoljni kupci", threshold: "Niska ocjena: do", saved: "Spremljeno." },
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
  ensureBuilt();
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(DB_FILE + suffix, { force: true });
  await migrate(DATABASE_URL, { quiet: true });
  process.env.DATABASE_URL = DATABASE_URL;
  settings = await import("../../app/models/shop-settings.server");
  stack = await startLocalStack({
    apiKey: "kinship-feedback-e2e-key",
    apiSecret: "kinship-feedback-e2e-secret",
    databaseUrl: DATABASE_URL,
    appOutput: "ignore",
    shops: [{ domain: SHOP, name: "Kinship Feedback", size: "tiny", seed: 1717 }],
  });
  browser = await launch();
  page = await newAdminPage(browser);
});

afterAll(async () => {
  await browser?.close();
  if (stack) await stopStack(stack);
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(DB_FILE + suffix, { force: true });
});

describe("Settings: one threshold and one first-response target", () => {
  it("saves the threshold and the target from the page", async () => {
    const frame = await openSettings("en");
    await frame.getByLabel(TEXTS.en.threshold).fill("8");
    await frame.getByLabel("First response within").fill("12");
    const card = frame.getByRole("heading", { name: TEXTS.en.title }).locator("xpath=ancestor::form[1]");
    await card.getByRole("button", { name: "Save" }).click();
    await card.getByText(TEXTS.en.saved).waitFor();
    await vi.waitFor(async () =>
      expect((await settings.getShopSettings(SHOP)).feedback).toEqual({ lowScoreThreshold: 8, firstResponseTargetMs: 12 * 3_600_000 }),
    );
  });

  it.each(Object.keys(TEXTS) as (keyof typeof TEXTS)[])("shows the card in %s", async (locale) => {
    const frame = await openSettings(locale);
    expect(await frame.getByLabel(TEXTS[locale].threshold).inputValue()).toBe("8");
    await frame.getByRole("heading", { name: TEXTS[locale].title }).scrollIntoViewIfNeeded();
    await screenshot(page, `17-settings-feedback-${locale}`);
  });
});
