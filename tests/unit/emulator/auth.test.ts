import "@shopify/shopify-api/adapters/node";
import { ApiVersion, RequestedTokenType, shopifyApi, LogSeverity } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminGraphql } from "../../emulator/client";
import { fakeClock } from "../../emulator/clock";
import { installShopifyDispatcher, uninstallShopifyDispatcher } from "../../emulator/dispatcher";
import { startEmulator, type Emulator } from "../../emulator/server";
import { signSessionToken } from "../../emulator/session-token";
import { API_KEY, API_SECRET } from "../../support/emulator-helpers";

const SHOP = "auth-shop.myshopify.com";

describe("token exchange and Admin API authentication", () => {
  const clock = fakeClock(Date.now());
  let emulator: Emulator;
  const shopify = shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: API_SECRET,
    scopes: ["read_customers", "read_orders"],
    hostName: "kinship.example.test",
    apiVersion: ApiVersion.April26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });

  const postToken = async (body: Record<string, unknown>) => {
    const response = await fetch(`https://${SHOP}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      clock: clock.now,
      shops: [
        { domain: SHOP, size: "tiny" },
        { domain: "other-shop", size: "empty" },
      ],
    });
    installShopifyDispatcher(emulator.url);
  });
  afterAll(async () => {
    await uninstallShopifyDispatcher();
    await emulator.close();
  });

  it("exchanges a session token for an expiring offline token with the library's own code, then uses it", async () => {
    const before = Date.now();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.id).toBe(`offline_${SHOP}`);
    expect(session.isOnline).toBe(false);
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.refreshToken).toMatch(/^shprt_/);
    // The library dates the expiry from its own clock on receipt of `expires_in` (3600 s): bracketed, not timed.
    expect(session.expires!.getTime()).toBeGreaterThanOrEqual(before + 3600_000);
    expect(session.expires!.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(session.scope).toContain("read_orders");

    const client = new shopify.clients.Graphql({ session });
    const answer = await client.request<{ shop: { myshopifyDomain: string } }>(`{ shop { myshopifyDomain } }`);
    expect(answer.data?.shop.myshopifyDomain).toBe(SHOP);

    const refreshed = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(refreshed.session.accessToken).not.toBe(session.accessToken);
    expect(refreshed.session.refreshToken).not.toBe(session.refreshToken);
    // Refresh tokens rotate: the used one is gone.
    await expect(shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! })).rejects.toThrow();
  });

  it("issues non-expiring offline and online tokens", async () => {
    const offline = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    expect(offline.session.expires).toBeUndefined();
    expect(offline.session.refreshToken).toBeUndefined();

    const online = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP, { userId: 42 }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(online.session.isOnline).toBe(true);
    expect(online.session.id).toBe(`${SHOP}_42`);
    expect(online.session.onlineAccessInfo?.associated_user.id).toBe(42);
  });

  it("rejects session tokens signed with another secret, for another app, or expired, and bad client credentials", async () => {
    const base = {
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    };
    const forged = signSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "not-the-secret" });
    expect(await postToken({ ...base, subject_token: forged })).toMatchObject({ status: 400, body: { error: "invalid_subject_token" } });
    const otherApp = signSessionToken({ shop: SHOP, apiKey: "another-app", apiSecret: API_SECRET });
    expect((await postToken({ ...base, subject_token: otherApp })).status).toBe(400);
    const stale = signSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, now: Date.now() - 5 * 60_000 });
    expect((await postToken({ ...base, subject_token: stale })).body.error_description).toMatch(/expired/);
    const wrongShop = signSessionToken({ shop: "other-shop.myshopify.com", apiKey: API_KEY, apiSecret: API_SECRET });
    expect((await postToken({ ...base, subject_token: wrongShop })).status).toBe(400);
    expect(await postToken({ ...base, client_secret: "nope", subject_token: emulator.sessionToken(SHOP) })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
  });

  it("answers 401 for unknown, expired, revoked or other-shop tokens and 404 for other API versions", async () => {
    const unknown = await adminGraphql(emulator.url, "shpat_unknown", `{ shop { name } }`);
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors).toBe("[API] Invalid API key or access token (unrecognized login or wrong password)");

    const expiring = emulator.issueAccessToken(SHOP, undefined, { expiring: true });
    expect((await adminGraphql(emulator.url, expiring.accessToken, `{ shop { name } }`)).status).toBe(200);
    clock.advance(3601_000);
    expect((await adminGraphql(emulator.url, expiring.accessToken, `{ shop { name } }`)).status).toBe(401);

    const otherShopToken = emulator.issueAccessToken("other-shop").accessToken;
    const crossShop = await fetch(`https://${SHOP}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": otherShopToken },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(crossShop.status).toBe(401);

    const token = emulator.issueAccessToken(SHOP).accessToken;
    expect((await adminGraphql(emulator.url, token, `{ shop { name } }`, undefined, { apiVersion: "2025-10" })).status).toBe(404);
    await emulator.mutate(SHOP).uninstallApp({ deliver: false }).delivered;
    expect((await adminGraphql(emulator.url, token, `{ shop { name } }`)).status).toBe(401);
  });
});
