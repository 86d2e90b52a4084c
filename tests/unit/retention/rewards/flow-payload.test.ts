import {
  buildFlowPayload,
  customerLegacyId,
  FLOW_TRIGGER_FIELDS,
  FLOW_TRIGGER_HANDLE,
  flowPayloadProblems,
  flowTriggerPayloadSchema,
  momentLabel,
  renderFlowTriggerToml,
} from "../../../../app/retention/rewards/flow-payload";
import { decideDay } from "../../../../app/retention/rewards/schedule";
import { customer, rule, scheduleInput } from "../../../support/reward-fixtures";

const birthday = rule("bday", {
  kind: "birthday",
  name: "Birthday treat",
  reward: { type: "percentage", percentage: 15 },
  lastChance: true,
});

describe("Flow trigger payload", () => {
  const { decisions } = decideDay(
    scheduleInput({ rules: [birthday], customers: [customer("gid://shopify/Customer/7012345678901", { birthday: "1990-03-12" })] }),
  );
  const issue = decisions.find((d) => d.kind === "issue")!;
  const remind = decisions.find((d) => d.kind === "remind")!;

  it("carries customer, code, reason, expiry and moment, matching the declared fields", () => {
    const payload = buildFlowPayload(remind, "BDAY-7KX2M9QRTW", { ruleName: "Birthday treat", currencyCode: "EUR" });
    expect(payload).toEqual({
      customer_id: 7012345678901,
      code: "BDAY-7KX2M9QRTW",
      reason: "birthday",
      expiresAt: "2026-03-15T23:00:00.000Z",
      moment: "before7",
      ruleName: "Birthday treat",
      offer: "15% off",
    });
    expect(flowPayloadProblems(payload)).toEqual([]);
    expect(Object.keys(payload).sort()).toEqual(FLOW_TRIGGER_FIELDS.map((f) => f.key).sort());
    expect(flowPayloadProblems(buildFlowPayload(issue, "ABCDEFGHJK", { ruleName: "x", currencyCode: "EUR" }))).toEqual([]);
  });

  it("keeps custom field keys camelCase (Flow's customer reference key is fixed)", () => {
    for (const f of FLOW_TRIGGER_FIELDS) {
      if (f.type === "customer_reference") expect(f.key).toBe("customer_id");
      else expect(f.key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });

  it("reports payloads that drift from the declaration", () => {
    expect(
      flowPayloadProblems({ customer_id: "7", code: "X", reason: "r", expiresAt: "e", moment: "m", ruleName: "n", offer: "o", extra: 1 }),
    ).toEqual(["extra: not declared in the trigger", "customer_id: expected integer"]);
    expect(flowPayloadProblems({})).toHaveLength(flowTriggerPayloadSchema.required.length);
  });

  it("labels moments for Flow conditions", () => {
    expect(momentLabel({ kind: "issue" })).toBe("issued");
    expect(momentLabel({ kind: "remind", moment: -3 })).toBe("before3");
    expect(momentLabel({ kind: "remind", moment: 0 })).toBe("birthday");
    expect(momentLabel({ kind: "remind", moment: 2, lastChance: true })).toBe("lastChance");
    expect(momentLabel({ kind: "remind", moment: 1 })).toBe("after1");
  });

  it("renders the trigger extension TOML from the same fields", () => {
    const toml = renderFlowTriggerToml();
    expect(FLOW_TRIGGER_HANDLE.length).toBeLessThanOrEqual(30);
    expect(toml).toContain(`handle = "${FLOW_TRIGGER_HANDLE}"`);
    expect(toml).toContain('type = "flow_trigger"');
    expect(toml.match(/\[\[settings\.fields\]\]/g)).toHaveLength(FLOW_TRIGGER_FIELDS.length);
    for (const f of FLOW_TRIGGER_FIELDS.filter((x) => x.type !== "customer_reference")) {
      expect(toml).toContain(`key = "${f.key}"`);
    }
  });

  it("reads numeric customer ids and refuses held-out decisions", () => {
    expect(customerLegacyId("gid://shopify/Customer/42")).toBe(42);
    expect(customerLegacyId("42")).toBe(42);
    expect(() => customerLegacyId("gid://shopify/Order/42")).toThrow();
    expect(() => buildFlowPayload({ ...issue, kind: "holdout" }, "X", { ruleName: "x", currencyCode: "EUR" })).toThrow();
  });
});
