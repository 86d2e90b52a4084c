/**
 * The app backend's origin, fixed at build time. Shopify CLI's extension bundler (and build.mjs)
 * replace `process.env.NAME` with the value of that environment variable when the bundle is built, so
 * `KINSHIP_APP_URL=https://kinship.example.com shopify app deploy` bakes the URL in. Checkout gives an
 * extension no way to discover its app's URL at run time, and a relative URL would hit the checkout's
 * own origin. Left unset, the extension renders nothing.
 */
export function buildTimeAppUrl(): string | null {
  let raw: string | undefined;
  try {
    // In the checkout worker `process` does not exist; only the inlined string survives the build.
    raw = process.env.KINSHIP_APP_URL;
  } catch {
    raw = undefined;
  }
  return normalizeAppUrl(raw);
}

/** An https origin (http only for localhost), without a trailing slash; null for anything else. */
export function normalizeAppUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
