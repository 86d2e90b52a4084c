import { ClientError, GraphQLClient } from "graphql-request";
import { adminGraphqlUrl } from "./admin-origin.server";
import { AdminApiError, ShopifyUserErrors, type ShopifyUserError } from "./admin-errors";

export { AdminApiError, ShopifyUserErrors } from "./admin-errors";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminSession {
  shop: string;
  accessToken: string;
}

export interface AdminClientOptions {
  maxAttempts?: number;
  /** Cap for one backoff wait, in ms. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (entry: { shop: string; operation: string; cost?: QueryCost; attempt: number; waitMs?: number }) => void;
  fetch?: typeof fetch;
}

export interface AdminClient {
  readonly shop: string;
  /** Runs a query or mutation; retries THROTTLED, 429 and 5xx answers with capped backoff. */
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  /** Like request, then throws ShopifyUserErrors if `data[payloadKey].userErrors` is non-empty. */
  mutate<T>(document: string, variables: Record<string, unknown>, payloadKey: string): Promise<T>;
  /** The bucket as Shopify last reported it (null before the first answer). */
  readonly lastCost: QueryCost | null;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function operationName(document: string): string {
  return /\b(query|mutation)\s+(\w+)/.exec(document)?.[2] ?? "anonymous";
}

function isThrottled(errors: unknown[] | undefined): boolean {
  return (errors ?? []).some((e) => (e as { extensions?: { code?: string } }).extensions?.code === "THROTTLED");
}

/**
 * How long to wait before a retry. After THROTTLED we know exactly: the points we asked for minus
 * what the bucket holds, divided by its restore rate. Otherwise, capped exponential backoff.
 */
export function retryDelayMs(attempt: number, cost: QueryCost | null, maxDelayMs: number): number {
  if (cost && cost.throttleStatus.restoreRate > 0) {
    const missing = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
    if (missing > 0) return Math.min(maxDelayMs, Math.ceil((missing / cost.throttleStatus.restoreRate) * 1000) + 50);
  }
  return Math.min(maxDelayMs, 250 * 2 ** (attempt - 1));
}

export function createAdminClient(session: AdminSession, options: AdminClientOptions = {}): AdminClient {
  const maxAttempts = options.maxAttempts ?? 6;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const client = new GraphQLClient(adminGraphqlUrl(session.shop), {
    headers: { "X-Shopify-Access-Token": session.accessToken },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  let lastCost: QueryCost | null = null;

  async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    const operation = operationName(document);
    for (let attempt = 1; ; attempt++) {
      let retryable: string;
      try {
        const response = await client.rawRequest<T>(document, variables);
        lastCost = (response.extensions as { cost?: QueryCost } | undefined)?.cost ?? lastCost;
        options.log?.({ shop: session.shop, operation, cost: lastCost ?? undefined, attempt });
        return response.data;
      } catch (error) {
        if (!(error instanceof ClientError)) throw error;
        const { status, errors, extensions } = error.response;
        lastCost = (extensions as { cost?: QueryCost } | undefined)?.cost ?? lastCost;
        if (isThrottled(errors)) retryable = "THROTTLED";
        else if (status === 429 || status >= 500) retryable = `HTTP ${status}`;
        else {
          const message =
            status === 401
              ? `Shopify rejected the access token for ${session.shop} (401)`
              : `${operation} failed (HTTP ${status}): ${(errors ?? []).map((e) => e.message).join("; ") || "no details"}`;
          throw new AdminApiError(message, status, errors ?? []);
        }
        if (attempt >= maxAttempts) {
          throw new AdminApiError(`${operation} still failing after ${attempt} attempts (${retryable})`, status, errors ?? []);
        }
        const waitMs = retryDelayMs(attempt, retryable === "THROTTLED" ? lastCost : null, maxDelayMs);
        options.log?.({ shop: session.shop, operation, cost: lastCost ?? undefined, attempt, waitMs });
        await sleep(waitMs);
      }
    }
  }

  async function mutate<T>(document: string, variables: Record<string, unknown>, payloadKey: string): Promise<T> {
    const data = await request<T>(document, variables);
    const payload = (data as Record<string, { userErrors?: ShopifyUserError[] } | null>)[payloadKey];
    if (payload?.userErrors?.length) throw new ShopifyUserErrors(payloadKey, payload.userErrors);
    return data;
  }

  return {
    shop: session.shop,
    request,
    mutate,
    get lastCost() {
      return lastCost;
    },
  };
}
