import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES, parseEnv } from "../../app/env.server";

const required = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://app.example.com" };

function appSources(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appSources(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [readFileSync(full, "utf8")] : [];
  });
}

describe("the environment: one declaration", () => {
  it("names each missing or malformed variable", () => {
    expect(() => parseEnv({})).toThrow(/SHOPIFY_API_KEY is required[\s\S]*SHOPIFY_APP_URL/);
    expect(() => parseEnv({ ...required, KINSHIP_SCHEDULER: "maybe" })).toThrow(/KINSHIP_SCHEDULER must be "on" or "off"/);
    expect(() => parseEnv({ ...required, DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with/);
    expect(() => parseEnv({ ...required, KINSHIP_SCHEDULER_INTERVAL_MS: "-5" })).toThrow(/KINSHIP_SCHEDULER_INTERVAL_MS/);
    const parsed = parseEnv({ ...required, KINSHIP_SCHEDULER_INTERVAL_MS: "60000", SCOPES: "" });
    expect(parsed.KINSHIP_SCHEDULER_INTERVAL_MS).toBe(60000);
    expect(parsed.SCOPES).toBeUndefined();
  });

  it("declares every variable app/ reads", () => {
    const read = new Set(appSources().flatMap((text) => [...text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1])));
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !ENV_VARIABLES.includes(name as never))).toEqual([]);
  });

  it(".env.example lists exactly the declared variables", () => {
    const listed = [...readFileSync(".env.example", "utf8").matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it("the README's table lists the declared variables (plus those marked tests only)", () => {
    const rows = [...readFileSync("README.md", "utf8").matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\| ([^|]*)\|/gm)];
    const documented = rows.filter(([, , meaning]) => !meaning.trim().startsWith("tests only")).map(([, name]) => name);
    expect(documented.sort()).toEqual([...ENV_VARIABLES].sort());
  });
});
