import { describe, expect, it } from "vitest";
import {
  KINSHIP_METAFIELD_DEFINITIONS,
  REWARD_METAFIELDS,
  valueMetafieldChanges,
  valueMetafieldValues,
  VALUE_METAFIELDS,
} from "~/retention/segments/value-metafields";

describe("Kinship's values as customer metafields", () => {
  const customer = { predictedClv: 1234.5678, pAlive: 0.87654, lifecycle: "regular", rfmSegment: "champions", tier: "Gold" };

  it("formats decimals the way number_decimal stores them and keeps the rest as text", () => {
    expect(valueMetafieldValues(customer)).toEqual({
      predicted_clv: "1234.57",
      p_alive: "0.877",
      lifecycle: "regular",
      rfm_segment: "champions",
      tier: "Gold",
    });
    expect(valueMetafieldValues({ ...customer, predictedClv: Number.NaN, tier: null })).toMatchObject({ predicted_clv: null, tier: null });
  });

  it("writes everything the first time and only what changed afterwards", () => {
    const first = valueMetafieldChanges(valueMetafieldValues(customer), null);
    expect(first.set.map((s) => s.key)).toEqual(VALUE_METAFIELDS.map((d) => d.key));
    expect(first.remove).toEqual([]);

    const written = valueMetafieldValues(customer);
    const later = valueMetafieldChanges(valueMetafieldValues({ ...customer, lifecycle: "lapsed", tier: null }), written);
    expect(later).toEqual({ set: [{ key: "lifecycle", type: "single_line_text_field", value: "lapsed" }], remove: ["tier"] });
    expect(valueMetafieldChanges(written, written)).toEqual({ set: [], remove: [] });
  });

  it("offers fixed choices only where the set is Kinship's own", () => {
    const byKey = Object.fromEntries(VALUE_METAFIELDS.map((d) => [d.key, d]));
    expect(byKey.lifecycle.choices).toEqual(["new", "loyal", "regular", "lapsed"]);
    expect(byKey.rfm_segment.choices).toContain("champions");
    expect(byKey.tier.choices).toBeUndefined();
  });

  it("defines the latest reward's metafields too, in segment-filterable types, but leaves them out of the value write-back", () => {
    expect(REWARD_METAFIELDS.map((d) => [d.key, d.type])).toEqual([
      ["reward_code", "single_line_text_field"],
      ["reward_expires_at", "date_time"],
      ["reward_offer", "single_line_text_field"],
      ["reward_reason", "single_line_text_field"],
    ]);
    expect(KINSHIP_METAFIELD_DEFINITIONS.map((d) => d.key)).toEqual([...VALUE_METAFIELDS, ...REWARD_METAFIELDS].map((d) => d.key));
    // A customer with no values: the write-back removes its own keys, never the reward's (delivery owns those).
    const none = valueMetafieldValues({ predictedClv: null, pAlive: null, lifecycle: null, rfmSegment: null, tier: null });
    expect(valueMetafieldChanges(none, valueMetafieldValues(customer)).remove).toEqual(VALUE_METAFIELDS.map((d) => d.key));
  });
});
