import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalog, SUPPORTED_LOCALES } from "../../../app/i18n";
import { ruleErrorText } from "../../../app/i18n/form-errors";
import { kindText, offerText, reasonLabel } from "../../../app/i18n/rule-texts";
import { HOLIDAY_PRESETS, kindLabelKeys, REWARD_KINDS, RULE_KINDS } from "../../../app/retention/rewards";

const PLURAL = /\.(zero|one|two|few|many|other)$/;
const rulesEn = JSON.parse(readFileSync("app/i18n/catalogs/rules/en.json", "utf8")) as Record<string, string>;
const kinds = JSON.parse(readFileSync("app/i18n/catalogs/rules/kinds.json", "utf8")) as Record<string, Record<string, string>>;

describe("rules area catalogs", () => {
  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale} has every rules text and every kind's texts`, () => {
      const messages = catalog(locale);
      const plain = Object.keys(rulesEn).filter((k) => !PLURAL.test(k));
      const plurals = [
        ...new Set(
          Object.keys(rulesEn)
            .filter((k) => PLURAL.test(k))
            .map((k) => k.replace(PLURAL, "")),
        ),
      ].flatMap((base) => new Intl.PluralRules(locale).resolvedOptions().pluralCategories.map((c) => `${base}.${c}`));
      expect([...plain, ...plurals].filter((k) => !(k in messages))).toEqual([]);
      expect(Object.keys(kinds.en).filter((k) => !(k in kinds[locale]))).toEqual([]);
      for (const kind of RULE_KINDS) for (const key of Object.values(kindLabelKeys(kind))) expect(messages[key]).toBeTruthy();
      for (const preset of HOLIDAY_PRESETS) expect(kindText(locale, "holidayCampaign", `preset.${preset.id}`)).not.toContain("preset.");
    });
  }

  it("turns the core's keyed messages into the admin's language, field names included", () => {
    expect(ruleErrorText('rules.error.daysMax|{"label":"rules.kind.loyaltyTiers.label.gracePeriod","max":730}', "en")).toBe(
      "The grace period can't be more than 730 days.",
    );
    expect(ruleErrorText('rules.error.daysMax|{"label":"rules.kind.loyaltyTiers.label.gracePeriod","max":730}', "uk")).toBe(
      "Пільговий період: не більше ніж 730 дн.",
    );
    expect(ruleErrorText("Not a key.", "uk")).toBe("Not a key.");
  });

  it("words each kind's reason for the shopper (My rewards) from its own reasonLabel text, in the customer's language", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const labels = RULE_KINDS.map((kind) => reasonLabel(locale, REWARD_KINDS[kind].reason));
      for (const [i, kind] of RULE_KINDS.entries()) expect(labels[i]).toBe(catalog(locale)[`rules.kind.${kind}.reasonLabel`]);
      expect(new Set(labels).size, locale).toBe(RULE_KINDS.length);
    }
    expect(reasonLabel("uk", REWARD_KINDS.loyaltyTiers.reason)).toBe("Винагорода за рівень");
    expect(reasonLabel("en", REWARD_KINDS.holidayCampaign.reason)).toBe("Holiday offer");
  });

  it("writes the offer in the given language", () => {
    expect(offerText({ type: "percentage", percentage: 15 }, "EUR", "en")).toBe("15% off");
    expect(offerText({ type: "fixedAmount", amount: 10 }, "EUR", "hr")).toBe("Popust 10.00 EUR");
    expect(offerText({ type: "freeShipping" }, "EUR", "ru")).toBe("Бесплатная доставка");
  });
});
