import { GraphQLError } from "graphql";
import { hasScope } from "../tokens";
import type { RequestContext } from "./context";

export const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";

/** Shopify's ACCESS_DENIED error for a field the token's scopes don't cover. */
export function accessDenied(field: string, scope: string): GraphQLError {
  const requiredAccess = `\`${scope}\` access scope.`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess },
  });
}

export function requireScope(ctx: RequestContext, scope: string, field: string): void {
  if (!hasScope(ctx.token.scopes, scope)) throw accessDenied(field, scope);
}

export function throttledBody(cost: unknown): Record<string, unknown> {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }],
    extensions: { cost },
  };
}

export function maxCostExceededBody(requested: number): Record<string, unknown> {
  return {
    errors: [
      {
        message:
          `Query cost is ${requested}, which exceeds the single query max cost limit (1000).\n\n` +
          `See ${RATE_LIMIT_DOCS} for more information on how the\ncost of a query is calculated.\n\n` +
          "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
          "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
        extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: 1000, documentation: RATE_LIMIT_DOCS },
      },
    ],
  };
}

/**
 * graphql-js phrases validation errors differently from Shopify's Ruby server; rewrite the common ones into
 * Shopify's wording and extension codes so client error handling sees what it would in production.
 */
export function shopifyValidationError(error: GraphQLError): Record<string, unknown> {
  const formatted: Record<string, unknown> = { ...error.toJSON() };
  let match = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (match) {
    return {
      ...formatted,
      message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
      extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
    };
  }
  match = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(error.message);
  if (match) {
    return {
      ...formatted,
      message: `Field '${match[3]}' doesn't accept argument '${match[1]}'`,
      extensions: { code: "argumentNotAccepted", name: match[3], typeName: "Field", argumentName: match[1] },
    };
  }
  match = /^Field "(\w+)\.(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided\./.exec(error.message);
  if (match) {
    return {
      ...formatted,
      message: `Field '${match[2]}' is missing required arguments: ${match[3]}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: match[2], arguments: match[3] },
    };
  }
  return formatted;
}
