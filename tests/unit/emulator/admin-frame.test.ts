import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Window } from "happy-dom";
import { startAdminFrame, type AdminFrame } from "../../emulator/admin-frame/server";

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
    const config = JSON.parse(render.getElementById("survey-preview-config")!.textContent!);
    expect(config).toMatchObject({ target: "customer-account.order-status.block.render", locale: "hr" });
    expect(config.messages.heading).toBeTruthy();
    expect([...render.querySelectorAll("script[src]")].map((s) => s.getAttribute("src"))).toEqual([
      "/survey-preview/host.js",
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
