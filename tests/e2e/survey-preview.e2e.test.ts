/**
 * The demo's checkout survey preview: the feedback-survey extension's real bundle, run by the emulated
 * admin's small host, shows the extension's own translations and walks a low score to the thank-you.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Browser, Frame, Page } from "playwright-core";
import { startAdminFrame, type AdminFrame } from "../emulator/admin-frame/server";
import { appFrame, sharedBrowser, closePages, newAdminPage, screenshot } from "./browser";

const SHOP = "kinship-survey.myshopify.com";
const strings = (file: string) => JSON.parse(readFileSync(`extensions/feedback-survey/locales/${file}`, "utf8"));
const uk = strings("uk.json");
const en = strings("en.default.json");

let frame: AdminFrame;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // The preview needs no app: the emulated admin builds and serves the extension itself.
  frame = await startAdminFrame({
    appUpstream: "http://127.0.0.1:9",
    apiKey: "k",
    apiSecret: "s",
    shops: [{ domain: SHOP, name: "Survey Shop" }],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
  await page.setViewportSize({ width: 1200, height: 900 });
});

afterAll(async () => {
  await closePages(browser);
  await frame?.close();
});

async function openPreview(options: Parameters<AdminFrame["surveyPreviewUrl"]>[1]): Promise<Frame> {
  await page.goto(frame.surveyPreviewUrl(SHOP, options));
  return appFrame(page);
}

describe("checkout survey preview", () => {
  it("renders the extension's Ukrainian strings and takes a low score through to its thanks, sending nothing", async () => {
    const survey = await openPreview({ target: "thank-you", locale: "uk" });
    await survey.getByText(uk.heading, { exact: true }).waitFor({ timeout: 60_000 });
    await survey.getByText(uk.score.question).waitFor();
    await survey.getByText(uk.actions.submit).waitFor();
    await screenshot(page, "survey-01-preview-uk");

    await survey.locator("s-choice").filter({ hasText: /^3$/ }).click();
    await survey.getByText(uk.reasons.label).waitFor();
    await survey.getByText(uk.reasons.delivery, { exact: true }).click();
    await screenshot(page, "survey-02-low-score-uk");
    await survey.locator("s-button", { hasText: uk.actions.submit }).click();
    await survey.getByText(uk.thanks.heading).waitFor();
    // The answer the extension would have posted, caught by the preview host.
    const sent = JSON.parse((await survey.locator("html").getAttribute("data-survey-sent")) ?? "{}");
    expect(sent).toMatchObject({ score: 3, reasons: ["delivery"], locale: "uk", orderId: "gid://shopify/Order/1001" });
  });

  it("renders the order-status page in English beside the admin's sidebar", async () => {
    const survey = await openPreview({ target: "order-status", locale: "en" });
    await survey.getByText(en.heading, { exact: true }).waitFor({ timeout: 60_000 });
    await expect(page.locator('#survey-preview-link[aria-current="page"]').count()).resolves.toBe(1);
    await screenshot(page, "survey-03-order-status-en");
  });
});
