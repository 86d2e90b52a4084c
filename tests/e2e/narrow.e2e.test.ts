/**
 * The customers list on a phone-width admin (420 px): each customer is one readable block whose numbers
 * are on screen, not in columns scrolled out of view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../emulator/stack";
import {
  appFrame,
  appLog,
  openWhenScored,
  freshDatabase,
  sharedBrowser,
  closePages,
  newAdminPage,
  screenshot,
  stopStack,
  type TestDatabase,
} from "./browser";

const SHOP = "kinship-narrow.myshopify.com";
let database: TestDatabase;
const WIDTH = 420;

let stack: LocalStack;
let browser: Browser;
let page: Page;
let db: (typeof import("../../app/db.server"))["default"];

async function open(path = ""): Promise<Frame> {
  await page.goto(stack.frame.appPageUrl(SHOP, { path, locale: "en" }));
  const frame = await appFrame(page);
  await frame.waitForSelector(".Polaris-Page", { timeout: 60_000 });
  return frame;
}

beforeAll(async () => {
  database = await freshDatabase();
  db = (await import("../../app/db.server")).default;
  stack = await startLocalStack({
    apiKey: "kinship-narrow-key",
    apiSecret: "kinship-narrow-secret",
    databaseUrl: database.url,
    appOutput: appLog("narrow"),
    shops: [{ domain: SHOP, name: "Kinship Narrow", size: "tiny", seed: 77, currency: "UAH", timeZone: "Europe/Kyiv" }],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
  await page.setViewportSize({ width: WIDTH, height: 1600 });
});

afterAll(async () => {
  await closePages(browser);
  if (stack) await stopStack(stack);
});

describe(`the customers list at ${WIDTH} px`, () => {
  it("shows each customer with their numbers inside the screen", async () => {
    // The first visit installs the app and imports the shop; the dashboard says when scores are in.
    await openWhenScored(open, db, SHOP);
    const frame = await open("/customers");
    const blocks = frame.locator(".kinship-condensed-customer");
    await blocks.first().waitFor({ timeout: 20_000 });
    const count = await blocks.count();
    expect(count).toBeGreaterThan(0);
    await screenshot(page, "narrow-01-customers-420px");

    for (let i = 0; i < Math.min(count, 5); i++) {
      const block = blocks.nth(i);
      const href = await block.locator("a").first().getAttribute("href");
      const numericId = /\/app\/customers\/(\d+)/.exec(href ?? "")?.[1];
      expect(numericId).toBeTruthy();
      const customer = await db.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: `gid://shopify/Customer/${numericId}` } });
      const text = await block.innerText();
      // Each number is shown under its name: the order count the database holds and the money figures.
      expect(text).toMatch(new RegExp(`Orders\\s+${customer.orderCount}\\b`));
      expect(text).toMatch(/Total spent\s+\S*\d/);
      expect(text).toMatch(/Predicted value\s+(\S*\d|—)/);
      // Every figure is on screen, not in a column scrolled out of view.
      const figures = block.locator(".Polaris-Text--numeric");
      expect(await figures.count()).toBe(4);
      for (const figure of await figures.all()) {
        expect(await figure.isVisible()).toBe(true);
        const box = await figure.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(WIDTH);
      }
    }
  });

  it("shows the app's pages in the admin's sidebar on a wide screen, the open one highlighted", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const frame = await open("/customers");
    await frame.locator(".Polaris-IndexTable").first().waitFor();
    const sidebar = page.getByRole("navigation", { name: "Admin navigation" });
    await sidebar.getByRole("link", { name: "Kinship" }).waitFor();
    // The entries come from the app's own <ui-nav-menu>, which the admin draws instead of the app.
    await expect
      .poll(() => sidebar.locator("#app-nav-items a").allInnerTexts())
      .toEqual(["Customers", "Segments", "Rules", "Feedback", "Settings"]);
    await expect.poll(() => sidebar.locator('a[aria-current="page"]').allInnerTexts()).toEqual(["Customers"]);
    expect(await frame.locator("ui-nav-menu").isVisible()).toBe(false);
    await screenshot(page, "narrow-02-sidebar");
    // A click in the sidebar navigates the app inside its frame.
    await sidebar.getByRole("link", { name: "Rules" }).click();
    await frame.waitForURL(/\/app\/rules/);
    await expect.poll(() => sidebar.locator('a[aria-current="page"]').allInnerTexts()).toEqual(["Rules"]);
  });
});
