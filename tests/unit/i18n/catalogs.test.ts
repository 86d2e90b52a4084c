import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, englishKeys, SUPPORTED_LOCALES } from "../../../app/i18n";
import { polarisTranslations } from "../../../app/i18n/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { LIFECYCLE_GROUPS } from "../../../app/retention/segments/lifecycle";
import { lifecycleFormSchema } from "../../../app/models/shop-settings.server";
import { RFM_SEGMENTS } from "../../../app/retention/segments/rfm";

const PLURAL_SUFFIX = /\.(zero|one|two|few|many|other)$/;
const english = new Set(englishKeys());
const adminEnglish = JSON.parse(readFileSync("app/i18n/admin/en.json", "utf8")) as Record<string, string>;
// Plural messages are an admin-catalog convention (the base catalog has keys such as "feedback.reason.other").
const pluralBases = new Set(Object.keys(adminEnglish).filter((k) => k.endsWith(".other")).map((k) => k.slice(0, -".other".length)));

/** Every key a language must have: plain keys as they are, plural keys in each category the language uses. */
function requiredKeys(locale: string): string[] {
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  const plain = Object.keys(adminEnglish).filter((k) => !PLURAL_SUFFIX.test(k) || !pluralBases.has(k.replace(PLURAL_SUFFIX, "")));
  const plural = [...pluralBases].flatMap((base) =>
    // A category whose numbers are never counts of things (e.g. "many" for fractions in some languages) still needs a form.
    categories.map((category) => `${base}.${category}`),
  );
  return [...plain, ...plural];
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  for (const locale of SUPPORTED_LOCALES.filter((l) => l !== "en")) {
    it(`${locale} translates every admin string, in every plural form its grammar has`, () => {
      const messages = catalog(locale);
      // The base catalogs (navigation, pages of other issues) are checked by their owners; the admin catalog here.
      expect(requiredKeys(locale).filter((key) => !(key in messages))).toEqual([]);
    });

    it(`${locale} keeps the same placeholders as English`, () => {
      const messages = catalog(locale);
      const en = catalog("en");
      const mismatched = Object.keys(messages)
        .filter((key) => key in en && !PLURAL_SUFFIX.test(key))
        .filter((key) => placeholders(messages[key]).join() !== placeholders(en[key]).join());
      expect(mismatched).toEqual([]);
    });

    it(`${locale} has no English left in translated admin strings`, () => {
      const admin = JSON.parse(readFileSync(`app/i18n/admin/${locale}.json`, "utf8")) as Record<string, string>;
      const en = JSON.parse(readFileSync(`app/i18n/admin/en.json`, "utf8")) as Record<string, string>;
      // Single words may coincide (Croatian "Status", "Segment"); a phrase left identical is untranslated.
      const words = (text: string) => text.replace(/\{\w+\}/g, "").match(/\p{L}{2,}/gu) ?? [];
      const identical = Object.keys(en).filter((key) => admin[key] === en[key] && words(en[key]).length >= 3);
      expect(identical).toEqual([]);
    });
  }

  it("the admin catalogs have no keys English lacks", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const admin = Object.keys(JSON.parse(readFileSync(`app/i18n/admin/${locale}.json`, "utf8")));
      const unknown = admin.filter((key) => !english.has(key) && !pluralBases.has(key.replace(PLURAL_SUFFIX, "")));
      expect(unknown, locale).toEqual([]);
    }
  });
});

describe("keys used in the admin pages", () => {
  // String literals that look like message keys of the admin namespaces, in the files that use them.
  const NAMESPACES = ["common", "form", "dashboard", "sync", "insights", "lifecycle", "lifecycleForm", "rewards", "nps", "customers", "customer", "issued", "reason", "rfm", "segments", "settings", "import"];
  const files = [
    ...["app._index.tsx", "app.customers._index.tsx", "app.customers.$id.tsx", "app.segments.tsx", "app.settings.tsx"].map((f) => path.join("app/routes", f)),
    ...readdirSync("app/components").filter((f) => /\.tsx?$/.test(f)).map((f) => path.join("app/components", f)),
    "app/i18n/form-errors.ts",
    "app/i18n/lifecycle-reason.ts",
  ];
  const literal = new RegExp(`"((?:${NAMESPACES.join("|")})\\.[A-Za-z0-9_.]+)"`, "g");

  it("exist in English (as a key or a plural base)", () => {
    const missing: string[] = [];
    for (const file of files) {
      for (const [, key] of readFileSync(file, "utf8").matchAll(literal)) {
        const isPrefix = [...english].some((k) => k.startsWith(`${key}.`));
        if (!english.has(key) && !pluralBases.has(key) && !isPrefix) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("keys built at run time", () => {
  const families: Record<string, readonly string[]> = {
    lifecycle: LIFECYCLE_GROUPS,
    "lifecycle.definition": LIFECYCLE_GROUPS,
    "rfm.segment": RFM_SEGMENTS,
    "rfm.action": RFM_SEGMENTS,
    "customers.filter": ["sort", "direction", "after", "before", "query", "lifecycle", "rfmSegment", "tier", "pAliveMin", "pAliveMax", "clvMin", "clvMax", "hasBirthday"],
    lifecycleForm: Object.keys(lifecycleFormSchema.shape).flatMap((f) => [f, `${f}Help`]),
    "import.error": ["columns", "identifier", "date", "future", "tooOld", "duplicate", "notFound", "ambiguous"],
    "import.file": ["tooLarge", "tooManyRows", "empty"],
    "customer.tierChange": ["up", "down", "reset"],
    "sync.status": ["running", "importing", "completed", "failed"],
    "issued.status": ["recorded", "created", "delivered", "failed", "expired", "deactivated", "redeemed", "withheld"],
  };
  it("exist for every value", () => {
    const missing = Object.entries(families).flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`).filter((k) => !english.has(k)));
    expect(missing).toEqual([]);
  });
});

describe("Polaris translations", () => {
  it("lay Kinship's strings over Polaris's English and keep the rest", () => {
    const uk = polarisTranslations("uk") as { Polaris: Record<string, Record<string, unknown>> };
    expect((uk.Polaris.Pagination as Record<string, string>).next).toBe("Наступна");
    // Not translated by Kinship: Polaris's English stays.
    expect(uk.Polaris.VideoThumbnail).toEqual((polarisEn as { Polaris: Record<string, unknown> }).Polaris.VideoThumbnail);
    expect(polarisTranslations("en")).toEqual(polarisEn);
    expect(polarisTranslations("fr")).toEqual(polarisEn);
  });

  it("translate only strings Polaris has, with Polaris's placeholders", () => {
    const flatten = (value: unknown, prefix = ""): Record<string, string> =>
      typeof value === "string"
        ? { [prefix]: value }
        : Object.assign({}, ...Object.entries(value as object).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)));
    const en = flatten(polarisEn);
    for (const locale of ["uk", "ru", "hr"]) {
      const overlay = flatten(JSON.parse(readFileSync(`app/i18n/polaris/${locale}.json`, "utf8")));
      for (const [key, text] of Object.entries(overlay)) {
        expect(en[key], `${locale} ${key}`).toBeDefined();
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });
});
