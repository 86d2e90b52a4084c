// Facts declared once and repeated where a tool needs them: each copy must agree with the declaration.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "../../app/shopify/api-version";
import { ADMIN_SCHEMA_SOURCE } from "../../scripts/admin-schema";
import { API_VERSION as EMULATED_VERSION } from "../emulator/config";
import { DEFAULT_APP_SCOPES } from "../emulator/tokens";

const toml = readFileSync("shopify.app.toml", "utf8");
const tomlScopes = /^scopes\s*=\s*"([^"]*)"/m
  .exec(toml)![1]
  .split(",")
  .map((s) => s.trim())
  .sort();
const scopesLine = (text: string, pattern: RegExp) =>
  pattern
    .exec(text)![1]
    .split(",")
    .map((s) => s.trim())
    .sort();

describe("one source for each fact", () => {
  it("the Admin API version: the app, the webhook subscriptions, the emulator and the schema agree", () => {
    expect(ADMIN_API_VERSION).toBe("2026-04");
    expect(/^\[webhooks\][^[]*api_version\s*=\s*"([^"]+)"/m.exec(toml)![1]).toBe(ADMIN_API_VERSION);
    expect(EMULATED_VERSION).toBe(ADMIN_API_VERSION);
    expect(ADMIN_SCHEMA_SOURCE.entry).toContain(`admin_${ADMIN_API_VERSION}.json`);
  });

  it("the access scopes: shopify.app.toml is the source; .env.example and the test environment copy it", () => {
    expect(tomlScopes.length).toBeGreaterThan(3);
    expect(scopesLine(readFileSync(".env.example", "utf8"), /^SCOPES=(.*)$/m)).toEqual(tomlScopes);
    expect(scopesLine(readFileSync("tests/support/test-env.ts", "utf8"), /SCOPES \?\?=\s*"([^"]*)"/)).toEqual(tomlScopes);
  });

  it("the emulator grants what the toml asks for, plus only the reads its writes imply", () => {
    const extra = DEFAULT_APP_SCOPES.filter((s) => !tomlScopes.includes(s));
    expect(tomlScopes.filter((s) => !DEFAULT_APP_SCOPES.includes(s))).toEqual([]);
    for (const scope of extra) expect(tomlScopes).toContain(scope.replace(/^read_/, "write_"));
  });
});
