import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../emulator/schema";

/** Every gql`…` document in app/, with the file it came from. */
function appDocuments(): Array<{ file: string; source: string }> {
  const found: Array<{ file: string; source: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const text = readFileSync(full, "utf8");
        for (const match of text.matchAll(/\bgql`([\s\S]*?)`/g)) found.push({ file: full, source: match[1] });
      }
    }
  };
  walk("app");
  return found;
}

describe("GraphQL documents in app/", () => {
  const schema = loadAdminSchema();
  const documents = appDocuments();

  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThanOrEqual(4);
  });

  it.each(documents.map((d) => [`${d.file}: ${d.source.trim().split("\n")[0]}`, d] as const))(
    "%s validates against the 2026-04 Admin schema",
    (_label, document) => {
      // Interpolation would hide part of the document from this check.
      expect(document.source).not.toContain("${");
      const errors = validate(schema, parse(document.source)).map((e) => e.message);
      expect(errors).toEqual([]);
    },
  );

  it("would catch an invalid field", () => {
    const errors = validate(schema, parse("query { shop { nameThatDoesNotExist } }"));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining("nameThatDoesNotExist")]);
  });
});
