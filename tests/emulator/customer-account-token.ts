import { createHmac, randomUUID } from "node:crypto";

/**
 * A session token as customer-account UI extensions get it from `shopify.sessionToken.get()`: HS256
 * with the app's secret, `dest` the bare shop domain, `aud` the app's client id, `sub` the signed-in
 * customer's GID (tests/support/feedback.ts builds the same claims for checkout tokens). The emulated
 * admin signs one for the "My rewards" preview, so the page calls the real app as a customer would.
 */
export interface CustomerAccountTokenOptions {
  shop: string;
  /** gid://shopify/Customer/<id> */
  customerId: string;
  apiKey: string;
  apiSecret: string;
  /** Epoch ms; default Date.now(). */
  now?: number;
  /** Shopify's extension tokens live 5 minutes. */
  ttlSeconds?: number;
}

export function signCustomerAccountToken(options: CustomerAccountTokenOptions): string {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const claims = {
    dest: options.shop,
    aud: options.apiKey,
    sub: options.customerId,
    exp: nowSeconds + (options.ttlSeconds ?? 300),
    nbf: nowSeconds,
    iat: nowSeconds,
    jti: randomUUID(),
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", options.apiSecret).update(unsigned).digest("base64url")}`;
}

/** A customer GID from what a person types in the preview's picker ("123" or the GID); null otherwise. */
export function customerGid(input: string | null | undefined): string | null {
  const text = (input ?? "").trim();
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(text);
  return match ? `gid://shopify/Customer/${match[1]}` : null;
}
