import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { REASON_CODES } from "../src/survey-logic";

const LOCALES_DIR = join(__dirname, "..", "locales");
type Messages = { [key: string]: string | Messages };

function flatten(messages: Messages, prefix = ""): Record<string, string> {
  return Object.entries(messages).reduce<Record<string, string>>((acc, [key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === "string" ? { ...acc, [path]: value } : { ...acc, ...flatten(value, path) };
  }, {});
}

const files = readdirSync(LOCALES_DIR).filter((f) => f.endsWith(".json"));
const load = (file: string) => flatten(JSON.parse(readFileSync(join(LOCALES_DIR, file), "utf8")));
const english = load("en.default.json");
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("ships English as the default plus Ukrainian, Russian and Croatian", () => {
    expect(files.sort()).toEqual(["en.default.json", "hr.json", "ru.json", "uk.json"]);
  });

  it("has a label for every reason code", () => {
    for (const code of REASON_CODES) expect(english[`reasons.${code}`]).toBeTruthy();
  });

  it.each(files.filter((f) => f !== "en.default.json"))("%s has exactly the English keys, translated", (file) => {
    const messages = load(file);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(messages)) {
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(text), key).toEqual(placeholders(english[key]));
      // Only the numeric scale ends may read the same as English.
      if (!key.startsWith("score.")) expect(text, key).not.toBe(english[key]);
    }
  });
});
