import { describe, expect, it } from "vitest";
import { ShopifyUserErrors } from "../../../app/shopify/admin-client.server";
import {
  createRewardDiscount,
  deactivateDiscount,
  DiscountNotReturnedError,
  discountCreateRequest,
  findDiscountByCode,
  percentageFraction,
  type RewardDiscountSpec,
} from "../../../app/shopify/discounts.server";
import { fakeAdmin } from "../../support/fake-admin";

const CUSTOMER = "gid://shopify/Customer/501";
const base: RewardDiscountSpec = {
  code: "K7M2QX9TBW4P",
  title: "Kinship · Birthday",
  customerId: CUSTOMER,
  startsAt: "2026-03-01T05:00:00.000Z",
  endsAt: "2026-03-12T05:00:00.000Z",
  reward: { type: "percentage", percentage: 15 },
  minimumSubtotal: 40,
  combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
};

describe("discount input for one customer's code", () => {
  it("sends a percentage as a 0–1 fraction, restricted to the customer through context, usable once", () => {
    const { payloadKey, variables } = discountCreateRequest(base);
    expect(payloadKey).toBe("discountCodeBasicCreate");
    const input = variables.basicCodeDiscount as Record<string, unknown>;
    expect(input).toMatchObject({
      code: "K7M2QX9TBW4P",
      startsAt: base.startsAt,
      endsAt: base.endsAt,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [CUSTOMER] } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "40.00" } },
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    });
    expect(input).not.toHaveProperty("customerSelection");
  });

  it("sends the rule's stacking choice as combinesWith, for basic and free-shipping codes alike", () => {
    const combinesWith = { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true };
    const basic = discountCreateRequest({ ...base, combinesWith }).variables.basicCodeDiscount as Record<string, unknown>;
    const shipping = discountCreateRequest({ ...base, reward: { type: "freeShipping" }, combinesWith }).variables
      .freeShippingCodeDiscount as Record<string, unknown>;
    expect(basic.combinesWith).toEqual(combinesWith);
    expect(shipping.combinesWith).toEqual(combinesWith);
  });

  it("never turns store credit into a discount code", () => {
    expect(() => discountCreateRequest({ ...base, reward: { type: "storeCredit", amount: 5 } })).toThrow(/not a discount code/);
  });

  it("converts awkward percentages exactly", () => {
    expect(percentageFraction(15)).toBe(0.15);
    expect(percentageFraction(12.5)).toBe(0.125);
    expect(percentageFraction(100)).toBe(1);
    expect(percentageFraction(33.3)).toBe(0.333);
  });

  it("sends a fixed amount as a decimal string spread over the order, and no minimum when there is none", () => {
    const { variables } = discountCreateRequest({ ...base, reward: { type: "fixedAmount", amount: 7.5 }, minimumSubtotal: null });
    const input = variables.basicCodeDiscount as Record<string, unknown>;
    expect(input.customerGets).toEqual({ value: { discountAmount: { amount: "7.50", appliesOnEachItem: false } }, items: { all: true } });
    expect(input).not.toHaveProperty("minimumRequirement");
  });

  it("uses the free-shipping mutation for free shipping", () => {
    const { payloadKey, variables } = discountCreateRequest({ ...base, reward: { type: "freeShipping" } });
    expect(payloadKey).toBe("discountCodeFreeShippingCreate");
    expect(variables.freeShippingCodeDiscount).toMatchObject({
      code: base.code,
      usageLimit: 1,
      context: { customers: { add: [CUSTOMER] } },
      destination: { all: true },
    });
  });

  it.each([
    ["percentage", base.reward],
    ["fixed amount", { type: "fixedAmount", amount: 10 }],
    ["free shipping", { type: "freeShipping" }],
  ] as const)("a %s create request validates against the 2026-04 schema, variables included", async (_label, reward) => {
    const { client, seen } = fakeAdmin((r) => ({
      [r.operation === "KinshipDiscountCodeFreeShippingCreate" ? "discountCodeFreeShippingCreate" : "discountCodeBasicCreate"]: {
        codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" },
        userErrors: [],
      },
    }));
    const outcome = await createRewardDiscount(client, { ...base, reward });
    expect(outcome).toEqual({ id: "gid://shopify/DiscountCodeNode/9", adopted: false });
    expect(seen).toHaveLength(1);
  });
});

describe("createRewardDiscount when Shopify says the code is taken", () => {
  const taken = {
    codeDiscountNode: null,
    userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique.", code: "TAKEN", extraInfo: null }],
  };
  const lookup = (customers: string[]) => ({
    codeDiscountNodeByCode: {
      id: "gid://shopify/DiscountCodeNode/77",
      codeDiscount: {
        __typename: "DiscountCodeBasic",
        title: "Kinship · Birthday",
        status: "ACTIVE",
        startsAt: base.startsAt,
        endsAt: base.endsAt,
        usageLimit: 1,
        asyncUsageCount: 0,
        appliesOncePerCustomer: true,
        context: { __typename: "DiscountCustomers", customers: customers.map((id) => ({ id })) },
        minimumRequirement: null,
        customerGets: { value: { __typename: "DiscountPercentage", percentage: 0.15 } },
      },
    },
  });

  it("adopts the existing discount when it belongs to the same customer (an earlier answer was lost)", async () => {
    const { client, seen } = fakeAdmin((r) =>
      r.operation === "KinshipCodeDiscountByCode" ? lookup([CUSTOMER]) : { discountCodeBasicCreate: taken },
    );
    expect(await createRewardDiscount(client, base)).toEqual({ id: "gid://shopify/DiscountCodeNode/77", adopted: true });
    expect(seen.map((r) => r.operation)).toEqual(["KinshipDiscountCodeBasicCreate", "KinshipCodeDiscountByCode"]);
  });

  it("refuses when the code belongs to someone else", async () => {
    const { client } = fakeAdmin((r) =>
      r.operation === "KinshipCodeDiscountByCode" ? lookup(["gid://shopify/Customer/999"]) : { discountCodeBasicCreate: taken },
    );
    await expect(createRewardDiscount(client, base)).rejects.toBeInstanceOf(ShopifyUserErrors);
  });

  it("passes other refusals through without looking anything up", async () => {
    const { client, seen } = fakeAdmin(() => ({
      discountCodeBasicCreate: {
        codeDiscountNode: null,
        userErrors: [
          { field: ["basicCodeDiscount", "endsAt"], message: "Ends at needs to be after starts_at", code: "INVALID", extraInfo: null },
        ],
      },
    }));
    await expect(createRewardDiscount(client, base)).rejects.toThrow(/Ends at needs to be after/);
    expect(seen).toHaveLength(1);
  });

  it("answered with no discount and no reason: adopts the code if Shopify has it for this customer, else refuses", async () => {
    const empty = { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [] } };
    const found = fakeAdmin((r) => (r.operation === "KinshipCodeDiscountByCode" ? lookup([CUSTOMER]) : empty));
    expect(await createRewardDiscount(found.client, base)).toEqual({ id: "gid://shopify/DiscountCodeNode/77", adopted: true });
    const missing = fakeAdmin((r) => (r.operation === "KinshipCodeDiscountByCode" ? { codeDiscountNodeByCode: null } : empty));
    const refusal = createRewardDiscount(missing.client, base);
    await expect(refusal).rejects.toBeInstanceOf(DiscountNotReturnedError);
    await expect(refusal).rejects.toBeInstanceOf(ShopifyUserErrors);
    expect(missing.seen.map((r) => r.operation)).toEqual(["KinshipDiscountCodeBasicCreate", "KinshipCodeDiscountByCode"]);
  });
});

describe("findDiscountByCode", () => {
  it("reads back customer, dates, usage and value (percent, not fraction)", async () => {
    const { client } = fakeAdmin(() => ({
      codeDiscountNodeByCode: {
        id: "gid://shopify/DiscountCodeNode/5",
        codeDiscount: {
          __typename: "DiscountCodeBasic",
          title: "t",
          status: "ACTIVE",
          startsAt: base.startsAt,
          endsAt: base.endsAt,
          usageLimit: 1,
          asyncUsageCount: 1,
          appliesOncePerCustomer: true,
          combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: false },
          context: { __typename: "DiscountCustomers", customers: [{ id: CUSTOMER }] },
          minimumRequirement: {
            __typename: "DiscountMinimumSubtotal",
            greaterThanOrEqualToSubtotal: { amount: "40.0", currencyCode: "EUR" },
          },
          customerGets: { value: { __typename: "DiscountPercentage", percentage: 0.15 } },
        },
      },
    }));
    expect(await findDiscountByCode(client, base.code)).toEqual({
      id: "gid://shopify/DiscountCodeNode/5",
      title: "t",
      status: "ACTIVE",
      startsAt: base.startsAt,
      endsAt: base.endsAt,
      usageLimit: 1,
      usageCount: 1,
      appliesOncePerCustomer: true,
      customerIds: [CUSTOMER],
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: false },
      reward: { type: "percentage", percentage: 15 },
      minimumSubtotal: 40,
    });
  });

  it("returns null for an unknown code", async () => {
    const { client } = fakeAdmin(() => ({ codeDiscountNodeByCode: null }));
    expect(await findDiscountByCode(client, "NOPE")).toBeNull();
  });

  it("deactivation surfaces Shopify's refusal", async () => {
    const { client } = fakeAdmin(() => ({
      discountCodeDeactivate: {
        codeDiscountNode: null,
        userErrors: [{ field: ["id"], message: "Discount does not exist", code: null, extraInfo: null }],
      },
    }));
    await expect(deactivateDiscount(client, "gid://shopify/DiscountCodeNode/1")).rejects.toThrow(/does not exist/);
  });
});

describe("the schema guard in these tests", () => {
  it("rejects the deprecated customerSelection input (replaced by context), so passing tests use no deprecated input", async () => {
    const { DISCOUNT_CODE_BASIC_CREATE } = await import("../../../app/shopify/queries/discounts");
    const { client } = fakeAdmin(() => ({}));
    await expect(
      client.request(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: { code: "X", customerSelection: { all: true } } }),
    ).rejects.toThrow(/basicCodeDiscount\.customerSelection is deprecated/);
  });
});
