import { randomUUID } from "node:crypto";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import type { JwtPayload } from "@shopify/shopify-api";
import db from "../../app/db.server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./test-env";

export const CHECKOUT_ORIGIN = "https://extensions.shopifycdn.com";
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/**
 * A checkout UI extension session token as Shopify signs it: `dest` is the bare shop domain, `aud`
 * the app's client id, `sub` the customer GID when the buyer is logged in (absent for guests).
 */
export async function checkoutToken(
  shop: string,
  options: { customer?: string | null; secret?: string; overrides?: Partial<JwtPayload> } = {},
): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const claims: Partial<JwtPayload> = {
    dest: shop,
    aud: TEST_API_KEY,
    exp: nowSeconds + 300,
    nbf: nowSeconds - 5,
    iat: nowSeconds - 5,
    jti: randomUUID(),
    ...options.overrides,
  };
  // Guests: Shopify leaves `sub` out; an undefined claim is dropped when the token is serialised.
  const { token } = await getJwt(shop.replace(/\.myshopify\.com$/, ""), TEST_API_KEY, options.secret ?? TEST_API_SECRET, {
    ...claims,
    ...(options.customer ? {} : { sub: undefined, iss: undefined, sid: undefined }),
  } as Partial<JwtPayload>);
  return token;
}

export async function customerToken(shop: string, customer: string, overrides: Partial<JwtPayload> = {}): Promise<string> {
  return checkoutToken(shop, { customer, overrides: { sub: customer, ...overrides } });
}

export interface Posted {
  status: number;
  body: unknown;
  headers: Headers;
}

export type RouteHandler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>;

/** Calls a route function the way Remix does; thrown responses (the library's 401) count as answers. */
export async function call(handler: RouteHandler, request: Request): Promise<Posted> {
  let response: Response;
  try {
    response = await handler({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body, headers: response.headers };
}

export function feedbackRequest(
  body: unknown,
  token: string | null,
  options: { raw?: string; method?: string; headers?: Record<string, string> } = {},
): Request {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Origin: CHECKOUT_ORIGIN,
    "User-Agent": BROWSER_UA,
    ...options.headers,
  };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const method = options.method ?? "POST";
  return new Request(`${TEST_APP_URL}/api/feedback`, {
    method,
    headers,
    ...(method === "GET" || method === "OPTIONS" ? {} : { body: options.raw ?? JSON.stringify(body) }),
  });
}

export function answer(orderNumber: number | string, extra: Record<string, unknown> = {}) {
  return {
    score: 3,
    reasons: ["delivery"],
    comment: "Arrived late",
    locale: "en",
    orderId: `gid://shopify/Order/${orderNumber}`,
    ...extra,
  };
}

/** An installed shop with one customer and one of their orders. */
export async function seedShop(shop: string, n: number, options: { predictedClv?: number | null; uninstalled?: boolean } = {}) {
  await db.shop.upsert({
    where: { shop },
    create: {
      shop,
      name: shop,
      currencyCode: "EUR",
      ianaTimezone: "Europe/Zagreb",
      uninstalledAt: options.uninstalled ? new Date() : null,
    },
    update: {},
  });
  const customer = `gid://shopify/Customer/${n}`;
  const order = `gid://shopify/Order/${n}`;
  await db.customer.create({
    data: {
      shop,
      shopifyId: customer,
      email: `c${n}@example.com`,
      firstName: "Ana",
      lastName: `Kovač ${n}`,
      orderCount: 1,
      totalSpent: 80,
      predictedClv: options.predictedClv ?? null,
    },
  });
  await db.order.create({
    data: {
      shop,
      shopifyId: order,
      customerShopifyId: customer,
      name: `#${n}`,
      processedAt: new Date("2026-01-10T10:00:00Z"),
      totalPrice: 80,
      netTotal: 80,
      currencyCode: "EUR",
    },
  });
  return { customer, order };
}

export async function feedbackCount(shop?: string) {
  return db.feedback.count(shop ? { where: { shop } } : undefined);
}
