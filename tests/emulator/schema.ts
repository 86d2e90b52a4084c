import { readFileSync } from "node:fs";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { ensureAdminSchema } from "../../scripts/admin-schema";

const cache = new Map<string, GraphQLSchema>();

/**
 * The real 2026-04 Admin schema, built once per process from Shopify's published introspection
 * (fetched from the npm registry and cached by scripts/admin-schema.ts); every emulator instance
 * shares it.
 */
export function loadAdminSchema(introspectionPath = ensureAdminSchema()): GraphQLSchema {
  let schema = cache.get(introspectionPath);
  if (!schema) {
    const parsed = JSON.parse(readFileSync(introspectionPath, "utf8")) as { data?: IntrospectionQuery } & IntrospectionQuery;
    schema = buildClientSchema(parsed.data ?? parsed);
    cache.set(introspectionPath, schema);
  }
  return schema;
}
