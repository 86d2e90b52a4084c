import { describe, expect, it } from "vitest";
import {
  kinshipSegments,
  percentileOfSorted,
  planSegments,
  queryNumber,
  queryString,
  roundedThreshold,
  SEGMENT_KEY_PATTERN,
  textEquals,
} from "../../../../app/retention/segments/kinship-segments";

const input = { pAliveThreshold: 0.3, clvHighValueThreshold: 1234.56, tierNames: ["Silver", "Gold"] };

describe("segment query builder", () => {
  it("names a Kinship value as metafields.kinship.<key> and quotes text", () => {
    expect(textEquals("lifecycle", "lapsed")).toBe("metafields.kinship.lifecycle = 'lapsed'");
  });

  it("escapes quotes and backslashes inside a tier name, so a name cannot end the literal early", () => {
    expect(queryString("O'Brien \\ VIP")).toBe("'O\\'Brien \\\\ VIP'");
    expect(textEquals("tier", "It's gold' OR metafields.kinship.tier = 'x")).toBe(
      "metafields.kinship.tier = 'It\\'s gold\\' OR metafields.kinship.tier = \\'x'",
    );
  });

  it("writes numbers in plain notation without trailing zeros", () => {
    expect(queryNumber(0.3, 3)).toBe("0.3");
    expect(queryNumber(0.0000001, 3)).toBe("0");
    expect(queryNumber(1230, 2)).toBe("1230");
    expect(queryNumber(12.5, 2)).toBe("12.5");
    expect(() => queryNumber(Number.NaN, 2)).toThrow(RangeError);
  });

  it("rounds the CLV bound down to three significant digits so small nightly moves change nothing", () => {
    expect(roundedThreshold(1234.56)).toBe(1230);
    expect(roundedThreshold(1239.99)).toBe(1230);
    expect(roundedThreshold(87.46)).toBe(87.4);
    expect(roundedThreshold(0.1234)).toBe(0.123);
    expect(roundedThreshold(0)).toBe(0);
  });

  it("takes the nearest-rank percentile", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileOfSorted(values, 0.8)).toBe(8);
    expect(percentileOfSorted([42], 0.8)).toBe(42);
    expect(percentileOfSorted([], 0.8)).toBeNull();
  });
});

describe("Kinship's segments", () => {
  it("offers every lifecycle group, at-risk high value, each tier and the RFM cells worth targeting", () => {
    const segments = kinshipSegments(input);
    expect(segments.map((s) => s.key)).toEqual([
      "lifecycle:new",
      "lifecycle:loyal",
      "lifecycle:regular",
      "lifecycle:lapsed",
      "value:at_risk_high_value",
      "tier:1",
      "tier:2",
      "rfm:champions",
      "rfm:loyal",
      "rfm:potential_loyalist",
      "rfm:need_attention",
      "rfm:about_to_sleep",
      "rfm:at_risk",
      "rfm:cant_lose",
      "rfm:hibernating",
    ]);
    for (const s of segments) expect(s.key).toMatch(SEGMENT_KEY_PATTERN);
    expect(segments.find((s) => s.key === "value:at_risk_high_value")?.query).toBe(
      "metafields.kinship.p_alive < 0.3 AND metafields.kinship.predicted_clv >= 1230",
    );
    expect(segments.find((s) => s.key === "tier:2")?.query).toBe("metafields.kinship.tier = 'Gold'");
    expect(segments.find((s) => s.key === "rfm:cant_lose")?.query).toBe("metafields.kinship.rfm_segment = 'cant_lose'");
  });

  it("has no value segment before the first scoring, and one segment per distinct tier name", () => {
    const segments = kinshipSegments({ pAliveThreshold: 0.25, clvHighValueThreshold: null, tierNames: ["Gold", "Gold", ""] });
    expect(segments.some((s) => s.kind === "atRiskHighValue")).toBe(false);
    expect(segments.filter((s) => s.kind === "tier").map((s) => s.key)).toEqual(["tier:1"]);
  });

  it("follows the merchant's threshold", () => {
    const at = (p: number) => kinshipSegments({ ...input, pAliveThreshold: p }).find((s) => s.kind === "atRiskHighValue")!.query;
    expect(at(0.15)).toContain("metafields.kinship.p_alive < 0.15 AND");
  });
});

describe("planning the changes", () => {
  const desired = [
    { key: "lifecycle:new", name: "Kinship · New", query: "q1" },
    { key: "tier:1", name: "Kinship · Platinum", query: "metafields.kinship.tier = 'Platinum'" },
    { key: "rfm:loyal", name: "Kinship · Loyal", query: "q3" },
  ];

  it("creates what is missing, updates a renamed tier in place, removes what is no longer offered", () => {
    const plan = planSegments(desired, {
      "lifecycle:new": { id: "gid://shopify/Segment/1", name: "Kinship · New", query: "q1" },
      "tier:1": { id: "gid://shopify/Segment/2", name: "Kinship · Gold", query: "metafields.kinship.tier = 'Gold'" },
      "tier:2": { id: "gid://shopify/Segment/3", name: "Kinship · Silver", query: "metafields.kinship.tier = 'Silver'" },
    });
    expect(plan.unchanged).toEqual(["lifecycle:new"]);
    expect(plan.update).toEqual([{ ...desired[1], id: "gid://shopify/Segment/2" }]);
    expect(plan.create).toEqual([desired[2]]);
    expect(plan.remove).toEqual([{ key: "tier:2", id: "gid://shopify/Segment/3" }]);
  });

  it("does nothing when Shopify already has every segment as desired", () => {
    const stored = Object.fromEntries(desired.map((d, i) => [d.key, { ...d, id: `gid://shopify/Segment/${i}` }]));
    const plan = planSegments(desired, stored);
    expect(plan.create.length + plan.update.length + plan.remove.length).toBe(0);
  });
});
