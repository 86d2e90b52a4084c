import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, englishKeys, SUPPORTED_LOCALES } from "../../../app/i18n";
import { CATALOG_PREFIXES, PAGE_CATALOGS, type CatalogPage } from "../../../app/i18n/catalogs";
import type { Messages } from "../../../app/i18n/translator";
import { polarisTranslations } from "../../../app/i18n/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { LIFECYCLE_GROUPS } from "../../../app/retention/segments/lifecycle";
import { lifecycleFormSchema } from "../../../app/models/shop-settings.server";
import { RFM_SEGMENTS } from "../../../app/retention/segments/rfm";

const PLURAL_SUFFIX = /\.(zero|one|two|few|many|other)$/;
const english = new Set(englishKeys());
// A plural message has "one" and "other" forms in English ("feedback.reason.other" alone is a reason named other).
const pluralBases = new Set(
  [...english].filter((k) => k.endsWith(".other") && english.has(k.replace(/other$/, "one"))).map((k) => k.slice(0, -".other".length)),
);
const isPluralForm = (key: string) => PLURAL_SUFFIX.test(key) && pluralBases.has(key.replace(PLURAL_SUFFIX, ""));

/** Every key a language's file must have: plain keys as they are, plural keys in each category the language uses. */
function requiredKeys(englishFile: Messages, locale: string): string[] {
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  const keys = Object.keys(englishFile);
  const plain = keys.filter((k) => !isPluralForm(k));
  // A category whose numbers are never counts of things (e.g. "many" for fractions in some languages) still needs a form.
  const bases = [...new Set(keys.filter(isPluralForm).map((k) => k.replace(PLURAL_SUFFIX, "")))];
  return [...plain, ...bases.flatMap((base) => categories.map((category) => `${base}.${category}`))];
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const pages = Object.keys(CATALOG_PREFIXES) as CatalogPage[];

describe("catalogs split by page", () => {
  it("every catalog file on disk is loaded, one folder per page with a file per language", () => {
    const folders = readdirSync("app/i18n/catalogs").sort();
    expect(folders).toEqual([...pages].sort());
    // Plus the rules folder's kinds.json: every language's reward-kind texts in one file (decision 005).
    const extra: Partial<Record<string, string[]>> = { rules: ["kinds.json"] };
    for (const page of pages) {
      const expected = [...SUPPORTED_LOCALES.map((l) => `${l}.json`), ...(extra[page] ?? [])].sort();
      expect(readdirSync(`app/i18n/catalogs/${page}`).sort(), page).toEqual(expected);
    }
  });

  it("every key sits in the catalog of the page that owns its prefix", () => {
    const misplaced = pages.flatMap((page) =>
      SUPPORTED_LOCALES.flatMap((locale) =>
        Object.keys(PAGE_CATALOGS[page][locale])
          .filter((key) => !(CATALOG_PREFIXES[page] as readonly string[]).includes(key.split(".")[0]))
          .map((key) => `${page}/${locale}: ${key}`),
      ),
    );
    expect(misplaced).toEqual([]);
  });

  it("no key is defined by two pages", () => {
    const owners = new Map<string, string>();
    const twice: string[] = [];
    for (const page of pages)
      for (const key of Object.keys(PAGE_CATALOGS[page].en)) {
        if (owners.has(key)) twice.push(key);
        else owners.set(key, page);
      }
    expect(twice).toEqual([]);
  });
});

describe("message catalogs", () => {
  for (const locale of SUPPORTED_LOCALES.filter((l) => l !== "en")) {
    it(`${locale} translates every string of every page, in every plural form its grammar has`, () => {
      const missing = pages.flatMap((page) =>
        requiredKeys(PAGE_CATALOGS[page].en, locale)
          .filter((key) => !(key in PAGE_CATALOGS[page][locale]))
          .map((key) => `${page}: ${key}`),
      );
      expect(missing).toEqual([]);
    });

    it(`${locale} keeps the same placeholders as English`, () => {
      const messages = catalog(locale);
      const en = catalog("en");
      const mismatched = Object.keys(messages)
        .filter((key) => key in en && !PLURAL_SUFFIX.test(key))
        .filter((key) => placeholders(messages[key]).join() !== placeholders(en[key]).join());
      expect(mismatched).toEqual([]);
    });

    it(`${locale} has no English left in translated strings`, () => {
      const messages = catalog(locale);
      const en = catalog("en");
      // Single words may coincide (Croatian "Status", "Segment"); a phrase left identical is untranslated.
      const words = (text: string) => text.replace(/\{\w+\}/g, "").match(/\p{L}{2,}/gu) ?? [];
      const identical = Object.keys(en).filter((key) => messages[key] === en[key] && words(en[key]).length >= 3);
      expect(identical).toEqual([]);
    });
  }

  it("no language has keys English lacks", () => {
    for (const locale of SUPPORTED_LOCALES) {
      const unknown = Object.keys(catalog(locale)).filter((key) => !english.has(key) && !pluralBases.has(key.replace(PLURAL_SUFFIX, "")));
      expect(unknown, locale).toEqual([]);
    }
  });
});

describe("keys used in the admin pages", () => {
  // String literals that look like message keys of any page's namespace, in every route and component.
  const NAMESPACES = Object.values(CATALOG_PREFIXES).flat();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );
  const files = [...walk("app/routes"), ...walk("app/components"), "app/i18n/form-errors.ts", "app/i18n/lifecycle-reason.ts"];
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

describe("words merchants read right", () => {
  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale}: no RFM cell is named like a lifecycle group (a customer page showed "Lapsed", "Segment: Loyal" at once)`, () => {
      const messages = catalog(locale);
      const groups = LIFECYCLE_GROUPS.map((g) => messages[`lifecycle.${g}`].toLocaleLowerCase(locale));
      const clashes = RFM_SEGMENTS.flatMap((s) => {
        const cell = messages[`rfm.segment.${s}`].toLocaleLowerCase(locale);
        return groups.filter((group) => cell.includes(group) || group.includes(cell)).map((group) => `${s}: ${cell} ~ ${group}`);
      });
      expect(clashes).toEqual([]);
    });
  }
});

describe("keys built at run time", () => {
  const families: Record<string, readonly string[]> = {
    lifecycle: LIFECYCLE_GROUPS,
    "lifecycle.definition": LIFECYCLE_GROUPS,
    "lifecycle.meaning": LIFECYCLE_GROUPS,
    "rfm.segment": RFM_SEGMENTS,
    "rfm.action": RFM_SEGMENTS,
    "customers.filter": [
      "sort",
      "direction",
      "after",
      "before",
      "query",
      "lifecycle",
      "rfmSegment",
      "tier",
      "pAliveMin",
      "pAliveMax",
      "clvMin",
      "clvMax",
      "hasBirthday",
    ],
    lifecycleForm: Object.keys(lifecycleFormSchema.shape).flatMap((f) => [f, `${f}Help`]),
    "import.error": ["columns", "identifier", "date", "future", "tooOld", "duplicate", "notFound", "ambiguous"],
    "import.file": ["tooLarge", "tooManyRows", "empty"],
    "customer.tierChange": ["up", "down", "reset"],
    "sync.status": ["running", "importing", "completed", "failed"],
    "issued.status": ["recorded", "created", "delivered", "failed", "expired", "deactivated", "redeemed", "withheld"],
  };
  it("exist for every value", () => {
    const missing = Object.entries(families).flatMap(([prefix, values]) =>
      values.map((v) => `${prefix}.${v}`).filter((k) => !english.has(k)),
    );
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
