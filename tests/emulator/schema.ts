import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLSchema } from "graphql";
import { defaultSchemaPath } from "./config";

const cache = new Map<string, GraphQLSchema>();

/** Builds the real Admin SDL once per process (≈0.4 s); every emulator instance shares it. */
export function loadAdminSchema(schemaPath = defaultSchemaPath()): GraphQLSchema {
  let schema = cache.get(schemaPath);
  if (!schema) {
    let sdl: string;
    try {
      sdl = readFileSync(schemaPath, "utf8");
    } catch (error) {
      throw new Error(
        `Admin schema not found at ${schemaPath}. Set KINSHIP_SHARED_DIR to the folder holding shopify/admin-schema/ ` +
          `(${(error as Error).message})`,
      );
    }
    schema = buildSchema(sdl);
    cache.set(schemaPath, schema);
  }
  return schema;
}
