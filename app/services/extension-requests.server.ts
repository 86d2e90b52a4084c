/**
 * What every endpoint a Shopify UI extension calls shares (the checkout survey's /api/feedback, the
 * customer account page's /api/my-rewards): the session token verified by the library's
 * `authenticate.public.checkout` / `.customerAccount`, then the checks the library leaves to the app —
 * the token's `aud` is this app (the library skips it for extensions), `dest` names a shop domain, and
 * that shop has the app installed. Who is asking comes only from the token: the shop from `dest`, the
 * customer from `sub`. Plus the pieces of their answers: capped bodies, JSON with no-store, CORS on
 * every answer (also the library's own 401 and preflight), 429 with Retry-After.
 */
import type { JwtPayload } from "@shopify/shopify-api";
import { env } from "../env.server";
import { getShop } from "../models/shop.server";

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/[1-9]\d{0,19}$/;
const MYSHOPIFY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** What `authenticate.public.checkout` and `authenticate.public.customerAccount` return. */
export interface ExtensionAuth {
  sessionToken: JwtPayload;
  cors: (response: Response) => Response;
}

/** The shop domain a token names: extension tokens carry a bare domain in `dest`, admin tokens https://domain. */
export function shopFromDest(dest: unknown, customDomain?: string): string | null {
  if (typeof dest !== "string" || dest.length > 255) return null;
  let host: string;
  try {
    host = new URL(/^https?:\/\//i.test(dest) ? dest : `https://${dest}`).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (MYSHOPIFY.test(host)) return host;
  return customDomain && host === customDomain.toLowerCase() ? host : null;
}

/** The signed-in customer's GID from `sub`; null when absent (a guest) or not a customer GID. */
export function customerFromSub(sub: unknown): string | null {
  return typeof sub === "string" && CUSTOMER_GID.test(sub) ? sub : null;
}

export class BodyTooLarge extends Error {}

/** Reads at most `maxBytes`, whatever Content-Length claims (it may be absent or lie). */
export async function readCappedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export function jsonResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

/** 401 with nothing in it: a caller that failed a check learns nothing about the data. */
export const unauthorized = () => new Response(undefined, { status: 401, statusText: "Unauthorized" });

export function rateLimited(retryAfterMs: number): Response {
  return jsonResponse({ ok: false, error: "rate_limited" }, 429, { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) });
}

/** Responses the library throws (401, 204 for preflight) get the same CORS headers as ours, so the extension can read them. */
export function withCors(request: Request, response: Response, appUrl: string): Response {
  const origin = request.headers.get("Origin");
  if (origin && origin !== appUrl && !response.headers.has("Access-Control-Allow-Origin")) {
    const headers = new Headers(response.headers);
    headers.set("Access-Control-Allow-Origin", "*");
    headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  return response;
}

/** The library's check; a Response it throws (401, the preflight's 204) is rethrown with CORS headers. */
export async function authenticateExtension(
  request: Request,
  authenticate: (request: Request) => Promise<ExtensionAuth>,
): Promise<ExtensionAuth> {
  try {
    return await authenticate(request);
  } catch (thrown) {
    if (thrown instanceof Response) throw withCors(request, thrown, env.SHOPIFY_APP_URL);
    throw thrown;
  }
}

/**
 * The shop a verified token speaks for: `aud` must be this app and `dest` a shop that has it
 * installed. Null otherwise (answer 401).
 */
export async function installedShopOf(sessionToken: JwtPayload, apiKey: string): Promise<string | null> {
  const shop = shopFromDest(sessionToken.dest, env.SHOP_CUSTOM_DOMAIN);
  if (sessionToken.aud !== apiKey || !shop) return null;
  const shopRow = await getShop(shop);
  return shopRow && !shopRow.uninstalledAt ? shop : null;
}

/** Extension requests have a time budget (10 s in Shopify's hosts): Shopify work past it is left running, not awaited. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
