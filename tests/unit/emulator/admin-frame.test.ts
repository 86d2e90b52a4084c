import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Window } from "happy-dom";
import { startAdminFrame, type AdminFrame } from "../../emulator/admin-frame/server";
import { createHmac } from "node:crypto";

const SHOP = "frame-shop.myshopify.com";
let frame: AdminFrame;

beforeAll(async () => {
  // No app behind it: these pages are the admin's own.
  frame = await startAdminFrame({
    appUpstream: "http://127.0.0.1:9",
    apiKey: "k",
    apiSecret: "s",
    shops: [{ domain: SHOP, name: "Frame & Co" }],
  });
});
afterAll(() => frame.close());

async function page(path: string): Promise<Document> {
  const response = await fetch(`${frame.url}${path}`);
  expect(response.status).toBe(200);
  const { DOMParser } = new Window();
  return new DOMParser().parseFromString(await response.text(), "text/html") as unknown as Document;
}

describe("the emulated admin's page around the app", () => {
  it("has Shopify's left sidebar: the app's name linking home, a list the app's menu fills, and the survey preview", async () => {
    const doc = await page("/store/frame-shop/apps/kinship/customers?locale=uk");
    expect(doc.querySelector(".topbar")?.textContent).toContain("Frame & Co");
    const nav = doc.querySelector('nav[aria-label="Admin navigation"]');
    expect(nav).not.toBeNull();
    const home = nav!.querySelector<HTMLAnchorElement>("#app-nav-home");
    expect(home?.textContent?.trim()).toMatch(/Kinship$/);
    expect(home?.querySelector(".app-icon")?.getAttribute("aria-hidden")).toBe("true");
    expect(home?.getAttribute("href")).toBe("/store/frame-shop/apps/kinship");
    expect(nav!.querySelector("#app-nav-items")?.getAttribute("data-admin-base")).toBe("/store/frame-shop/apps/kinship");
    expect(nav!.querySelector("#survey-preview-link")?.getAttribute("href")).toBe("/store/frame-shop/survey-preview");
    // The app sits beside the sidebar, not under a row of links.
    const iframe = doc.querySelector<HTMLIFrameElement>("main iframe#app-iframe");
    const src = new URL(iframe!.getAttribute("src")!);
    expect(src.pathname).toBe("/app/customers");
    expect(src.searchParams.get("locale")).toBe("uk");
    expect(src.searchParams.get("embedded")).toBe("1");
    expect(doc.querySelector("style")?.textContent).toMatch(/\.sidebar a\[aria-current="page"\]\{[^}]*background/);
  });

  it("marks the survey preview as the open page on the preview and embeds the extension's render page", async () => {
    const doc = await page("/store/frame-shop/survey-preview?target=order-status&locale=hr");
    expect(doc.querySelector("#survey-preview-link")?.getAttribute("aria-current")).toBe("page");
    expect(doc.querySelector("#app-nav-home")?.hasAttribute("aria-current")).toBe(false);
    expect(doc.querySelector("iframe#app-iframe")?.getAttribute("src")).toBe("/survey-preview/render?target=order-status&locale=hr");

    const render = await page("/survey-preview/render?target=order-status&locale=hr");
    const config = JSON.parse(render.getElementById("extension-preview-config")!.textContent!);
    expect(config).toMatchObject({ target: "customer-account.order-status.block.render", locale: "hr" });
    expect(config.messages.heading).toBeTruthy();
    expect([...render.querySelectorAll("script[src]")].map((s) => s.getAttribute("src"))).toEqual([
      "/extension-preview/host.js",
      "/survey-preview/extension.js",
    ]);
  });

  it("serves the extension's real bundle, built as Shopify CLI builds it", async () => {
    const response = await fetch(`${frame.url}/survey-preview/extension.js`);
    expect(response.status).toBe(200);
    const code = await response.text();
    expect(code).toContain('shopify.extend("purchase.thank-you.block.render"');
    expect(code).toContain('shopify.extend("customer-account.order-status.block.render"');
  });

  it("answers an unknown shop with 404", async () => {
    expect((await fetch(`${frame.url}/store/nobody/survey-preview`)).status).toBe(404);
  });
});

describe('the customer-account "My rewards" preview', () => {
  const SILVER = "gid://shopify/Customer/1001";

  it("lists the customers it was given, offers any id and the four languages, and embeds the page for the chosen one", async () => {
    frame.setPreviewCustomers(SHOP, [
      { id: SILVER, name: "Olena K.", note: "Silver, 2 codes, store credit" },
      { id: "gid://shopify/Customer/1002", name: "Ivan P." },
    ]);
    const doc = await page("/store/frame-shop/my-rewards-preview?locale=uk");
    expect(doc.querySelector("#my-rewards-preview-link")?.getAttribute("aria-current")).toBe("page");
    const picker = doc.querySelector("#my-rewards-picker")!;
    expect([...picker.querySelectorAll("a")].map((a) => a.textContent)).toEqual(["Olena K.", "Ivan P.", "en", "uk", "ru", "hr"]);
    expect(picker.querySelector('input[name="customer"]')?.getAttribute("value")).toBe(SILVER);
    // The first listed customer is shown until another is picked.
    const src = new URL(doc.querySelector("iframe#app-iframe")!.getAttribute("src")!, frame.url);
    expect(src.pathname).toBe("/my-rewards-preview/render");
    expect(Object.fromEntries(src.searchParams)).toEqual({ shop: SHOP, customer: SILVER, locale: "uk" });

    const typed = await page("/store/frame-shop/my-rewards-preview?customer=77&locale=xx");
    const typedSrc = new URL(typed.querySelector("iframe#app-iframe")!.getAttribute("src")!, frame.url);
    expect(Object.fromEntries(typedSrc.searchParams)).toEqual({ shop: SHOP, customer: "gid://shopify/Customer/77", locale: "en" });
  });

  it("renders the real extension with its own translations and a token URL for that customer", async () => {
    const render = await page(`/my-rewards-preview/render?shop=${SHOP}&customer=${encodeURIComponent(SILVER)}&locale=hr`);
    const config = JSON.parse(render.getElementById("extension-preview-config")!.textContent!);
    expect(config).toMatchObject({ target: "customer-account.page.render", locale: "hr" });
    expect(config.messages.page.heading).toBe("Moje nagrade");
    const code = await (await fetch(`${frame.url}/my-rewards-preview/extension.js`)).text();
    expect(code).toContain('shopify.extend("customer-account.page.render"');
    // The bundle calls the frame's own origin, which passes /api/my-rewards on to the app.
    expect(code).toContain(frame.url);

    const answer = await fetch(new URL(config.sessionTokenUrl, frame.url));
    const { token } = (await answer.json()) as { token: string };
    const [header, body, signature] = token.split(".");
    expect(signature).toBe(createHmac("sha256", "s").update(`${header}.${body}`).digest("base64url"));
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ dest: SHOP, aud: "k", sub: SILVER });
  });

  it("signs nothing for an unknown shop or a customer id that is not one", async () => {
    expect((await fetch(`${frame.url}/customer-session-token?shop=other.myshopify.com&customer=1`)).status).toBe(404);
    expect((await fetch(`${frame.url}/customer-session-token?shop=${SHOP}&customer=gid://shopify/Order/1`)).status).toBe(404);
    expect((await fetch(`${frame.url}/my-rewards-preview/render?shop=${SHOP}&customer=abc`)).status).toBe(404);
    expect((await fetch(`${frame.url}/store/nobody/my-rewards-preview`)).status).toBe(404);
  });
});

describe("the frame's way to the app", () => {
  it("answers 502 until the app's address is known, then forwards to it", async () => {
    const own = await startAdminFrame({ apiKey: "k", apiSecret: "s", shops: [{ domain: SHOP }] });
    const { createServer } = await import("node:http");
    const app = createServer((req, res) => res.writeHead(200, { "Content-Type": "text/plain" }).end(`app saw ${req.url}`));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    try {
      const before = await fetch(`${own.url}/auth/login`);
      expect(before.status).toBe(502);
      expect(await before.text()).toBe("The app has not started yet");
      own.setAppUpstream(`http://127.0.0.1:${(app.address() as { port: number }).port}`);
      const after = await fetch(`${own.url}/auth/login`);
      expect(after.status).toBe(200);
      expect(await after.text()).toBe("app saw /auth/login");
    } finally {
      await own.close();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
