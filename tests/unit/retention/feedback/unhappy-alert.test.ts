import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ADMIN_APP_HANDLE,
  UNHAPPY_TRIGGER,
  buildUnhappyAlert,
  feedbackItemUrl,
  renderUnhappyTriggerToml,
} from "../../../../app/retention/feedback/unhappy-alert";
import { FLOW_PAYLOAD_MAX_BYTES, triggerPayloadProblems } from "../../../../app/retention/flow-trigger";

const TOML = "extensions/kinship-unhappy-customer/shopify.extension.toml";
const SHOP = "shop-one.myshopify.com";
const answer = { id: "fb1", orderShopifyId: "gid://shopify/Order/5001", score: 7, reasons: ["delivery" as const, "price" as const] };

describe("the unhappy-customer trigger extension", () => {
  it("is exactly what renderUnhappyTriggerToml() generates (regenerate it when the fields change)", () => {
    expect(readFileSync(TOML, "utf8")).toBe(renderUnhappyTriggerToml());
  });

  it("has a handle Shopify accepts (≤ 30 characters, letters, digits and hyphens)", () => {
    expect(UNHAPPY_TRIGGER.handle).toMatch(/^[a-z0-9-]{1,30}$/);
  });

  it("links into the admin under the app's handle in shopify.app.toml", () => {
    expect(readFileSync("shopify.app.toml", "utf8")).toMatch(new RegExp(`^handle = "${ADMIN_APP_HANDLE}"$`, "m"));
    expect(feedbackItemUrl(SHOP, "fb1")).toBe("https://admin.shopify.com/store/shop-one/apps/kinship/app/feedback/fb1");
  });
});

describe("buildUnhappyAlert", () => {
  it("fires at or below the threshold only, with every declared field", () => {
    const payload = buildUnhappyAlert(SHOP, answer, { threshold: 8, predictedClv: 412.456, currencyCode: "EUR" });
    expect(payload).toEqual({
      order_id: 5001,
      score: 7,
      reasons: "delivery, price",
      valueAtRisk: 412.46,
      currencyCode: "EUR",
      itemUrl: "https://admin.shopify.com/store/shop-one/apps/kinship/app/feedback/fb1",
    });
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, payload)).toEqual([]);
    expect(buildUnhappyAlert(SHOP, answer, { threshold: 6, predictedClv: 1, currencyCode: "EUR" })).toBeNull();
    expect(buildUnhappyAlert(SHOP, { ...answer, score: 8 }, { threshold: 8, predictedClv: 1, currencyCode: "EUR" })).not.toBeNull();
  });

  it("sends 0 at risk and 'none' for a guest who named no reason", () => {
    const payload = buildUnhappyAlert(SHOP, { ...answer, reasons: [] }, { threshold: 8, predictedClv: null, currencyCode: "EUR" });
    expect(payload).toMatchObject({ reasons: "none", valueAtRisk: 0 });
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, payload)).toEqual([]);
  });

  it("is checked against the declared fields and Flow's size limit before it is sent", () => {
    const payload = buildUnhappyAlert(SHOP, answer, { threshold: 8, predictedClv: 1, currencyCode: "EUR" })!;
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, { ...payload, extra: "x" })).toEqual(["extra: not declared in the trigger"]);
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, { ...payload, score: "7" })).toEqual(["score: expected number"]);
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, { ...payload, itemUrl: "javascript:alert(1)" })).toEqual([
      "itemUrl: expected an https URL",
    ]);
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, { ...payload, order_id: 0 })).toEqual(["order_id: expected integer"]);
    expect(triggerPayloadProblems(UNHAPPY_TRIGGER, { ...payload, reasons: "x".repeat(FLOW_PAYLOAD_MAX_BYTES) })).toEqual([
      `payload: over ${FLOW_PAYLOAD_MAX_BYTES} bytes`,
    ]);
  });
});
