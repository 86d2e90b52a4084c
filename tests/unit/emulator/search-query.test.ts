import { describe, expect, it } from "vitest";
import { compileSearch, parseSearchQuery, type SearchSpec } from "../../emulator/graphql/search-query";

interface Row {
  updated: number;
  test: boolean;
  tags: string[];
  email: string;
  total: number;
}

const spec: SearchSpec<Row> = {
  fields: {
    updated_at: { kind: "date", get: (r) => r.updated },
    test: { kind: "boolean", get: (r) => r.test },
    tag: { kind: "string", get: (r) => r.tags },
    email: { kind: "string", get: (r) => r.email },
    total: { kind: "number", get: (r) => r.total },
  },
  text: (r) => [r.email],
};

const rows: Row[] = [
  { updated: Date.parse("2026-01-01T10:00:00Z"), test: false, tags: ["VIP"], email: "ann@example.com", total: 10 },
  { updated: Date.parse("2026-02-01T10:00:00Z"), test: true, tags: [], email: "bob@example.org", total: 50 },
  { updated: Date.parse("2026-03-01T10:00:00Z"), test: false, tags: ["wholesale", "vip"], email: "cy@example.com", total: 99 },
];

const matching = (query: string, timeZone = "UTC") => rows.filter(compileSearch(query, spec, timeZone).test).map((r) => r.email);

describe("search query syntax", () => {
  it("parses comparators, quotes, negation and OR", () => {
    expect(parseSearchQuery("updated_at:>='2026-01-01T00:00:00Z' -test:true")).toEqual({
      kind: "and",
      items: [
        { kind: "term", field: "updated_at", op: ">=", value: "2026-01-01T00:00:00Z" },
        { kind: "not", item: { kind: "term", field: "test", op: ":", value: "true" } },
      ],
    });
    expect(parseSearchQuery("")).toBeNull();
  });

  it("filters dates, booleans, tags (case-insensitive), numbers, wildcards and free text", () => {
    expect(matching("updated_at:>2026-01-15")).toEqual(["bob@example.org", "cy@example.com"]);
    expect(matching("updated_at:<='2026-02-01T10:00:00Z' AND test:false")).toEqual(["ann@example.com"]);
    expect(matching("tag:vip")).toEqual(["ann@example.com", "cy@example.com"]);
    expect(matching("tag:wholesale OR test:true")).toEqual(["bob@example.org", "cy@example.com"]);
    expect(matching("NOT tag:vip")).toEqual(["bob@example.org"]);
    expect(matching("total:>=50")).toEqual(["bob@example.org", "cy@example.com"]);
    expect(matching("email:*@example.com")).toEqual(["ann@example.com", "cy@example.com"]);
    expect(matching("bob")).toEqual(["bob@example.org"]);
    expect(matching("(tag:vip OR test:true) total:<60")).toEqual(["ann@example.com", "bob@example.org"]);
  });

  it("reads bare dates in the shop's time zone and ignores unknown fields", () => {
    // 10:00 UTC on 1 Jan is 1 Jan in New York but the comparison is against local midnight.
    expect(matching("updated_at:2026-01-01", "America/New_York")).toEqual(["ann@example.com"]);
    const compiled = compileSearch("nonsense:1 test:true", spec, "UTC");
    expect(rows.filter(compiled.test).map((r) => r.email)).toEqual(["bob@example.org"]);
    expect(compiled.unknownFields).toEqual(["nonsense"]);
  });
});
