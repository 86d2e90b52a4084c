import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLOW_LIFECYCLE_PATH, FLOW_TRIGGER_FIELDS, FLOW_TRIGGER_HANDLE, renderFlowTriggerToml } from "../../../../app/retention/rewards";
import { flowHmac, flowLifecycleSchema, isSignedByShopify } from "../../../../app/shopify/flow-lifecycle.server";

const TOML = "extensions/kinship-flow-trigger/shopify.extension.toml";

describe("the committed Flow trigger extension", () => {
  const committed = readFileSync(TOML, "utf8");

  it("is exactly what renderFlowTriggerToml() generates (regenerate it when the fields change)", () => {
    expect(committed).toBe(renderFlowTriggerToml());
  });

  it("declares the handle the app fires and every payload field", () => {
    expect(committed).toContain(`handle = "${FLOW_TRIGGER_HANDLE}"`);
    expect(FLOW_TRIGGER_HANDLE.length).toBeLessThanOrEqual(30);
    for (const field of FLOW_TRIGGER_FIELDS) {
      expect(committed).toContain(field.type === "customer_reference" ? `type = "customer_reference"` : `key = "${field.key}"`);
    }
  });
});

describe("Flow's trigger lifecycle callback", () => {
  it("is declared with a URL the app serves (Remix flat route: dots are slashes)", () => {
    const committed = readFileSync(TOML, "utf8");
    expect(committed).toContain('type = "flow_trigger_lifecycle_callback"');
    expect(committed).toContain(`url = "${FLOW_LIFECYCLE_PATH}"`);
    expect(existsSync(`app/routes/${FLOW_LIFECYCLE_PATH.slice(1).replaceAll("/", ".")}.tsx`)).toBe(true);
  });

  it("accepts only the body signed with the app's secret, and Flow's documented fields", () => {
    const body = JSON.stringify({
      flow_trigger_definition_id: "kinship-reward-issued",
      has_enabled_flow: true,
      shop_id: "690933842",
      shopify_domain: "a.myshopify.com",
      timestamp: "2019-01-25T16:44:10.999Z",
    });
    expect(isSignedByShopify(body, flowHmac(body, "secret"), "secret")).toBe(true);
    expect(isSignedByShopify(body, flowHmac(body, "other"), "secret")).toBe(false);
    expect(isSignedByShopify(`${body} `, flowHmac(body, "secret"), "secret")).toBe(false);
    expect(isSignedByShopify(body, null, "secret")).toBe(false);
    expect(flowLifecycleSchema.safeParse(JSON.parse(body)).success).toBe(true);
    expect(flowLifecycleSchema.safeParse({ ...JSON.parse(body), shopify_domain: "evil.example.com" }).success).toBe(false);
  });
});
