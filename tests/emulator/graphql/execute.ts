import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
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

type Checked = { document: DocumentNode } | { errors: unknown[] };
/** Documents already parsed and validated, per schema: an app sends the same few documents over and over. */
const checkedDocuments = new WeakMap<GraphQLSchema, Map<string, Checked>>();
const CHECKED_DOCUMENTS_KEPT = 500;

/** The request's document, parsed and validated against the schema (its errors as Shopify words them otherwise). */
function checkedDocument(schema: GraphQLSchema, query: string): Checked {
  let known = checkedDocuments.get(schema);
  if (!known) checkedDocuments.set(schema, (known = new Map()));
  const found = known.get(query);
  if (found) return found;
  let checked: Checked;
  try {
    const document = parse(query);
    const validationErrors = validate(schema, document);
    checked = validationErrors.length ? { errors: validationErrors.map(shopifyValidationError) } : { document };
  } catch (error) {
    checked = { errors: [(error as GraphQLError).toJSON()] };
  }
  // A stranger's stream of distinct documents must not grow the emulator without bound.
  if (known.size >= CHECKED_DOCUMENTS_KEPT) known.delete(known.keys().next().value as string);
  known.set(query, checked);
  return checked;
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
  const checked = checkedDocument(services.schema, body.query);
  if ("errors" in checked) return { errors: checked.errors };
  const { document } = checked;

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
