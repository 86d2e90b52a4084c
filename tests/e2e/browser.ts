import { existsSync, mkdirSync, rmSync } from "node:fs";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { migratedSqliteCopy } from "../support/sqlite-template";
import { buildIfStale } from "../../scripts/build-app";
import type { LocalStack } from "../emulator/stack";
import type { PrismaClient } from "@prisma/client";

export const SCREENSHOTS = "tests/e2e/screenshots";

/**
 * Debian's Chromium (never a downloaded browser); CHROMIUM_PATH overrides. Its headless shell (Debian's
 * `chromium-headless-shell`, the same build without the browser's window machinery, which Playwright itself
 * runs headless) comes first: on two browser test files it used a quarter less CPU than the full browser (19.0 vs 25.4 s).
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, ...CHROMIUM_BINARIES].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error("Chromium is not installed: `apt-get install -y chromium-headless-shell` (or set CHROMIUM_PATH). .ci/run installs it.");
  return found;
}
export const CHROMIUM_BINARIES = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * A browser test's shop: the small preset's history at 150 of its 2,000 customers. The pages need a shop with
 * every group, tier and warning in it, not volume (the bench measures that): 150 still fill all four groups and
 * all 25 RFM cells. Each customer costs each file its import, scoring and write-back, and the customers/update
 * webhook the write-back sends back: at 300 customers the run used 93 CPU-s outside Chromium, at 150, 77. Files
 * about one card or page (health, my rewards, feedback, results, narrow) take the tiny preset (50 customers):
 * health and my rewards at 150 cost 25.6 and 21.9 CPU-s, tiny 20.4 and 19.0.
 */
export const BROWSER_SHOP_SIZE = { customers: 150, orders: 850 } as const;

export interface TestDatabase {
  url: string;
}

/**
 * The browser test files run one after another in one process (isolate: false in tests/e2e/vitest.config.ts), so
 * they share its module graph, its Prisma client and its Chromium; what each file gets fresh is its own app, its
 * own emulator and an empty database. Each file used to import the app and the emulator and launch Chromium
 * again: the browser run alone took 304.9 CPU-s then, 274.1 since (December 2026, two cores).
 */
let database: Promise<TestDatabase> | undefined;

/**
 * The browser tests' SQLite database, migrated and emptied of what an earlier file left, with the built app
 * ready to run against it; this process's Prisma client (imported after this) points at it too, for seeding
 * and checks. The database is one file per process because that client is one per process.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (database) {
    const { url } = await database;
    await emptyTables();
    return { url };
  }
  database = (async () => {
    if (!(await buildIfStale())) throw new Error("Building the app for the browser tests failed (its output is above).");
    mkdirSync("tests/.tmp", { recursive: true });
    const file = `tests/.tmp/e2e-${process.pid}.sqlite`;
    const remove = () => {
      for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    };
    remove();
    await migratedSqliteCopy(file);
    process.once("exit", remove);
    const url = `file:./${file}`;
    process.env.DATABASE_URL = url;
    return { url };
  })();
  database.catch(() => (database = undefined));
  return database;
}

/** Every row of every table goes (the schema has no foreign keys, so order does not matter); the migrations stay. */
async function emptyTables(): Promise<void> {
  const db = (await import("../../app/db.server")).default;
  const tables = await db.$queryRawUnsafe<Array<{ name: string }>>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'",
  );
  await db.$transaction(tables.map(({ name }) => db.$executeRawUnsafe(`DELETE FROM "${name.replaceAll('"', '""')}"`)));
}

/** The app's output for one browser test file, kept beside its screenshots: what the server did when a page did not come. */
export function appLog(name: string): { file: string } {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { file: `${SCREENSHOTS}/app-${name}.log` };
}

let browser: Promise<Browser> | undefined;

/** This process's Chromium, launched by the first file that asks (and again if it went away). */
export async function sharedBrowser(): Promise<Browser> {
  if (browser && (await browser.catch(() => null))?.isConnected()) return browser;
  browser = chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  return browser;
}

/** Closes a file's pages; Chromium stays up for the next file (Playwright stops it when the process exits). */
export async function closePages(shared: Browser | undefined): Promise<void> {
  await Promise.all(shared?.contexts().map((context) => context.close()) ?? []);
}

// authenticate.admin answers 410 to bots, including Playwright's default HeadlessChrome user agent.
const DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const pageErrors = new WeakMap<Page, string[]>();

/**
 * React's hydration failures seen on the page so far (#418 the markup differs, #423 the whole root falls back
 * to client rendering, #425 a text differs): each means the server's render and the browser's disagree, so the
 * page is drawn twice and flickers.
 */
export function hydrationErrors(page: Page): string[] {
  return (pageErrors.get(page) ?? []).filter((message) => /Minified React error #4(18|19|22|23|25)\b|[Hh]ydrat/.test(message));
}

/**
 * Admin pages are browsed at a laptop's size and photographed at most this tall: the emulated admin sizes the
 * app's frame to the window, so only a tall window shows a whole page. Browsing at the tall size cost Chromium a
 * third more CPU (every frame is drawn at that size).
 */
const SCREENSHOT_HEIGHT = 2400;

export async function newAdminPage(browser: Browser): Promise<Page> {
  // Reduced motion: Polaris skips its transitions, which otherwise redraw the page while a test waits.
  const page = await browser.newPage({ userAgent: DESKTOP_UA, viewport: { width: 1400, height: 900 }, reducedMotion: "reduce" });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (error) => {
    errors.push(error.message);
    console.error(`[browser] ${error.message}`);
  });
  // A navigation waits for the embedded app's server render; with the whole suite side by side on two cores
  // that has taken over 30 s (Playwright's default), so navigations get the same 60 s as the selector waits.
  page.setDefaultNavigationTimeout(60_000);
  return page;
}

/**
 * Opens the dashboard (`open`) until it says the shop's scores are in. The first visit installs the app and starts
 * its import; between visits the database is asked every quarter second whether the first scoring is stored,
 * instead of reloading the dashboard every few seconds (each reload is a whole page for Chromium and the app).
 */
export async function openWhenScored(open: () => Promise<Frame>, db: PrismaClient, shop: string): Promise<Frame> {
  const deadline = Date.now() + 150_000;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (;;) {
    const frame = await open();
    const text = await frame.locator("body").innerText();
    if (/Scores as of/.test(text)) return frame;
    let waited = false;
    while (!(await db.shop.findUnique({ where: { shop }, select: { modelFittedAt: true } }))?.modelFittedAt) {
      if (Date.now() > deadline) throw new Error(`${shop} was not imported and scored in time. Dashboard says:\n${text.slice(0, 800)}`);
      await pause(250);
      waited = true;
    }
    // Stored before this visit, yet the page did not show it: give the app a moment before the next one.
    if (!waited) {
      if (Date.now() > deadline) throw new Error(`${shop} is scored but its dashboard does not say so:\n${text.slice(0, 800)}`);
      await pause(500);
    }
  }
}

/** The embedded app's frame inside the emulated admin. */
export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector("iframe#app-iframe");
  const frame = await handle.contentFrame();
  if (!frame) throw new Error("the app iframe has no document");
  return frame;
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  const height = size && (await heightShowingApp(page, size.height));
  const grow = size !== null && height !== null && height > size.height;
  if (grow) await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  if (grow) await page.setViewportSize(size);
}

/**
 * The window height at which the admin shows the whole app page (the admin sizes the app's frame to the window),
 * at most SCREENSHOT_HEIGHT: every pixel of a screenshot is drawn by Chromium, so a short page is not grown to it.
 */
async function heightShowingApp(page: Page, current: number): Promise<number> {
  const handle = await page.$("iframe#app-iframe");
  const frame = await handle?.contentFrame();
  if (!frame) return SCREENSHOT_HEIGHT;
  const scrolled = await frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  return Math.min(SCREENSHOT_HEIGHT, Math.ceil(current + Math.max(0, scrolled)));
}

/**
 * Stops the stack once a file's tests are done. The app is killed outright: on SIGTERM it closes its server and
 * then lingers about 4 s for its background work (scheduler, recompute), and the database it worked on is
 * deleted next anyway; its output goes straight to a file, so nothing it wrote is lost. (LocalStack.close()
 * waits on `exitCode`, which stays null for a process ended by a signal, so it is not used here.)
 */
export async function stopStack(stack: LocalStack) {
  const { app } = stack;
  if (app.exitCode === null && app.signalCode === null) {
    const exited = new Promise((resolve) => app.once("exit", resolve));
    app.kill("SIGKILL");
    await exited;
  }
  await Promise.allSettled([stack.frame.close(), stack.emulator.close()]);
}
