/**
 * The merchant's first quarter hour (issue #23) on the demo shop (UAH, Kyiv; 150 customers where `npm run dev:local` has 1,762), in a real
 * browser, in English and Ukrainian: open the app, look at the dashboard, customers and segments, add a
 * rule of every kind with its defaults, read each dry-run confirmation and turn the rule on, then watch the
 * daily run (held after its first codes so the issuance card shows it moving), press "Import again" during it, and see
 * it finish. The run must stay within the shop's per-customer caps and each rule's budget, and issue exactly
 * what each confirmation said. Every page load is recorded; none may fail (their server times are printed,
 * not asserted: speed belongs to `npm run bench`).
 *
 * The daily run is driven from here with `runShopDay` (as the scheduler does), on a clock the test moves.
 * Screenshots: tests/e2e/screenshots/walk-<nn>-<step>-<locale>.png.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page, Request } from "playwright-core";
import { startLocalStack, type LocalStack } from "../emulator/stack";
import { DEMO_SHOP } from "../emulator/demo-shop";
import { PLAN_LIMITS } from "../emulator/throttle";
import { installShopifyDispatcher, uninstallShopifyDispatcher } from "../emulator/dispatcher";
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
import { catalog, translate, type Locale, type MessageKey } from "../../app/i18n";
import { shopFormatter } from "../../app/formatting";
import { RULE_KINDS } from "../../app/retention/rewards/kinds";
import type { AdminClient } from "../../app/shopify/admin-client.server";
import type { ShopRunOutcome } from "../../app/jobs/scheduler.server";

const SHOP = DEMO_SHOP.domain;
let database: TestDatabase;
const LOCALES = ["en", "uk"] as const;
type WalkLocale = (typeof LOCALES)[number];
// The demo shop (UAH, Kyiv, Ukrainian first) at a browser test's size (150 customers), so the walk stays
// cheap: its history is generated the same way, and its defaults scale with it.
/** The run is held at this code (or half way on a smaller day) while the merchant looks and imports again. */
const HOLD_AT = 5;
/** Every kind in the registry, so a new kind is walked through as soon as it exists. */
const KINDS = RULE_KINDS;

let stack: LocalStack;
let browser: Browser;
let page: Page;
/** A second tab for the language the merchant is not clicking in, so their own tab moves by clicks. */
let otherTab: Page;
let db: (typeof import("../../app/db.server"))["default"];
let step = 0;

const t = (locale: Locale, key: string, values?: Record<string, string | number>) => translate(locale, key as MessageKey, values);

// ---- every page load the walk makes: its status and the server's time to the first byte ----
interface Load {
  url: string;
  status: number;
  serverMs: number;
}
const loads: Load[] = [];
const failedRequests: string[] = [];

/** The app's own pages (through the emulated admin's origin), not the admin's assets or Shopify's CDN. */
const isAppPage = (url: string) => url.startsWith(`${stack.frame.url}/app`);

function record(request: Request) {
  const url = request.url();
  if (!isAppPage(url) || (request.resourceType() !== "document" && !url.includes("_data="))) return;
  void request.response().then((response) => {
    if (!response) return;
    const timing = request.timing();
    loads.push({
      url: url.replace(/[?&](id_token|hmac|session|host|embedded|shop|timestamp)=[^&]*/g, ""),
      status: response.status(),
      serverMs: timing.responseStart - timing.requestStart,
    });
  });
}

// ---- what a page must not show ----
const MESSAGE_KEY = new RegExp(`\\b(?:${Object.values(CATALOG_PREFIXES).flat().join("|")})\\.[a-z][A-Za-z]+(?:\\.[A-Za-z_]+)*\\b`);

/** English sentences of the catalogs (their longest literal part) that Ukrainian says differently. */
const ENGLISH_ONLY = (() => {
  const en = catalog("en");
  const uk = catalog("uk");
  const parts = new Set<string>();
  for (const [key, value] of Object.entries(en)) {
    if (uk[key] === value) continue;
    const longest = value
      .split(/\{[^}]*\}/)
      .map((s) => s.trim())
      .sort((a, b) => b.length - a.length)[0];
    if (longest && longest.length >= 16 && /\s/.test(longest)) parts.add(longest);
  }
  return [...parts];
})();

/** `userText`: what the merchant wrote (a rule's name), which stays in the language it was written in. */
async function expectTranslated(frame: Frame, locale: WalkLocale, userText: string[] = []) {
  const text = userText.reduce((all, own) => all.split(own).join(""), await frame.locator("body").innerText());
  expect(text.match(MESSAGE_KEY)?.[0] ?? null).toBeNull();
  if (locale === "uk") expect(ENGLISH_ONLY.filter((s) => text.includes(s))).toEqual([]);
}

async function open(path: string, locale: WalkLocale, on: Page = page): Promise<Frame> {
  const [pathname, query] = path.split("?");
  await on.goto(stack.frame.appPageUrl(SHOP, { path: pathname, locale }) + (query ? `&${query}` : ""));
  const frame = await appFrame(on);
  await frame.waitForSelector(".Polaris-Page", { timeout: 60_000 });
  return frame;
}

async function shot(name: string, locale: WalkLocale, on: Page = page) {
  await screenshot(on, `walk-${String(step).padStart(2, "0")}-${name}-${locale}`);
}

/** Opens a page in both languages, checks it is translated, and photographs it. */
async function look(path: string, name: string, ready: (frame: Frame, locale: WalkLocale) => Promise<unknown>, userText: string[] = []) {
  step++;
  for (const locale of LOCALES) {
    const frame = await open(path, locale);
    await ready(frame, locale);
    await expectTranslated(frame, locale, userText);
    await shot(name, locale);
  }
}

// ---- the daily run, driven from the test on a clock it moves ----
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

/** The shop's client, with each code creation passed through `gate` first. */
/** Codes a creating call makes: one per discount or credit, or a bulk add's batch (audience codes share a discount). */
function codesCreatedBy(key: string, variables: Record<string, unknown>): number {
  if (key === "discountRedeemCodeBulkAdd") return (variables.codes as unknown[]).length;
  return /^discountCode\w+Create$|^storeCreditAccountCredit$/.test(key) ? 1 : 0;
}

/** An Admin client whose creating calls first pass `gate` with the number of codes created so far, this call's included. */
async function gatedClient(gate: (n: number, batch: number) => Promise<void>): Promise<AdminClient> {
  const { createAdminClient } = await import("../../app/shopify/admin-client.server");
  const base = createAdminClient({ shop: SHOP, accessToken: stack.emulator.issueAccessToken(SHOP).accessToken });
  let n = 0;
  return {
    shop: base.shop,
    get lastCost() {
      return base.lastCost;
    },
    request: (document, variables) => base.request(document, variables),
    mutate: (async (document: string, variables: Record<string, unknown>, key: string) => {
      const batch = codesCreatedBy(key, variables);
      if (batch) await gate((n += batch), batch);
      return base.mutate(document, variables, key);
    }) as AdminClient["mutate"],
  };
}

async function runDay(client: AdminClient): Promise<ShopRunOutcome> {
  const { runShopDay } = await import("../../app/jobs/scheduler.server");
  return runShopDay(SHOP, { clientFor: async () => client, now: clock, owner: "e2e-walk" });
}

// ---- what the confirmations said ----
interface Confirmed {
  ruleId: string;
  kind: (typeof KINDS)[number];
  codes: string;
  maxCost: string;
  locale: WalkLocale;
}
const confirmed: Confirmed[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  db = (await import("../../app/db.server")).default;
  stack = await startLocalStack({
    apiKey: "kinship-walk-key",
    apiSecret: "kinship-walk-secret",
    databaseUrl: database.url,
    appOutput: appLog("walk"),
    shops: [{ ...DEMO_SHOP, ...BROWSER_SHOP_SIZE, locales: [...DEMO_SHOP.locales] }],
  });
  // The test's own Admin API calls (the daily run) reach the emulator as the app's do.
  installShopifyDispatcher(stack.emulator.url);
  browser = await sharedBrowser();
  page = await newAdminPage(browser);
  otherTab = await newAdminPage(browser);
  // Both tabs are watched: the other language's pages must load and hydrate as cleanly as the merchant's.
  for (const tab of [page, otherTab]) {
    tab.on("request", record);
    tab.on("requestfailed", (request) => {
      // ERR_ABORTED: the walk moved on while the page was revalidating (the sync card polls during an import).
      const error = request.failure()?.errorText ?? "";
      if (isAppPage(request.url()) && error !== "net::ERR_ABORTED") failedRequests.push(`${request.url().split("?")[0]}: ${error}`);
    });
  }
});

afterAll(async () => {
  const times = loads.map((l) => l.serverMs).sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
  console.log(
    `[walk] ${loads.length} page loads; server time p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (printed, not asserted)`,
  );
  for (const l of [...loads].sort((a, b) => b.serverMs - a.serverMs).slice(0, 5))
    console.log(`[walk]   ${Math.round(l.serverMs)} ms ${l.status} ${l.url}`);
  await closePages(browser);
  if (stack) await stopStack(stack);
  await uninstallShopifyDispatcher();
});

describe("the merchant's first quarter hour on the demo shop", () => {
  it("opens the app: the first visit installs it and imports the shop", async () => {
    step++;
    await openWhenScored(() => open("", "en"), db, SHOP);
    const { seedDemoFeedback } = await import("../emulator/demo-seed");
    await seedDemoFeedback({ shop: SHOP, locales: [...DEMO_SHOP.locales], timeZone: DEMO_SHOP.timeZone, now: new Date() });
    // The merchant has a Flow workflow on Kinship's trigger, so codes have a way to reach customers.
    expect((await stack.emulator.sendFlowLifecycle(SHOP, { enabled: true })).status).toBe(200);
    expect(await db.customer.count({ where: { shop: SHOP } })).toBeGreaterThan(BROWSER_SHOP_SIZE.customers / 2);
  });

  it("looks at the dashboard, the customers and the segments", async () => {
    await look("", "dashboard", (frame, locale) => frame.getByText(t(locale, "sync.title"), { exact: true }).first().waitFor());
    await look("/customers", "customers", (frame) => frame.locator(".Polaris-IndexTable__TableRow").first().waitFor());
    await look("/segments", "segments", (frame, locale) => frame.getByText(t(locale, "segments.gridTitle")).first().waitFor());
  });

  it.each(KINDS.map((kind, i) => [kind, LOCALES[i % 2]!] as const))(
    "adds a %s rule with its defaults, reads the confirmation and turns it on (%s)",
    async (kind, clickIn) => {
      // The new rule's form, with the shop's defaults: opened directly in the other language (in the other tab),
      // and in the merchant's from the rules list; from there on the merchant's tab moves by clicks (each page
      // load costs the browser and the app a whole page).
      step++;
      const other = LOCALES.find((l) => l !== clickIn)!;
      const saveButton = (frame: Frame, locale: WalkLocale) =>
        frame.getByRole("button", { name: t(locale, "rules.action.save"), exact: true });
      const otherForm = await open(`/rules/new?kind=${kind}`, other, otherTab);
      await saveButton(otherForm, other).waitFor();
      await expectTranslated(otherForm, other);
      await shot(`new-${kind}`, other, otherTab);
      const before = await db.discountRule.count({ where: { shop: SHOP } });
      const frame = await open("/rules", clickIn);
      await frame.getByRole("link", { name: t(clickIn, `rules.kind.${kind}.add`) }).click();
      await frame.waitForURL(new RegExp(`/app/rules/new\\?(.*&)?kind=${kind}(&|$)`));
      await saveButton(frame, clickIn).waitFor();
      await expectTranslated(frame, clickIn);
      await shot(`new-${kind}`, clickIn);
      await saveButton(frame, clickIn).click();
      await frame.waitForURL(/\/app\/rules\/(?!new)[^/?]+/);
      const rule = await db.discountRule.findFirstOrThrow({ where: { shop: SHOP, kind }, orderBy: { createdAt: "desc" } });
      expect(await db.discountRule.count({ where: { shop: SHOP } })).toBe(before + 1);
      expect(rule.enabled).toBe(false);

      // "Turn on…": the confirmation with the first run's figures, in both languages; the merchant's comes last
      // (pressed on the rule's page), and it is the one confirmed.
      step++;
      const figures: Record<WalkLocale, { codes: string; maxCost: string }> = {
        en: { codes: "", maxCost: "" },
        uk: { codes: "", maxCost: "" },
      };
      const readConfirmation = async (on: Frame, locale: WalkLocale, tab: Page) => {
        const dialog = on.getByRole("dialog");
        await dialog.getByText(t(locale, "rules.confirm.codes")).waitFor();
        const cells = await dialog.locator(".Polaris-InlineGrid > *").allInnerTexts();
        const after = (label: string) => cells[cells.indexOf(t(locale, label)) + 1]!.trim();
        figures[locale] = { codes: after("rules.confirm.codes"), maxCost: after("rules.confirm.maxCost") };
        await expectTranslated(on, locale, [rule.name]);
        await shot(`confirm-${kind}`, locale, tab);
      };
      await readConfirmation(await open(`/rules/${rule.id}?turnOn=1`, other, otherTab), other, otherTab);
      await frame.getByRole("link", { name: t(clickIn, "rules.action.turnOn"), exact: true }).click();
      await readConfirmation(frame, clickIn, page);
      confirmed.push({ ruleId: rule.id, kind, locale: clickIn, ...figures[clickIn] });

      await frame
        .getByRole("dialog")
        .getByRole("button", { name: t(clickIn, "rules.confirm.turnOn"), exact: true })
        .click();
      await expect.poll(async () => (await db.discountRule.findUniqueOrThrow({ where: { id: rule.id } })).enabled).toBe(true);
      await frame.getByText(t(clickIn, "rules.page.on"), { exact: true }).waitFor();
    },
  );

  it("watches the daily run, imports again during it, and sees it finish within the caps", { timeout: 400_000 }, async () => {
    const settings = await (await import("../../app/models/shop-settings.server")).getShopSettings(SHOP);
    const caps = settings.customerCaps;
    const expectedCodes = confirmed.reduce((n, c) => n + Number(c.codes.replace(/\D/g, "")), 0);
    expect(expectedCodes).toBeGreaterThan(1);

    // Each code costs the run three Admin calls of 10 points: at a Basic shop's 100 points a second the emulator
    // paced most of it (25 s of waiting here). The pace is the throttle tests' and the bench's business; the
    // walk runs at a Plus shop's rate.
    stack.emulator.shop(SHOP).setThrottle(PLAN_LIMITS.plus);
    // The run is held at its middle code until the merchant has looked and pressed "Import again".
    const holdAt = Math.min(HOLD_AT, Math.ceil(expectedCodes / 2));
    let reached!: () => void;
    const atMiddle = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let wasReached = false;
    // The call that reaches the hold, and how many codes it creates (a bulk add creates many at once).
    let heldAt = 0;
    let heldBatch = 0;
    const client = await gatedClient(async (n, batch) => {
      if (wasReached || n < holdAt) return;
      wasReached = true;
      heldAt = n;
      heldBatch = batch;
      reached();
      await released;
    });
    const firstTick = runDay(client);
    const endedEarly = firstTick.then((o) => {
      if (!wasReached) throw new Error(`the run ended before its hold: ${JSON.stringify(o)}`);
    });
    endedEarly.catch(() => undefined);
    await Promise.race([atMiddle, endedEarly]);

    // The issuance card, mid-run: some delivered, the rest queued or being created.
    const { issuanceCounts } = await import("../../app/models/issued-discounts.server");
    const mid = (await issuanceCounts(SHOP)).shop;
    // Codes before the held call are out (or being written to the customer); the held call's codes may count as being created.
    expect(mid.delivered + mid.creating).toBeGreaterThanOrEqual(heldAt - heldBatch);
    expect(mid.delivered + mid.creating).toBeLessThanOrEqual(heldAt);
    expect(mid.queued).toBeGreaterThan(0);
    step++;
    for (const locale of LOCALES) {
      const frame = await open("", locale);
      const card = frame.getByRole("heading", { name: t(locale, "issued.title") });
      await card.waitFor();
      await expect.poll(() => frame.locator("body").innerText()).toContain(t(locale, "issued.running"));
      await expectTranslated(frame, locale);
      await shot("run-midway", locale);
    }

    // "Import again" while the run is held.
    const runsBefore = await db.syncRun.count({ where: { shop: SHOP, kind: "backfill" } });
    const dashboard = await open("", "en");
    await dashboard.getByRole("button", { name: t("en", "sync.runAgain") }).click();
    await expect.poll(() => db.syncRun.count({ where: { shop: SHOP, kind: "backfill" } })).toBe(runsBefore + 1);
    step++;
    for (const locale of LOCALES) {
      const frame = await open("", locale);
      await frame.getByText(t(locale, "issued.title")).first().waitFor();
      await expectTranslated(frame, locale);
      await shot("import-again-during-run", locale);
    }

    // The run goes on; a tick that leaves rows (the import held the lock) is followed by the next one.
    release();
    const outcomes = [await firstTick];
    const unfinished = (o: ShopRunOutcome) => o.status === "failed" || (o.status === "ran" && o.unfinished > 0);
    for (let tick = 1; tick < 6 && unfinished(outcomes.at(-1)!); tick++) {
      offsetMs += 15 * 60_000;
      outcomes.push(await runDay(await gatedClient(async () => undefined)));
    }
    // Birthday codes go out from the shop's send hour: before it, that tick of the day runs them.
    const kyivHour = Number(
      new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: DEMO_SHOP.timeZone }).format(clock()),
    );
    if (kyivHour < settings.birthdays.sendHour) {
      offsetMs += (settings.birthdays.sendHour - kyivHour) * 3_600_000;
      outcomes.push(await runDay(await gatedClient(async () => undefined)));
    }
    console.log(
      `[walk] daily run ticks: ${outcomes.map((o) => o.status + ("unfinished" in o ? ` (${o.unfinished} left)` : "")).join(", ")}`,
    );
    expect(outcomes.some((o) => o.status === "ran")).toBe(true);
    expect((await issuanceCounts(SHOP)).shop).toMatchObject({ queued: 0, creating: 0, failed: 0 });

    // The import pressed during the run finishes too.
    await expect
      .poll(
        async () => (await db.syncRun.findFirstOrThrow({ where: { shop: SHOP, kind: "backfill" }, orderBy: { startedAt: "desc" } })).status,
        {
          timeout: 120_000,
        },
      )
      .toBe("completed");

    // Within the caps: per customer per day and per 30 days, across all rules.
    const codes = await db.issuedDiscount.findMany({
      where: { shop: SHOP, kind: "issue", status: { notIn: ["withheld", "cancelled", "failed"] } },
      select: { ruleId: true, customerShopifyId: true, amount: true, createdAt: true, code: true },
    });
    const perCustomer = new Map<string, number>();
    for (const c of codes) perCustomer.set(c.customerShopifyId, (perCustomer.get(c.customerShopifyId) ?? 0) + 1);
    expect(Math.max(...perCustomer.values())).toBeLessThanOrEqual(Math.min(caps.perDay, caps.per30Days));

    // Within each rule's budget, and exactly what each confirmation said.
    const rules = await db.discountRule.findMany({ where: { shop: SHOP } });
    const shopRow = await db.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    for (const c of confirmed) {
      const mine = codes.filter((x) => x.ruleId === c.ruleId);
      const cost = Math.round(mine.reduce((sum, x) => sum + (x.amount ?? 0), 0) * 100) / 100;
      const f = shopFormatter({ locale: c.locale, currency: shopRow.currencyCode, timeZone: shopRow.ianaTimezone });
      expect({ kind: c.kind, codes: f.number(mine.length), maxCost: f.money(cost) }).toEqual({
        kind: c.kind,
        codes: c.codes,
        maxCost: c.maxCost,
      });
      const budget = (JSON.parse(rules.find((r) => r.id === c.ruleId)!.config) as { budget?: { maxCount?: number; maxAmount?: number } })
        .budget;
      if (budget?.maxCount !== undefined) expect(mine.length).toBeLessThanOrEqual(budget.maxCount);
      if (budget?.maxAmount !== undefined) expect(cost).toBeLessThanOrEqual(budget.maxAmount);
    }
    expect(codes).toHaveLength(expectedCodes);
    // Every code exists in Shopify (audience codes share a discount, so codes are looked up, not discounts counted).
    const discounts = stack.emulator.shop(SHOP).discounts;
    expect(codes.filter((c) => c.amount !== null && !discounts.discountForCode(c.code ?? ""))).toEqual([]);
    console.log(
      `[walk] first run: ${codes.length} codes, max cost ${codes.reduce((s, c) => s + (c.amount ?? 0), 0).toFixed(2)} ${shopRow.currencyCode}; by kind: ${confirmed
        .map((c) => `${c.kind} ${c.codes} (${c.maxCost})`)
        .join(", ")}`,
    );

    await look("", "run-finished", (frame, locale) => frame.getByText(t(locale, "issued.title")).first().waitFor());
    await look(
      "/rules",
      "rules-after-run",
      (frame, locale) => frame.getByText(t(locale, "rules.list.on")).first().waitFor(),
      rules.map((r) => r.name),
    );

    // No page failed to load, and every page the walk opened drew in the browser what the server had drawn.
    expect(failedRequests).toEqual([]);
    expect(loads.filter((l) => l.status >= 400)).toEqual([]);
    expect([...hydrationErrors(page), ...hydrationErrors(otherTab)]).toEqual([]);
  });
});
