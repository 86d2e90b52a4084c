import { describe, expect, it } from "vitest";
import { desiredKinshipTags, kinshipTagChanges } from "../../../../app/retention/segments/tags";

describe("kinship tag write-back", () => {
  it("adds and removes only kinship: tags, leaving the merchant's tags alone", () => {
    const current = ["VIP", "kinship:loyal", "wholesale", "kinship:tier-silver", "kinshipish"];
    const desired = desiredKinshipTags({ lifecycle: "lapsed", tier: "Gold" });
    expect(desired).toEqual(["kinship:lapsed", "kinship:tier-gold"]);
    expect(kinshipTagChanges(current, desired)).toEqual({
      add: ["kinship:lapsed", "kinship:tier-gold"],
      remove: ["kinship:loyal", "kinship:tier-silver"],
    });
  });

  it("changes nothing when the tags already match", () => {
    expect(kinshipTagChanges(["kinship:new", "sale"], desiredKinshipTags({ lifecycle: "new", tier: null }))).toEqual({
      add: [],
      remove: [],
    });
  });

  it("never emits a tag without the prefix, even for odd tier names", () => {
    const desired = desiredKinshipTags({ lifecycle: "regular", tier: "Золото / Gold+" });
    expect(desired).toEqual(["kinship:regular", "kinship:tier-золото-gold"]);
    expect(kinshipTagChanges([], desired).add.every((t) => t.startsWith("kinship:"))).toBe(true);
  });
});
