import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installShopifyDispatcher, uninstallShopifyDispatcher } from "../../emulator/dispatcher";
import { startEmulator, type Emulator } from "../../emulator/server";
import { API_KEY, API_SECRET } from "../../support/emulator-helpers";

describe("installShopifyDispatcher", () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, shops: [{ domain: "routed", size: "empty" }] });
    installShopifyDispatcher(emulator.url);
  });
  afterAll(async () => {
    await uninstallShopifyDispatcher();
    await emulator.close();
  });

  it("sends https://{shop}.myshopify.com to the emulator with the shop in the Host header", async () => {
    const token = emulator.issueAccessToken("routed").accessToken;
    const response = await fetch("https://routed.myshopify.com/admin/api/2026-04/graphql.json", {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { shop: { myshopifyDomain: "routed.myshopify.com" } } });
    expect((await fetch("https://unknown-shop.myshopify.com/admin/api/2026-04/graphql.json", { method: "POST", body: "{}" })).status).toBe(
      404,
    );
  });

  it("lets loopback traffic through and refuses every other host", async () => {
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
    await expect(fetch("https://example.com/")).rejects.toThrow();
    await expect(fetch("https://shopify.dev/")).rejects.toThrow();
  });
});
