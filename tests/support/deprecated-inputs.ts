import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type VariableDefinitionNode,
} from "graphql";

/**
 * Paths of deprecated input fields a request's variables set ("basicCodeDiscount.customerSelection").
 * Shopify still accepts them at 2026-04, so schema validation passes; Kinship must not rely on them.
 */
export function deprecatedInputPaths(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  variables: Record<string, unknown>,
): string[] {
  const found: string[] = [];
  const walk = (type: GraphQLInputType, value: unknown, at: string) => {
    if (value === null || value === undefined) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (Array.isArray(value)) value.forEach((item, i) => walk(nullable.ofType, item, `${at}[${i}]`));
      return;
    }
    const named = getNamedType(nullable);
    if (!isInputObjectType(named) || typeof value !== "object") return;
    const fields = named.getFields();
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (!field) continue;
      if (field.deprecationReason) found.push(`${at}.${key}`);
      walk(field.type, inner, `${at}.${key}`);
    }
  };
  for (const definition of definitions) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    const name = definition.variable.name.value;
    if (type) walk(type, variables[name], name);
  }
  return found;
}
