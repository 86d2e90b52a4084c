import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** Claims App Bridge puts in a session token (id token). */
export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

const base64url = (input: Buffer | string): string => Buffer.from(input).toString("base64url");

export interface SignSessionTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Staff user id (`sub`); online tokens are tied to it. */
  userId?: number | string;
  /** Epoch ms; default Date.now(). */
  now?: number;
  ttlSeconds?: number;
  sid?: string;
}

/** An HS256 session token exactly like App Bridge's `shopify.idToken()` returns. */
export function signSessionToken(options: SignSessionTokenOptions): string {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: String(options.userId ?? 1),
    exp: nowSeconds + (options.ttlSeconds ?? 60),
    nbf: nowSeconds,
    iat: nowSeconds,
    jti: randomUUID(),
    sid: options.sid ?? randomUUID(),
  };
  return signHs256(claims, options.apiSecret);
}

/**
 * Claims of a customer account UI extension's session token (`shopify.sessionToken.get()`), as
 * Shopify documents them (customer-account-ui-extensions, Session Token API, 2025-10 to 2026-04):
 * `dest` is the bare shop domain (no scheme, unlike the admin's id token), `aud` the app's client id,
 * `exp` five minutes after `iat`/`nbf`, `jti` a nonce, and `sub` the customer's GID only while a
 * customer is signed in and the app may read customers. No `iss` or `sid`.
 */
export interface CustomerAccountTokenClaims {
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
}

export interface SignCustomerAccountTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The signed-in customer's GID (`gid://shopify/Customer/<n>`); absent: no `sub` claim. */
  customerId?: string | null;
  /** Epoch ms; default Date.now(). */
  now?: number;
  /** Shopify sets five minutes. */
  ttlSeconds?: number;
}

export const CUSTOMER_ACCOUNT_TOKEN_TTL_SECONDS = 300;

function signHs256(claims: object, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

/** An HS256 session token as a customer account UI extension gets it from `shopify.sessionToken.get()`. */
export function signCustomerAccountToken(options: SignCustomerAccountTokenOptions): string {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: CustomerAccountTokenClaims = {
    dest: options.shop,
    aud: options.apiKey,
    ...(options.customerId ? { sub: options.customerId } : {}),
    exp: nowSeconds + (options.ttlSeconds ?? CUSTOMER_ACCOUNT_TOKEN_TTL_SECONDS),
    nbf: nowSeconds,
    iat: nowSeconds,
    jti: randomUUID(),
  };
  return signHs256(claims, options.apiSecret);
}

export type VerifiedSessionToken = { ok: true; claims: SessionTokenClaims; shop: string } | { ok: false; reason: string };

/** Mirrors @shopify/shopify-api's checks: HS256 signature, exp/nbf with 10 s tolerance, aud = API key. */
export function verifySessionToken(
  token: string,
  options: { apiKey: string; apiSecret: string; now: number; toleranceSeconds?: number },
): VerifiedSessionToken {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  const [header, body, signature] = parts;
  let parsedHeader: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (parsedHeader.alg !== "HS256") return { ok: false, reason: "unsupported algorithm" };
  const expected = createHmac("sha256", options.apiSecret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "signature verification failed" };
  }
  const tolerance = options.toleranceSeconds ?? 10;
  const nowSeconds = options.now / 1000;
  if (typeof claims.exp !== "number" || claims.exp + tolerance < nowSeconds) return { ok: false, reason: "token expired" };
  if (typeof claims.nbf === "number" && claims.nbf - tolerance > nowSeconds) return { ok: false, reason: "token not yet valid" };
  if (claims.aud !== options.apiKey) return { ok: false, reason: "token audience does not match the API key" };
  let shop: string;
  try {
    shop = new URL(claims.dest).hostname;
  } catch {
    return { ok: false, reason: "token dest is not a URL" };
  }
  return { ok: true, claims, shop };
}
