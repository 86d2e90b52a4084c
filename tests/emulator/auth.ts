import { normalizeShopDomain, type ShopState } from "./shop";
import { verifySessionToken } from "./session-token";
import type { IssuedToken, TokenStore } from "./tokens";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface AuthDeps {
  apiKey: string;
  apiSecret: string;
  clock: () => number;
  tokens: TokenStore;
  scopes: readonly string[];
  findShop(domain: string): ShopState | undefined;
}

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): JsonResponse => ({
  status,
  body: { error, error_description: description },
});

/** The body @shopify/shopify-api's createSession reads: access_token, scope, and the expiry fields that apply. */
function tokenResponse(issued: IssuedToken, online: boolean, userId: number): Record<string, unknown> {
  const body: Record<string, unknown> = { access_token: issued.accessToken, scope: issued.scope };
  if (issued.expiresIn !== undefined) body.expires_in = issued.expiresIn;
  if (issued.refreshToken) {
    body.refresh_token = issued.refreshToken;
    body.refresh_token_expires_in = issued.refreshTokenExpiresIn;
  }
  if (online) {
    body.associated_user_scope = issued.scope;
    body.associated_user = {
      id: userId,
      first_name: "Staff",
      last_name: `Member ${userId}`,
      email: `staff${userId}@example.com`,
      email_verified: true,
      account_owner: userId === 1,
      locale: "en",
      collaborator: false,
    };
  }
  return body;
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * POST /admin/oauth/access_token: token exchange (session token → offline/online access token, optionally
 * expiring with a refresh token), migration of a non-expiring offline token, and the refresh_token grant.
 */
export function handleAccessTokenRequest(deps: AuthDeps, body: Record<string, unknown>, hostShop: string | null): JsonResponse {
  if (field(body, "client_id") !== deps.apiKey || field(body, "client_secret") !== deps.apiSecret) {
    return oauthError(401, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.");
  }
  const grant = field(body, "grant_type");

  if (grant === "refresh_token") {
    const refreshToken = field(body, "refresh_token");
    if (!refreshToken) return oauthError(400, "invalid_request", "Missing refresh_token.");
    const issued = deps.tokens.useRefreshToken(refreshToken);
    if (!issued) return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used.");
    if (hostShop && issued.info.shop !== hostShop) {
      deps.tokens.revoke(issued.accessToken);
      return oauthError(400, "invalid_grant", "The refresh token belongs to another shop.");
    }
    return { status: 200, body: tokenResponse(issued, false, 0) };
  }

  if (grant !== TOKEN_EXCHANGE_GRANT) return oauthError(400, "unsupported_grant_type", `Unsupported grant_type ${String(grant)}.`);
  const subjectToken = field(body, "subject_token");
  const subjectType = field(body, "subject_token_type");
  const requested = field(body, "requested_token_type") ?? OFFLINE_TOKEN_TYPE;
  const expiring = field(body, "expiring") === "1";
  if (!subjectToken) return oauthError(400, "invalid_request", "Missing subject_token.");
  if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
    return oauthError(400, "invalid_request", `Unsupported requested_token_type ${requested}.`);
  }

  if (subjectType === OFFLINE_TOKEN_TYPE) {
    // Migration of a non-expiring offline token to an expiring one; the old token stops working.
    const current = deps.tokens.lookup(subjectToken);
    if (!current || current.kind !== "offline" || (hostShop && current.shop !== hostShop)) {
      return oauthError(400, "invalid_subject_token", "The offline access token is invalid.");
    }
    deps.tokens.revoke(subjectToken);
    const issued = deps.tokens.issue(current.shop, current.scopes, { expiring: true });
    return { status: 200, body: tokenResponse(issued, false, 0) };
  }
  if (subjectType !== ID_TOKEN_TYPE) return oauthError(400, "invalid_request", `Unsupported subject_token_type ${String(subjectType)}.`);

  const verified = verifySessionToken(subjectToken, { apiKey: deps.apiKey, apiSecret: deps.apiSecret, now: deps.clock() });
  if (!verified.ok) return oauthError(400, "invalid_subject_token", `Session token is invalid: ${verified.reason}.`);
  const shopDomain = normalizeShopDomain(verified.shop);
  if (hostShop && hostShop !== shopDomain) return oauthError(400, "invalid_subject_token", "Session token was issued for another shop.");
  const shop = deps.findShop(shopDomain);
  if (!shop) return oauthError(404, "shop_not_found", `No shop ${shopDomain} in this emulator.`);
  shop.installed = true;
  const online = requested === ONLINE_TOKEN_TYPE;
  const userId = Number.parseInt(verified.claims.sub, 10) || 1;
  const issued = deps.tokens.issue(shop.domain, [...deps.scopes], { online, expiring: !online && expiring, userId });
  return { status: 200, body: tokenResponse(issued, online, userId) };
}
