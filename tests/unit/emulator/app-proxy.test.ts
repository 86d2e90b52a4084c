import { describe, expect, it } from "vitest";
import { appProxySignature, signAppProxyQuery } from "../../emulator/app-proxy";

describe("the emulator's app-proxy signature", () => {
  it("reproduces Shopify's documented example (secret 'hush', /apps/awesome_reviews, extra=1&extra=2)", () => {
    const forwarded = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
    );
    // shopify.dev "Authenticate app proxies" prints the signature starting with these 36 hex digits.
    expect(appProxySignature(forwarded, "hush")).toMatch(/^4c68c8624d737112c91818c11017d24d334b[0-9a-f]{28}$/);
  });

  it("adds the proxy's parameters, replacing any the visitor sent, and signs them all", () => {
    const query = signAppProxyQuery(
      {
        shop: "a.myshopify.com",
        pathPrefix: "/apps/kinship",
        query: new URLSearchParams("order=5&shop=evil.myshopify.com&signature=forged"),
        timestamp: 1_800_000_000,
      },
      "secret",
    );
    expect(query.getAll("shop")).toEqual(["a.myshopify.com"]);
    expect(query.get("logged_in_customer_id")).toBe("");
    expect(query.get("signature")).toBe(appProxySignature(query, "secret"));
    expect(query.get("signature")).not.toBe(
      appProxySignature(new URLSearchParams(query.toString().replace("order=5", "order=6")), "secret"),
    );
  });
});
