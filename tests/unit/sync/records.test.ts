import { describe, expect, it } from "vitest";
import { customerFromBulkLine, orderFromBulkLine } from "../../../app/sync/bulk-records";
import { money, netOrderValue } from "../../../app/sync/records";
import {
  applyTagEvent,
  customerFieldsFromWebhook,
  customerWebhookSchema,
  orderFromWebhook,
  orderWebhookSchema,
} from "../../../app/sync/webhook-records";

describe("order and customer records", () => {
  it("reads a bulk order line in shop money, with its inline customer", () => {
    const line = {
      id: "gid://shopify/Order/10",
      processedAt: "2026-03-01T10:00:00Z",
      createdAt: "2026-03-02T10:00:00Z",
      updatedAt: "2026-03-05T10:00:00Z",
      cancelledAt: null,
      test: false,
      discountCodes: ["KIN-ABC"],
      totalPriceSet: { shopMoney: { amount: "120.50", currencyCode: "UAH" } },
      totalRefundedSet: { shopMoney: { amount: "20.25", currencyCode: "UAH" } },
      customer: {
        id: "gid://shopify/Customer/7",
        updatedAt: "2026-03-04T00:00:00Z",
        tags: ["vip"],
        defaultEmailAddress: { emailAddress: "olena@example.com", marketingState: "SUBSCRIBED" },
        birthDate: { value: "1990-02-28" },
      },
    };
    const order = orderFromBulkLine(line);
    expect(order).toMatchObject({
      shopifyId: "gid://shopify/Order/10",
      customerShopifyId: "gid://shopify/Customer/7",
      totalPrice: 120.5,
      totalRefunded: 20.25,
      currencyCode: "UAH",
      discountCodes: ["KIN-ABC"],
    });
    // processedAt, not createdAt, is the purchase date.
    expect(order.processedAt.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(netOrderValue(order)).toBe(100.25);
    expect(customerFromBulkLine(line)).toMatchObject({ email: "olena@example.com", marketingState: "SUBSCRIBED", birthday: "1990-02-28" });
  });

  it("counts test and cancelled orders for nothing, guests for the shop only", () => {
    const base = { totalPrice: 50, totalRefunded: 0, cancelledAt: null, test: false };
    expect(netOrderValue({ ...base, test: true })).toBe(0);
    expect(netOrderValue({ ...base, cancelledAt: new Date() })).toBe(0);
    const guest = orderFromBulkLine({
      id: "gid://shopify/Order/11",
      createdAt: "2026-03-02T10:00:00Z",
      totalPriceSet: { shopMoney: { amount: "9.99", currencyCode: "EUR" } },
      customer: null,
    });
    expect(guest.customerShopifyId).toBeNull();
    expect(netOrderValue(guest)).toBe(9.99);
  });

  it("rejects a line that is not an order, and non-numeric money", () => {
    expect(() => orderFromBulkLine({ id: "gid://shopify/Customer/1", createdAt: "2026-01-01T00:00:00Z" })).toThrow(/not an order/);
    expect(() => money("twelve")).toThrow(/Not a money amount/);
  });

  it("reads REST-shaped webhooks, scaling refunds to shop money", () => {
    const order = orderFromWebhook({
      id: 42,
      admin_graphql_api_id: "gid://shopify/Order/42",
      created_at: "2026-04-01T00:00:00Z",
      updated_at: "2026-04-02T00:00:00Z",
      total_price: "40.00",
      total_price_set: { shop_money: { amount: "1600.00", currency_code: "UAH" }, presentment_money: { amount: "40.00" } },
      refunds: [
        {
          transactions: [
            { amount: "10.00", kind: "refund", status: "success" },
            { amount: "5.00", kind: "refund", status: "failure" },
          ],
        },
      ],
      customer: { id: 7 },
    });
    expect(order).toMatchObject({
      totalPrice: 1600,
      totalRefunded: 400,
      currencyCode: "UAH",
      customerShopifyId: "gid://shopify/Customer/7",
    });
    // Since 2025-01 a customer payload carries no tags or consent: the mapping yields only the columns it has.
    // A field the payload leaves out is not a column to write (not even as null).
    expect(
      customerFieldsFromWebhook(
        customerWebhookSchema.parse({ id: 7, email: "o@example.com", first_name: null, updated_at: "2026-04-02T00:00:00Z" }),
      ),
    ).toEqual({
      shopifyId: "gid://shopify/Customer/7",
      values: { email: "o@example.com", firstName: null, shopifyUpdatedAt: new Date("2026-04-02T00:00:00Z") },
    });
  });

  it("applies tag events in any order and any number of times to the same tags", () => {
    const events = [
      { kind: "added" as const, tags: ["vip", "kinship:loyal"], occurredAt: "2026-04-01T10:00:00Z" },
      { kind: "removed" as const, tags: ["kinship:loyal"], occurredAt: "2026-04-02T10:00:00Z" },
      { kind: "added" as const, tags: ["kinship:lapsed"], occurredAt: "2026-04-02T10:00:00Z" },
      { kind: "removed" as const, tags: ["vip"], occurredAt: "2026-04-03T10:00:00Z" },
      { kind: "added" as const, tags: ["VIP"], occurredAt: "2026-04-04T10:00:00Z" },
    ];
    const run = (order: typeof events) =>
      order.reduce((state, e) => applyTagEvent(state, e, e.kind), { tags: ["old"], versions: new Map<string, string>() }).tags.sort();
    const expected = ["VIP", "kinship:lapsed", "old"].sort();
    expect(run(events)).toEqual(expected);
    expect(run([...events].reverse())).toEqual(expected);
    expect(run([events[3], events[0], events[4], events[1], events[0], events[2], events[3]])).toEqual(expected);
  });

  it("refuses at the schema a webhook date it cannot read, naming the field", () => {
    const order = { id: 42, created_at: "2026-04-01T00:00:00Z" };
    expect(orderFromWebhook(orderWebhookSchema.parse(order)).processedAt).toEqual(new Date("2026-04-01T00:00:00Z"));
    const issue = (result: { success: boolean; error?: { issues: Array<{ path: (string | number)[]; message: string }> } }) =>
      result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issue(orderWebhookSchema.safeParse({ ...order, created_at: "yesterday" }))).toEqual(['created_at: not a date ("yesterday")']);
    expect(issue(orderWebhookSchema.safeParse({ ...order, cancelled_at: "2026-13-45" }))).toEqual([
      'cancelled_at: not a date ("2026-13-45")',
    ]);
    expect(issue(customerWebhookSchema.safeParse({ id: 7, updated_at: "soon" }))).toEqual(['updated_at: not a date ("soon")']);
  });
});
