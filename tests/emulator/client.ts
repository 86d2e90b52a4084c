import { API_VERSION } from "./config";

export interface GraphqlAnswer<T = Record<string, unknown>> {
  status: number;
  body: {
    data?: T | null;
    errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[] | string;
    extensions?: {
      cost?: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
      };
    };
  };
}

/** A bare Admin GraphQL call against the emulator, for the emulator's own tests and quick scripts. */
export async function adminGraphql<T = Record<string, unknown>>(
  emulatorUrl: string,
  accessToken: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { apiVersion?: string } = {},
): Promise<GraphqlAnswer<T>> {
  const response = await fetch(`${emulatorUrl}/admin/api/${options.apiVersion ?? API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlAnswer<T>["body"] };
}

/** Parses a bulk JSONL text into objects (one per non-empty line). */
export function parseJsonl(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
