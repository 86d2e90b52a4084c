/**
 * What the auth routes answer when the Shopify library refuses a request. The library throws plain
 * errors for bad input (an exit-iframe destination it does not trust, a malformed shop or host, a
 * forged or missing token), which Remix turned into 500s. They are the sender's fault: 400, or 403
 * when a proof (HMAC, session token, OAuth cookie) failed. Shopify or the database being unreachable
 * stays a server error.
 */
import {
  BotActivityDetected,
  CookieNotFound,
  HttpRequestError,
  HttpResponseError,
  InvalidHmacError,
  InvalidJwtError,
  InvalidOAuthError,
  MissingJwtTokenError,
  SessionStorageError,
  ShopifyError,
} from "@shopify/shopify-api";
import { refusalPage } from "../../server/guards.mjs";
import { resolveLocale, translate } from "../i18n";

const REFUSED_PROOFS = [InvalidHmacError, InvalidJwtError, MissingJwtTokenError, InvalidOAuthError, CookieNotFound, BotActivityDetected];
const SERVER_SIDE = [HttpRequestError, HttpResponseError, SessionStorageError];

/** The page for a library error caused by the request, or null for anything else (rethrow it). */
export function authErrorResponse(error: unknown, request: Request): Response | null {
  if (!(error instanceof ShopifyError) || SERVER_SIDE.some((kind) => error instanceof kind)) return null;
  const refused = REFUSED_PROOFS.some((kind) => error instanceof kind);
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  const page = refused
    ? { title: translate(locale, "security.authRefusedTitle"), body: translate(locale, "security.authRefusedBody") }
    : { title: translate(locale, "security.badAuthTitle"), body: translate(locale, "security.badAuthBody") };
  return new Response(refusalPage({ lang: locale, ...page }), {
    status: refused ? 403 : 400,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
