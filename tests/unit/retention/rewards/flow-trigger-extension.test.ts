import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLOW_TRIGGER_FIELDS, FLOW_TRIGGER_HANDLE, renderFlowTriggerToml } from "../../../../app/retention/rewards";

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
