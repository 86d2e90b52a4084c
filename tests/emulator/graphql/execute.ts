import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode } from "graphql";
import type { ShopState } from "../shop";
import { hasScope, type AccessTokenInfo } from "../tokens";
import type { EmulatorServices, RequestContext } from "./context";
import { actualQueryCost, requestedQueryCost, type CostInput } from "./cost";
import { maxCostExceededBody, shopifyValidationError, throttledBody } from "./errors";
import { fieldResolver, typeResolver } from "./registry";
import "./resolvers";

export const SINGLE_QUERY_MAX_COST = 1000;

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** Runs one Admin API request the way Shopify does: validate, price, throttle, execute, refund the difference. */
export async function executeAdminGraphql(
  services: EmulatorServices,
  shop: ShopState,
  token: AccessTokenInfo,
  body: GraphqlRequestBody,
): Promise<Record<string, unknown>> {
  if (typeof body.query !== "string" || !body.query.trim()) {
    return { errors: [{ message: "No query string was present" }] };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return { errors: [(error as GraphQLError).toJSON()] };
  }
  const validationErrors = validate(services.schema, document);
  if (validationErrors.length) return { errors: validationErrors.map(shopifyValidationError) };

  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return { errors: [{ message: operationName ? `No operation named "${operationName}"` : "An operation name is required" }] };
  }
  const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<string, unknown>;
  const costInput: CostInput = { schema: services.schema, document, operation, variables };
  const requested = requestedQueryCost(costInput);
  if (requested > SINGLE_QUERY_MAX_COST) {
    return {
      ...maxCostExceededBody(requested),
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
    };
  }
  if (!shop.bucket.tryConsume(requested)) {
    return throttledBody({ requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() });
  }

  const ctx: RequestContext = {
    services,
    shop,
    token,
    now: services.clock(),
    bulk: false,
    canReadAllOrders: hasScope(token.scopes, "read_all_orders"),
  };
  const result = await execute({
    schema: services.schema,
    document,
    operationName,
    variableValues: variables,
    contextValue: ctx,
    rootValue: {},
    fieldResolver,
    typeResolver,
  });
  const actual = Math.min(requested, actualQueryCost(costInput, result.data as Record<string, unknown> | null | undefined));
  shop.bucket.refund(requested - actual);
  const response: Record<string, unknown> = {};
  if (result.errors?.length) response.errors = result.errors.map((error) => error.toJSON());
  response.data = result.data ?? null;
  response.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() } };
  return response;
}
