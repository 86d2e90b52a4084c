/**
 * Shopify's app proxy: a storefront request to https://{shop}/{prefix}/{subpath}/{rest}?{query} is
 * forwarded to {proxy url}/{rest}?{query}&shop=…&logged_in_customer_id=…&path_prefix=…&timestamp=…&signature=…
 * where `signature` is the hex HMAC-SHA256, keyed with the app's client secret, of every other query
 * parameter as `key=value` (a repeated key's values joined by commas), sorted by key and concatenated
 * with no separator (shopify.dev, "Authenticate app proxies"). `logged_in_customer_id` is empty for a
 * visitor who is not logged in.
 */
import { createHmac } from "node:crypto";

export interface AppProxyForward {
  shop: string;
  /** The storefront path prefix, e.g. "/apps/kinship". */
  pathPrefix: string;
  /** The storefront request's own query. */
  query: URLSearchParams;
  loggedInCustomerId?: string | null;
  /** Seconds since the epoch; Shopify's clock (the app refuses a timestamp 90 s away from its own). */
  timestamp: number;
}

export function appProxySignature(params: URLSearchParams, apiSecret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}

/** The query Shopify forwards to the app: the storefront's own, plus the proxy's parameters and signature. */
export function signAppProxyQuery(forward: AppProxyForward, apiSecret: string): URLSearchParams {
  const params = new URLSearchParams(forward.query);
  for (const name of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(name);
  params.set("shop", forward.shop);
  params.set("logged_in_customer_id", forward.loggedInCustomerId ?? "");
  params.set("path_prefix", forward.pathPrefix);
  params.set("timestamp", String(forward.timestamp));
  params.set("signature", appProxySignature(params, apiSecret));
  return params;
}
