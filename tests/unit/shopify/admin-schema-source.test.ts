import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_SCHEMA_SOURCE, extractTarEntry, fetchAdminIntrospection, integrityOf } from "../../../scripts/admin-schema";
import { sharedDir } from "../../emulator/config";
import { loadAdminSchema } from "../../emulator/schema";
import { appDocuments } from "../../support/app-documents";

/** A minimal ustar archive, the way npm packs one. */
function tarball(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    header.write(name, 0, "utf8");
    header.write("0000644\0", 100);
    header.write(content.length.toString(8).padStart(11, "0") + "\0", 124);
    header.write("0", 156);
    header.write("ustar\0" + "00", 257);
    const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
    body.write(content);
    blocks.push(header, body);
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe("the Admin schema from the npm registry", () => {
  it("extracts exactly the named entry from a packed tarball", () => {
    const tgz = tarball({ "package/README.md": "x".repeat(700), "package/dist/data/admin.json.gz": "schema" });
    expect(extractTarEntry(tgz, "package/dist/data/admin.json.gz")?.toString()).toBe("schema");
    expect(extractTarEntry(tgz, "package/dist/data/missing.json.gz")).toBeNull();
  });

  it("refuses a tarball whose integrity differs from the pinned hash", () => {
    expect(integrityOf(Buffer.from("abc"))).toBe(
      "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
    );
    expect(() => fetchAdminIntrospection({ ...ADMIN_SCHEMA_SOURCE, integrity: integrityOf(Buffer.from("not it")) })).toThrow(
      /failed its integrity check/,
    );
  });

  it("serves the 2026-04 version the app pins", () => {
    const schema = loadAdminSchema();
    expect(schema.getMutationType()?.getFields().discountCodeBasicCreate).toBeDefined();
    expect(ADMIN_SCHEMA_SOURCE.entry).toContain("2026-04");
  });
});

// The published SDL beside the clone is a second copy of the same schema: where it exists, both must
// agree on every type and field the app's documents touch.
const sdlPath = path.join(sharedDir(), "shopify", "admin-schema", "2026-04-admin-schema.graphql");

/**
 * "Type.field(arg: T): R" for each field the documents select, and "input T" for each input field
 * they can send.
 * Arguments are sorted (introspection lists them alphabetically, SDL in declaration order) and
 * deprecated arguments and input fields are left out (the published SDL omits them).
 */
function usedSignatures(schema: GraphQLSchema, sources: string[]): Map<string, string> {
  const signatures = new Map<string, string>();
  const live = (values: ReadonlyArray<{ name: string; type: unknown; deprecationReason?: string | null }>) =>
    values
      .filter((v) => !v.deprecationReason)
      .map((v) => `${v.name}: ${String(v.type)}`)
      .sort();
  const describeField = (owner: string, field: GraphQLField<unknown, unknown>) =>
    `${owner}.${field.name}(${live(field.args).join(", ")}): ${String(field.type)}`;
  const addInput = (type: GraphQLNamedType) => {
    if (!isInputObjectType(type) || signatures.has(type.name)) return;
    const input = type as GraphQLInputObjectType;
    signatures.set(type.name, "input");
    for (const field of Object.values(input.getFields())) {
      if (field.deprecationReason) continue;
      signatures.set(`${type.name}.${field.name}`, `input ${String(field.type)}`);
      addInput(getNamedType(field.type));
    }
  };
  for (const source of sources) {
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(source),
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field) return;
          signatures.set(`${parent.name}.${field.name}`, describeField(parent.name, field));
          for (const arg of field.args) addInput(getNamedType(arg.type));
        },
        VariableDefinition() {
          const type = typeInfo.getInputType();
          if (type) addInput(getNamedType(type));
        },
      }),
    );
  }
  return signatures;
}

describe.runIf(existsSync(sdlPath))("the registry schema agrees with ../shared's SDL", () => {
  let fromRegistry = new Map<string, string>();
  let fromSdl = new Map<string, string>();
  beforeAll(() => {
    const sources = appDocuments().map((d) => d.source);
    fromRegistry = usedSignatures(loadAdminSchema(), sources);
    fromSdl = usedSignatures(buildSchema(readFileSync(sdlPath, "utf8")), sources);
  });
  const selected = (signatures: Map<string, string>) =>
    Object.fromEntries([...signatures].filter(([, signature]) => !signature.startsWith("input")));

  it("on every field the app's documents select, with the same arguments and type", () => {
    expect(Object.keys(selected(fromRegistry)).length).toBeGreaterThan(50);
    expect(selected(fromRegistry)).toEqual(selected(fromSdl));
  });

  it("on every input field the app can send; the registry may only add optional ones", () => {
    for (const [key, signature] of fromSdl) {
      if (signature.startsWith("input")) expect([key, fromRegistry.get(key)]).toEqual([key, signature]);
    }
    const added = [...fromRegistry].filter(([key, signature]) => signature.startsWith("input") && !fromSdl.has(key));
    for (const [key, signature] of added) expect([key, signature.endsWith("!")]).toEqual([key, false]);
  });
});
