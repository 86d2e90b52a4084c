// Request guards the app server applies before Remix (server/app.mjs). Plain JavaScript: the server
// runs with Node alone in production, before and beside the Remix build.
import { URL, URLSearchParams } from "node:url";

/** Query values that are credentials: session tokens, signatures, and the OAuth/HMAC proofs. */
export const SECRET_QUERY_KEYS = ["id_token", "hmac", "session", "signature", "code", "state", "token", "access_token"];
export const REDACTED = "[redacted]";

/**
 * The request target with every secret query value replaced: what may be written to a log line.
 * Unparseable input is dropped whole rather than logged as it came.
 * @param {string} target a path with its query, as in the request line (`/app?shop=…&id_token=…`)
 * @returns {string}
 */
export function redactTarget(target) {
  let url;
  try {
    url = new URL(target, "http://log.invalid");
  } catch {
    return "[unparseable request target]";
  }
  const kept = new URLSearchParams();
  for (const [key, value] of url.searchParams) kept.append(key, SECRET_QUERY_KEYS.includes(key.toLowerCase()) ? REDACTED : value);
  const query = kept.toString();
  // URLSearchParams percent-encodes the brackets; keep the marker readable.
  return `${url.pathname}${query ? `?${query.replaceAll(encodeURIComponent(REDACTED), REDACTED)}` : ""}`;
}

/**
 * One request line: method, redacted target, status, duration. Headers (Authorization, cookies) are
 * never part of it.
 * @param {{ method: string; target: string; status: number; ms: number }} request
 */
export function requestLogLine({ method, target, status, ms }) {
  return `${method} ${redactTarget(target)} ${status} - ${ms.toFixed(1)} ms`;
}

/**
 * Endpoints meant to be called from other origins, each authenticated by its own token: the checkout
 * extension's /api/feedback (session token) and the after-delivery survey page, whose form posts from the
 * shop's storefront through the app proxy (Shopify's signature and Kinship's signed link).
 */
export const CROSS_ORIGIN_ENDPOINTS = ["/api/feedback", "/proxy/survey"];
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Why a request must be refused as cross-site, or null. The rule Remix applies to form posts that
 * load a page (the Origin's host must be the request's Host or X-Forwarded-Host) — Remix enforces it
 * by throwing, which answers an empty 500; refused here first, the sender gets a 403 page instead.
 * Remix's data requests (`?_data=`, what fetchers and useSubmit send) are left to it as before: they
 * need the session token in a header, which no other site can send.
 * @param {{ method: string; url: string; headers: { get(name: string): string | null } }} request
 * @returns {null | "null-origin" | "malformed-origin" | "foreign-origin"}
 */
export function crossSiteRefusal({ method, url, headers }) {
  if (!UNSAFE.has(method.toUpperCase())) return null;
  const origin = headers.get("origin");
  if (origin === null || origin === "") return null;
  const target = new URL(url, "http://request.invalid");
  if (CROSS_ORIGIN_ENDPOINTS.includes(target.pathname) || target.searchParams.has("_data")) return null;
  if (origin === "null") return "null-origin";
  let originHost;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "malformed-origin";
  }
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || headers.get("host");
  return host && originHost === host ? null : "foreign-origin";
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page a refused request gets (403 cross-site, 400/403 from the auth routes): a heading and one
 * sentence, already translated by the caller.
 * @param {{ lang: string; title: string; body: string }} page
 */
export function refusalPage({ lang, title, body }) {
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}
