/**
 * The merchant's admin in a real browser: Debian's Chromium opens the emulated Shopify admin, which embeds
 * the built app (server/index.mjs) talking to the Shopify emulator with a seeded shop. The first visit installs
 * the app and imports the shop's history; then each flow runs as a merchant would, and every page is
 * photographed into tests/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../emulator/stack";
import {
  appFrame,
  appLog,
  openWhenScored,
  freshDatabase,
  hydrationErrors,
  sharedBrowser,
  closePages,
  newAdminPage,
  screenshot,
  stopStack,
  type TestDatabase,
  BROWSER_SHOP_SIZE,
} from "./browser";
import { CATALOG_PREFIXES } from "../../app/i18n/catalogs";

const SHOP = "kinship-e2e.myshopify.com";
let database: TestDatabase;

let stack: LocalStack;
let browser: Browser;
let page: Page;
// The app's Prisma client, pointed at the same database as the app under test (for seeding and checks).
let db: (typeof import("../../app/db.server"))["default"];

async function open(path = "", locale = "en"): Promise<Frame> {
  await page.goto(stack.frame.appPageUrl(SHOP, { path, locale }));
  const frame = await appFrame(page);
  await frame.waitForSelector(".Polaris-Page", { timeout: 60_000 });
  return frame;
}

// A message key on screen means a page asked for a string its loader did not send.
const MESSAGE_KEY = new RegExp(`\\b(?:${Object.values(CATALOG_PREFIXES).flat().join("|")})\\.[a-z][A-Za-z]+(?:\\.[A-Za-z_]+)*\\b`);

async function expectTranslated(frame: Frame) {
  const text = await frame.locator("body").innerText();
  expect(text.match(MESSAGE_KEY)?.[0] ?? null).toBeNull();
}

beforeAll(async () => {
  database = await freshDatabase();
  db = (await import("../../app/db.server")).default;
  stack = await startLocalStack({
    apiKey: "kinship-e2e-key",
    apiSecret: "kinship-e2e-secret",
    databaseUrl: database.url,
    appOutput: appLog("admin"),
    shops: [
      { domain: SHOP, name: "Kinship E2E", size: "small", ...BROWSER_SHOP_SIZE, seed: 4242, currency: "EUR", timeZone: "Europe/Zagreb" },
    ],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
});

afterAll(async () => {
  await closePages(browser);
  if (stack) await stopStack(stack);
});

describe("Kinship in the Shopify admin", () => {
  it("shows the dashboard with the shop's real numbers once its history is imported", async () => {
    const frame = await openWhenScored(open, db, SHOP);
    const [buyers, returning] = await Promise.all([
      db.customer.count({ where: { shop: SHOP, orderCount: { gte: 1 } } }),
      db.customer.count({ where: { shop: SHOP, orderCount: { gte: 2 } } }),
    ]);
    expect(buyers).toBeGreaterThan(100);
    const repeatRate = `${((returning / buyers) * 100).toFixed(1)}%`;
    const text = await frame.locator("body").innerText();
    expect(text).toContain("Kinship is connected to Kinship E2E.");
    expect(text).toContain(repeatRate);
    expect(text).toContain(`${returning.toLocaleString("en")} of ${buyers.toLocaleString("en")} customers ordered more than once`);
    expect(text).toMatch(/Last import finished .*: [\d,]+ customers and [\d,]+ orders\./);
    // The lifecycle chart is drawn by polaris-viz after hydration.
    await frame.waitForSelector('[role="figure"] svg', { timeout: 20_000 });
    await expectTranslated(frame);
    // The browser's first render matched the server's (a figure written differently by Node and Chromium broke it).
    expect(hydrationErrors(page)).toEqual([]);
    await screenshot(page, "01-dashboard");
  });

  it("shows the same dashboard in Ukrainian, with Polaris's own strings translated", async () => {
    const frame = await open("", "uk");
    await frame.getByText("Показники магазину").waitFor();
    await expectTranslated(frame);
    expect(hydrationErrors(page)).toEqual([]);
    await screenshot(page, "02-dashboard-uk");
    const customers = await open("/customers", "uk");
    // Polaris's pagination label comes from Kinship's Ukrainian Polaris translations.
    await expect(customers.getByRole("button", { name: "Наступна" }).count()).resolves.toBeGreaterThan(0);
  });

  it("filters customers to Lapsed and opens one", async () => {
    const frame = await open("/customers");
    await frame.getByRole("tab", { name: "Lapsed" }).click();
    await frame.waitForURL(/lifecycle=lapsed/);
    const lapsed = await db.customer.count({ where: { shop: SHOP, lifecycle: "lapsed" } });
    expect(lapsed).toBeGreaterThan(0);
    await frame
      .getByText(`${lapsed.toLocaleString("en")} customers`, { exact: true })
      .first()
      .waitFor();
    // Polaris keeps its loading panel in the page and shows it while a page of rows loads.
    await expect.poll(() => frame.locator(".Polaris-IndexTable__LoadingPanel").first().isVisible()).toBe(false);
    const rows = frame.locator(".Polaris-IndexTable__TableRow");
    await expect(rows.count()).resolves.toBeGreaterThan(0);
    // A badge also carries a visually hidden tone label ("Critical"); its visible text is the group.
    const groups = await frame.locator(".Polaris-IndexTable__TableRow .Polaris-Badge").allInnerTexts();
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((text) => text.trim().endsWith("Lapsed"))).toBe(true);
    // The group says what it means on hover.
    await frame.locator(".Polaris-IndexTable__TableRow .Polaris-Badge").first().hover();
    await frame.getByRole("tooltip").getByText("Stopped buying: likely gone unless won back.").waitFor();
    await screenshot(page, "03b-lapsed-meaning-on-hover");
    await expectTranslated(frame);
    await screenshot(page, "03-customers-lapsed");

    const firstName = (await rows.first().locator("a").first().innerText()).trim();
    await rows.first().locator("a").first().click();
    await frame.waitForURL(/\/app\/customers\/\d+/);
    await frame.getByRole("heading", { name: firstName }).waitFor();
    const detail = await frame.locator("body").innerText();
    expect(detail).toContain("Lapsed");
    // "3 orders, last 212 days ago" or, for one order that counts (a fully refunded one does not), "1 order, 763 days ago".
    expect(detail).toMatch(/\d+ orders?, (last )?\d+ days? ago/);
    expect(detail).toContain("What the model sees");
    await expectTranslated(frame);
    await screenshot(page, "04-customer");
  });

  it("shows the RFM grid and settings", async () => {
    const segments = await open("/segments");
    await segments.getByText("RFM grid: recency × frequency").waitFor();
    await expectTranslated(segments);
    await screenshot(page, "05-segments");
    const settings = await open("/settings", "hr");
    await settings.getByText("Uvoz rođendana").waitFor();
    await expectTranslated(settings);
    await screenshot(page, "06-settings-hr");
  });

  it("rejects a tier rule with a bad value, then saves it once fixed", async () => {
    const frame = await open("/rules");
    await screenshot(page, "07-rules");
    await frame.getByRole("link", { name: /Add loyalty tiers/i }).click();
    await frame.getByLabel("Threshold").first().waitFor();
    expect(frame.url()).toMatch(/\/app\/rules\/new/);
    const threshold = frame.getByLabel("Threshold").first();
    await threshold.fill("-50");
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    // The server's message shows under the field it is about.
    await expect.poll(() => threshold.getAttribute("aria-invalid")).toBe("true");
    const errorId = (await threshold.getAttribute("aria-describedby"))?.split(" ").find((id) => id.endsWith("Error"));
    expect(errorId).toBeTruthy();
    expect((await frame.locator(`[id="${errorId}"]`).innerText()).trim().length).toBeGreaterThan(3);
    expect(await db.discountRule.count({ where: { shop: SHOP } })).toBe(0);
    await screenshot(page, "07-rule-error");

    // Fix every field the server marked, as a merchant would.
    await threshold.fill("50");
    for (const label of ["Monthly cap (codes)", "Monthly budget"]) {
      const field = frame.getByLabel(label);
      if ((await field.count()) && (await field.getAttribute("aria-invalid")) === "true")
        await field.fill(label.startsWith("Monthly cap") ? "500" : "5000");
    }
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => db.discountRule.count({ where: { shop: SHOP, kind: "loyaltyTiers" } }), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => frame.url()).not.toMatch(/\/rules\/new/);
    await screenshot(page, "08-rule-saved");
  });

  it("lists an unhappy customer in the follow-up queue and resolves the item", async () => {
    const customer = await db.customer.findFirstOrThrow({
      where: { shop: SHOP, lifecycle: "lapsed", firstName: { not: null } },
      orderBy: { predictedClv: "desc" },
    });
    const order = await db.order.findFirstOrThrow({
      where: { shop: SHOP, customerShopifyId: customer.shopifyId },
      orderBy: { processedAt: "desc" },
    });
    const feedback = await db.feedback.create({
      data: {
        shop: SHOP,
        orderShopifyId: order.shopifyId,
        customerShopifyId: customer.shopifyId,
        score: 2,
        reasons: "delivery",
        comment: "The parcel arrived two weeks late.",
      },
    });
    const frame = await open("/feedback");
    const name = `${customer.firstName} ${customer.lastName ?? ""}`.trim();
    const item = frame.getByRole("link", { name }).first();
    await item.waitFor();
    await screenshot(page, "09-follow-up-queue");
    await expectTranslated(frame);
    await item.click();
    await frame.waitForURL(new RegExp(`/app/feedback/${feedback.id}`));
    await frame.getByText("The parcel arrived two weeks late.").waitFor();
    await frame.getByRole("button", { name: "Mark resolved" }).click();
    await frame.getByRole("button", { name: "Reopen" }).waitFor();
    const stored = await db.feedback.findUniqueOrThrow({ where: { id: feedback.id } });
    expect(stored.status).toBe("resolved");
    expect(stored.resolvedAt).not.toBeNull();
    await expectTranslated(frame);
    await screenshot(page, "10-feedback-resolved");
  });

  it("answers an unknown customer or feedback item with a translated page and a way back", async () => {
    const customer = await open("/customers/999999999", "uk");
    await customer.getByRole("heading", { name: "Клієнта не знайдено" }).first().waitFor();
    await expectTranslated(customer);
    await screenshot(page, "11-customer-not-found-uk");

    const feedback = await open("/feedback/no-such-item");
    await feedback.getByRole("heading", { name: "Feedback not found" }).first().waitFor();
    await expectTranslated(feedback);
    await screenshot(page, "12-feedback-not-found");
    await feedback.getByRole("link", { name: "All feedback" }).last().click();
    await feedback.waitForURL(/\/app\/feedback\?/);
    await feedback.getByRole("heading", { name: "Feedback" }).first().waitFor();
  });
});
