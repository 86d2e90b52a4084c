import { describe, expect, it } from "vitest";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { readStoreCreditBalance } from "../../../app/shopify/store-credit.server";

const credit = (expiresAt: string | null, remaining: string) => ({
  __typename: "StoreCreditAccountCreditTransaction",
  expiresAt,
  remainingAmount: { amount: remaining, currencyCode: "UAH" },
});

function answering(nodes: unknown[], balance = "150.5") {
  const asked: Record<string, unknown>[] = [];
  const client = {
    shop: "credit.myshopify.com",
    request: async (_doc: string, variables: Record<string, unknown>) => {
      asked.push(variables);
      return {
        customer: {
          id: "gid://shopify/Customer/1",
          storeCreditAccounts: {
            nodes: [
              { id: "gid://shopify/StoreCreditAccount/1", balance: { amount: balance, currencyCode: "UAH" }, transactions: { nodes } },
            ],
          },
        },
      };
    },
  } as unknown as AdminClient;
  return { client, asked };
}

describe("readStoreCreditBalance", () => {
  const now = new Date("2026-11-20T10:00:00Z");

  it("gives the balance in the shop's currency and the soonest expiry of a credit with something left", async () => {
    const { client, asked } = answering([
      credit("2026-11-01T00:00:00Z", "20.0"), // already over
      credit("2026-12-01T00:00:00Z", "0.0"), // spent
      credit(null, "50.0"), // never expires
      credit("2027-03-31T21:59:59Z", "30.0"),
      credit("2027-01-31T21:59:59Z", "70.5"),
    ]);
    expect(await readStoreCreditBalance(client, "gid://shopify/Customer/1", "UAH", now)).toEqual({
      balance: { amount: "150.50", currencyCode: "UAH" },
      expiresAt: "2027-01-31T21:59:59Z",
    });
    expect(asked).toEqual([{ customerId: "gid://shopify/Customer/1", currencyQuery: "currency_code:UAH" }]);
  });

  it("has no expiry when nothing left expires, and no balance without an account in the currency", async () => {
    expect(await readStoreCreditBalance(answering([credit(null, "5")]).client, "gid://shopify/Customer/1", "UAH", now)).toEqual({
      balance: { amount: "150.50", currencyCode: "UAH" },
      expiresAt: null,
    });
    const none = {
      shop: "x",
      request: async () => ({ customer: { id: "c", storeCreditAccounts: { nodes: [] } } }),
    } as unknown as AdminClient;
    expect(await readStoreCreditBalance(none, "gid://shopify/Customer/1", "UAH", now)).toBeNull();
  });
});
