/**
 * A rule's results page (issue #18) in a real browser, in each state its experiment can be in: works, hurts,
 * no detectable effect yet, too early, and not measured (no holdout). The arms-over-time chart draws after
 * hydration (polaris-viz). Screenshots: tests/e2e/screenshots/rule-results-<state>.png.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../emulator/stack";
import type { Arm } from "../support/rule-results";
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

const SHOP = "kinship-results-e2e.myshopify.com";
let database: TestDatabase;

let stack: LocalStack;
let browser: Browser;
let page: Page;

// Each state's arms, and what the page says then (the catalogs' English, written out).
const STATES: { state: string; treated: Arm; heldOut: Arm | null; verdict: string; chart: boolean }[] = [
  { state: "works", treated: { customers: 40, buyers: 26 }, heldOut: { customers: 40, buyers: 6 }, verdict: "Works", chart: true },
  { state: "hurts", treated: { customers: 40, buyers: 4 }, heldOut: { customers: 40, buyers: 22 }, verdict: "Hurts", chart: true },
  {
    state: "noDetectableEffect",
    treated: { customers: 40, buyers: 12 },
    heldOut: { customers: 40, buyers: 10 },
    verdict: "No detectable effect yet",
    chart: true,
  },
  {
    state: "tooEarly",
    treated: { customers: 8, buyers: 6 },
    heldOut: { customers: 8, buyers: 1 },
    verdict: "Too early to tell",
    chart: true,
  },
  { state: "noHoldout", treated: { customers: 20, buyers: 9 }, heldOut: null, verdict: "Not measured", chart: false },
];
const ruleIds = new Map<string, string>();

async function openResults(id: string): Promise<Frame> {
  await page.goto(stack.frame.appPageUrl(SHOP, { path: `/rules/${id}/results`, locale: "en" }));
  const frame = await appFrame(page);
  await frame.waitForSelector(".Polaris-Page", { timeout: 60_000 });
  return frame;
}

beforeAll(async () => {
  database = await freshDatabase();
  stack = await startLocalStack({
    apiKey: "kinship-results-e2e-key",
    apiSecret: "kinship-results-e2e-secret",
    databaseUrl: database.url,
    appOutput: appLog("results"),
    shops: [{ domain: SHOP, name: "Kinship Results", size: "tiny", seed: 1818, currency: "EUR", timeZone: "Europe/Zagreb" }],
  });
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
  // The first visit installs the app and imports the shop; wait until the import is done before writing beside it.
  await vi.waitFor(
    async () => {
      await page.goto(stack.frame.appPageUrl(SHOP, { locale: "en" }));
      const frame = await appFrame(page);
      expect(await frame.locator("body").innerText()).toMatch(/Last sync: .+ \(done\)/);
    },
    { timeout: 150_000, interval: 2_000 },
  );
  const { ruleWithArms } = await import("../support/rule-results");
  for (const s of STATES) ruleIds.set(s.state, await ruleWithArms(SHOP, s.treated, s.heldOut, `Results ${s.state}`));
});

afterAll(async () => {
  await closePages(browser);
  if (stack) await stopStack(stack);
});

describe("a rule's results page", () => {
  it.each(STATES)("shows the state $state with its interval, cost and arms over time", async ({ state, verdict, chart }) => {
    const frame = await openResults(ruleIds.get(state)!);
    const body = () => frame.locator("body").innerText();
    await expect.poll(body).toContain(`Results: Results ${state}`);
    const text = await body();
    expect(text).toContain(verdict);
    expect(text).toContain("Discounts redeemed");
    if (chart) {
      expect(text).toMatch(/Purchase rate: [+−-]?\d+\.\d points \(95% interval/);
      expect(text).toMatch(/Incremental profit per 100 eligible customers, before cost of goods: .+€/);
      // polaris-viz draws its SVG once the page has hydrated.
      await expect.poll(() => frame.locator('[role="figure"] svg').count()).toBeGreaterThan(0);
    } else {
      expect(text).not.toContain("Purchase rate by group over time");
    }
    await page.screenshot({ path: `${SCREENSHOTS}/rule-results-${state}.png`, fullPage: true });
  });

  it("is reached from the rule's page", async () => {
    const id = ruleIds.get("works")!;
    await page.goto(stack.frame.appPageUrl(SHOP, { path: `/rules/${id}`, locale: "en" }));
    const frame = await appFrame(page);
    await frame.getByRole("link", { name: "See results" }).click();
    await expect.poll(() => frame.locator("body").innerText()).toContain("Results: Results works");
  });
});
