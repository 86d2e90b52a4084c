import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../emulator/schema";
import { appDocuments } from "../../support/app-documents";

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
