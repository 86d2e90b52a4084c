import { describe, expect, it } from "vitest";
import { buildFlowPayload, type Decision } from "../../../app/retention/rewards";
import { InvalidBirthdayError, saveCustomerBirthday } from "../../../app/jobs/birthdays.server";
import { enableBirthdayDefinition, rewardMetafieldInputs, writeRewardMetafields } from "../../../app/shopify/customer-metafields.server";
import { fireRewardTrigger, FlowPayloadError } from "../../../app/shopify/flow.server";
import { fakeAdmin } from "../../support/fake-admin";

const decision: Decision = {
  idempotencyKey: "r1:gid%3A//shopify/Customer/42:2026",
  ruleId: "r1",
  ruleKind: "birthday",
  customerId: "gid://shopify/Customer/42",
  kind: "remind",
  period: "2026:remind:-3",
  decidedOn: "2026-05-14",
  reason: "birthday",
  explanation: "",
  startsAt: "2026-05-10T04:00:00.000Z",
  endsAt: "2026-05-21T04:00:00.000Z",
  reward: { type: "percentage", percentage: 15 },
  minimumSubtotal: null,
  combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  moment: -3,
  estimatedCost: 0,
  notify: true,
  channel: "promotional",
};

describe("Flow trigger", () => {
  it("fires the declared handle with the core's payload", async () => {
    const { client, seen } = fakeAdmin(() => ({ flowTriggerReceive: { userErrors: [] } }));
    const payload = buildFlowPayload(decision, "K7M2QX9TBW4P", { ruleName: "Birthday", currencyCode: "EUR" });
    await fireRewardTrigger(client, payload);
    expect(seen).toHaveLength(1);
    expect(seen[0].variables).toEqual({
      handle: "kinship-reward-issued",
      payload: {
        customer_id: 42,
        code: "K7M2QX9TBW4P",
        reason: "birthday",
        expiresAt: "2026-05-21T04:00:00.000Z",
        moment: "before3",
        ruleName: "Birthday",
        offer: "15% off",
      },
    });
  });

  it("refuses a payload the trigger doesn't declare, without calling Shopify", async () => {
    const { client, seen } = fakeAdmin(() => ({ flowTriggerReceive: { userErrors: [] } }));
    const payload = { ...buildFlowPayload(decision, "K7M2QX9TBW4P", { ruleName: "B", currencyCode: "EUR" }), secret: "x" };
    await expect(fireRewardTrigger(client, payload)).rejects.toBeInstanceOf(FlowPayloadError);
    expect(seen).toHaveLength(0);
  });

  it("surfaces Flow's userErrors (e.g. trigger not deployed)", async () => {
    const { client } = fakeAdmin(() => ({ flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Invalid handle" }] } }));
    await expect(
      fireRewardTrigger(client, buildFlowPayload(decision, "K7M2QX9TBW4P", { ruleName: "B", currencyCode: "EUR" })),
    ).rejects.toThrow(/Invalid handle/);
  });
});

describe("reward metafields", () => {
  it("writes code, expiry (date_time), offer and reason under the kinship namespace in one call", async () => {
    const { client, seen } = fakeAdmin(() => ({ metafieldsSet: { metafields: [], userErrors: [] } }));
    await writeRewardMetafields(client, decision.customerId, {
      code: "K7M2QX9TBW4P",
      expiresAt: decision.endsAt,
      offer: "15% off",
      reason: "birthday",
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].variables.metafields).toEqual(
      rewardMetafieldInputs(decision.customerId, {
        code: "K7M2QX9TBW4P",
        expiresAt: decision.endsAt,
        offer: "15% off",
        reason: "birthday",
      }),
    );
    const byKey = Object.fromEntries(
      (seen[0].variables.metafields as Array<{ key: string; value: string; namespace: string; type: string }>).map((m) => [m.key, m]),
    );
    expect(byKey.reward_code).toMatchObject({ namespace: "kinship", type: "single_line_text_field", value: "K7M2QX9TBW4P" });
    expect(byKey.reward_expires_at).toMatchObject({ type: "date_time", value: "2026-05-21T04:00:00Z" });
  });
});

describe("birthdays at the edge", () => {
  it("enabling the standard definition twice is fine (TAKEN means already enabled)", async () => {
    let calls = 0;
    const { client, seen } = fakeAdmin(() => ({
      standardMetafieldDefinitionEnable:
        ++calls === 1
          ? {
              createdDefinition: {
                id: "gid://shopify/MetafieldDefinition/1",
                namespace: "facts",
                key: "birth_date",
                type: { name: "date" },
              },
              userErrors: [],
            }
          : { createdDefinition: null, userErrors: [{ field: ["key"], message: "Key is in use", code: "TAKEN" }] },
    }));
    expect(await enableBirthdayDefinition(client)).toEqual({ enabled: true, created: true });
    expect(await enableBirthdayDefinition(client)).toEqual({ enabled: true, created: false });
    expect(seen[0].variables).toEqual({ ownerType: "CUSTOMER", namespace: "facts", key: "birth_date" });
  });

  it("other refusals are errors", async () => {
    const { client } = fakeAdmin(() => ({
      standardMetafieldDefinitionEnable: {
        createdDefinition: null,
        userErrors: [{ field: null, message: "Template not found", code: "TEMPLATE_NOT_FOUND" }],
      },
    }));
    await expect(enableBirthdayDefinition(client)).rejects.toThrow(/Template not found/);
  });

  it.each(["1990-02-30", "17/05/1990", "--05-17", "2999-01-01", "1850-01-01"])("rejects %s without calling Shopify", async (value) => {
    const { client, seen } = fakeAdmin(() => ({ metafieldsSet: { metafields: [], userErrors: [] } }), "bday-shop.myshopify.com");
    await expect(
      saveCustomerBirthday("bday-shop.myshopify.com", "gid://shopify/Customer/1", value, client, { now: new Date("2026-06-01T00:00:00Z") }),
    ).rejects.toBeInstanceOf(InvalidBirthdayError);
    expect(seen).toHaveLength(0);
  });

  it("refuses a client for another shop", async () => {
    const { client } = fakeAdmin(() => ({}), "other-shop.myshopify.com");
    await expect(saveCustomerBirthday("bday-shop.myshopify.com", "gid://shopify/Customer/1", "1990-05-17", client)).rejects.toThrow(
      /not bday-shop/,
    );
  });
});
