import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { signCustomerAccountToken } from "../../emulator/session-token";
import { API_KEY, API_SECRET } from "../../support/emulator-helpers";

const SHOP = "tokens-shop.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/4711";

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  scopes: ["read_customers"],
  hostName: "kinship.example.test",
  apiVersion: ApiVersion.April26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

describe("customer account session tokens", () => {
  it("carries exactly the documented claims: bare dest, client id aud, customer sub, five minutes", () => {
    const now = Date.UTC(2026, 11, 4, 8, 0, 0);
    const claims = claimsOf(signCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, customerId: CUSTOMER, now }));
    expect(Object.keys(claims).sort()).toEqual(["aud", "dest", "exp", "iat", "jti", "nbf", "sub"]);
    expect(claims).toMatchObject({ dest: SHOP, aud: API_KEY, sub: CUSTOMER, iat: now / 1000, nbf: now / 1000, exp: now / 1000 + 300 });
  });

  it("leaves sub out when no customer is signed in", () => {
    const claims = claimsOf(signCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET }));
    expect(claims).not.toHaveProperty("sub");
  });

  it("is accepted by @shopify/shopify-api's verifier with the app secret and refused with another", async () => {
    const token = signCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, customerId: CUSTOMER });
    const payload = await shopify.session.decodeSessionToken(token);
    expect(payload).toMatchObject({ dest: SHOP, sub: CUSTOMER, aud: API_KEY });
    const forged = signCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "another-apps-secret", customerId: CUSTOMER });
    await expect(shopify.session.decodeSessionToken(forged)).rejects.toThrow();
    const stale = signCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, now: Date.now() - 6 * 60_000 });
    await expect(shopify.session.decodeSessionToken(stale)).rejects.toThrow();
  });
});
