import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { declaredPath, setDeclaredField } from "../../../app/forms/schema-paths";

const schema = z.object({
  name: z.string(),
  reward: z.discriminatedUnion("type", [
    z.object({ type: z.literal("percentage"), percentage: z.preprocess((v) => v, z.number()) }),
    z.object({ type: z.literal("fixedAmount"), amount: z.number() }),
  ]),
  tiers: z.array(z.object({ name: z.string(), reward: z.object({ type: z.string() }).nullable().optional() })).max(3),
  budget: z.object({ maxCount: z.number().optional() }).nullable().optional(),
});

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe("form field names as schema paths", () => {
  it("nests declared names, through unions, wrappers and array indexes", () => {
    const target: Record<string, unknown> = {};
    for (const [name, value] of [
      ["name", "A"],
      ["reward.type", "percentage"],
      ["reward.percentage", "5"],
      ["tiers.1.name", "Gold"],
      ["tiers.1.reward.type", "x"],
      ["budget.maxCount", "2"],
    ]) {
      expect(setDeclaredField(target, schema, name, value)).toBe(true);
    }
    expect(target).toEqual({
      name: "A",
      reward: { type: "percentage", percentage: "5" },
      tiers: [undefined, { name: "Gold", reward: { type: "x" } }],
      budget: { maxCount: "2" },
    });
  });

  it.each([
    "__proto__.polluted",
    "constructor.prototype.polluted",
    "prototype.polluted",
    "reward.__proto__.polluted",
    "tiers.__proto__.polluted",
    "tiers.0.__proto__",
    "tiers.constructor",
    "tiers.length",
    "tiers.3.name",
    "tiers.01.name",
    "tiers.-1.name",
    "name.length",
    "budget.toString",
    "hasOwnProperty",
    "unknown",
    "",
    "name.",
  ])("refuses %j and changes nothing", (name) => {
    const target: Record<string, unknown> = {};
    expect(declaredPath(schema, name)).toBeNull();
    expect(setDeclaredField(target, schema, name, "yes")).toBe(false);
    expect(target).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
