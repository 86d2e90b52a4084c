/** Locale checks every extension runs on its own locales/ folder: the four languages, the same keys, translated. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import type { Messages } from "./fake-host";

export const LANGUAGES = ["en", "uk", "ru", "hr"] as const;

export function flatten(messages: Messages, prefix = ""): Record<string, string> {
  return Object.entries(messages).reduce<Record<string, string>>((acc, [key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === "string" ? { ...acc, [path]: value } : { ...acc, ...flatten(value, path) };
  }, {});
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/**
 * The parity suite for `localesDir`. `mayEqualEnglish` names keys whose text may read the same as
 * English (numbers, brand names); every other key must be translated.
 */
export function describeLocaleParity(localesDir: string, mayEqualEnglish: (key: string) => boolean = () => false) {
  const files = readdirSync(localesDir).filter((f) => f.endsWith(".json"));
  const load = (file: string) => flatten(JSON.parse(readFileSync(join(localesDir, file), "utf8")));
  const english = load("en.default.json");

  describe("locales", () => {
    it("ships English as the default plus Ukrainian, Russian and Croatian", () => {
      expect(files.sort()).toEqual(["en.default.json", "hr.json", "ru.json", "uk.json"]);
    });

    it.each(files.filter((f) => f !== "en.default.json"))("%s has exactly the English keys, translated", (file) => {
      const messages = load(file);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), key).not.toBe("");
        expect(placeholders(text), key).toEqual(placeholders(english[key]));
        if (!mayEqualEnglish(key)) expect(text, key).not.toBe(english[key]);
      }
    });
  });
  return { english };
}
