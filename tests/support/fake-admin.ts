import { parse, validate, type OperationDefinitionNode } from "graphql";
import { getVariableValues } from "graphql/execution/values";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { loadAdminSchema } from "../emulator/schema";
import { deprecatedInputPaths } from "./deprecated-inputs";

export interface SeenRequest {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
}

type Handler = (request: SeenRequest) => unknown;

/**
 * A real admin client whose HTTP answers come from `handler` (the `data` object). Every request is
 * first checked against the 2026-04 schema, variables included, so a test can't pass with input
 * Shopify would reject, or with a deprecated input field Shopify still accepts but will remove.
 */
export function fakeAdmin(handler: Handler, shop = "edge-shop.myshopify.com"): { client: AdminClient; seen: SeenRequest[] } {
  const schema = loadAdminSchema();
  const seen: SeenRequest[] = [];
  const fetchStub = (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { query: string; variables?: Record<string, unknown> };
    const document = parse(body.query);
    const errors = validate(schema, document).map((e) => e.message);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], body.variables ?? {});
    if (coerced.errors) errors.push(...coerced.errors.map((e) => e.message));
    const deprecated = deprecatedInputPaths(schema, operation.variableDefinitions ?? [], body.variables ?? {});
    errors.push(...deprecated.map((path) => `${path} is deprecated`));
    if (errors.length) throw new Error(`Request does not match the Admin schema: ${errors.join("; ")}`);
    const request = { operation: operation.name?.value ?? "anonymous", query: body.query, variables: body.variables ?? {} };
    seen.push(request);
    return new Response(JSON.stringify({ data: handler(request) }), { status: 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  return { client: createAdminClient({ shop, accessToken: "test-token" }, { fetch: fetchStub, sleep: async () => {} }), seen };
}
