import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "../../../app/db.server";
import { loader as dashboardLoader } from "../../../app/routes/app._index";
import type { Emulator } from "../../emulator/server";
import { hostParam } from "../../emulator/admin-frame/server";
import { resetDatabase } from "../../support/fixtures";
import { startEmulatedShopify, stopEmulatedShopify } from "../../support/emulated-shopify";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../../support/test-env";

const STORE = "auth-shop";
const SHOP = `${STORE}.myshopify.com`;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, name: "Auth Test Shop", size: "tiny", seed: 11 }] });
});
afterAll(() => stopEmulatedShopify(emulator));
beforeEach(resetDatabase);

/** A fetch (not document) request from the embedded app, as App Bridge sends it. */
function appFetch(token: string | null): Request {
  const headers = new Headers({ Accept: "application/json" });
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  return new Request(`${TEST_APP_URL}/app?_data=routes%2Fapp._index`, { headers });
}

/** The first document load inside Shopify admin: the session token rides in `id_token`. */
function documentLoad(token: string): Request {
  const url = new URL(`${TEST_APP_URL}/app`);
  url.search = new URLSearchParams({ embedded: "1", shop: SHOP, host: hostParam(SHOP), id_token: token }).toString();
  return new Request(url, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" } });
}

async function load(request: Request): Promise<{ status: number; body: unknown }> {
  try {
    const response = (await dashboardLoader({ request, params: {}, context: {} })) as Response;
    return { status: response.status, body: await response.json() };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: null };
    throw thrown;
  }
}

describe("embedded authentication (session token + token exchange)", () => {
  it("accepts a valid session token, exchanges it once for an expiring offline token, and reads the shop via the Admin API", async () => {
    const exchange = vi.spyOn(emulator.tokens, "issue");
    const { token } = await getJwt(STORE, TEST_API_KEY, TEST_API_SECRET);
    const first = await load(documentLoad(token));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ shopName: "Auth Test Shop" });

    const sessions = await db.session.findMany({ where: { shop: SHOP } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ isOnline: false, id: `offline_${SHOP}` });
    expect(sessions[0].expires).toBeInstanceOf(Date);
    expect(sessions[0].refreshToken).toBeTruthy();
    expect(exchange).toHaveBeenCalledTimes(1);
    // Install starts the backfill of the shop's order history.
    expect(await db.syncRun.findFirst({ where: { shop: SHOP, kind: "backfill" } })).toMatchObject({ status: "running" });

    const second = await load(appFetch((await getJwt(STORE, TEST_API_KEY, TEST_API_SECRET)).token));
    expect(second.status).toBe(200);
    expect(exchange).toHaveBeenCalledTimes(1);
    expect(await db.shop.findUnique({ where: { shop: SHOP } })).toMatchObject({ name: "Auth Test Shop" });
    exchange.mockRestore();
  });

  it.each([
    ["expired", () => getJwt(STORE, TEST_API_KEY, TEST_API_SECRET, { exp: Math.floor(Date.now() / 1000) - 3600 })],
    ["for another app", () => getJwt(STORE, "someone-elses-app", TEST_API_SECRET)],
    ["signed with the wrong secret", () => getJwt(STORE, TEST_API_KEY, "not-the-app-secret")],
  ])("rejects a session token that is %s, and stores nothing", async (_label, make) => {
    const { token } = await make();
    const result = await load(appFetch(token));
    expect(result.status).toBe(401);
    expect(await db.session.count()).toBe(0);
  });

  it("rejects a request without a session token", async () => {
    const result = await load(appFetch(null));
    expect([401, 302]).toContain(result.status);
    expect(result.status).not.toBe(200);
    expect(await db.session.count()).toBe(0);
  });
});
