import type { GraphQLSchema } from "graphql";
import type { CompiledBulkMutation } from "../bulk/mutation-runner";
import type { BulkOperationRecord } from "../bulk/operations";
import type { BulkQueryError } from "../bulk/plan";
import type { Clock } from "../clock";
import type { ShopState } from "../shop";
import type { AccessTokenInfo } from "../tokens";

/** What resolvers may ask of the emulator around them. */
export interface EmulatorServices {
  readonly url: string;
  readonly apiKey: string;
  readonly clock: Clock;
  readonly schema: GraphQLSchema;
  /** Scopes the app is configured with (what a fresh token exchange grants). */
  readonly appScopes: readonly string[];
  startBulkQuery(
    shop: ShopState,
    token: AccessTokenInfo,
    query: string,
    groupObjects: boolean,
  ): { bulkOperation: BulkOperationRecord | null; userErrors: BulkQueryError[] };
  /** Starts a validated bulk mutation over the staged file's lines (bulk/mutation-runner.ts). */
  startBulkMutation(
    shop: ShopState,
    token: AccessTokenInfo,
    mutation: string,
    compiled: CompiledBulkMutation,
    lines: Record<string, unknown>[],
  ): BulkOperationRecord;
  cancelBulkOperation(shop: ShopState, op: BulkOperationRecord): void;
  bulkDownloadUrl(shop: ShopState, op: BulkOperationRecord, which: "url" | "partial"): string | null;
  /** Webhooks Shopify would send because the API changed something (e.g. customers/update after tagsAdd). */
  emitForApiWrite(shop: ShopState, topic: string, payload: unknown): void;
}

export interface RequestContext {
  services: EmulatorServices;
  shop: ShopState;
  token: AccessTokenInfo;
  now: number;
  /** True while a bulk operation runs the query: connections return every node instead of a page. */
  bulk: boolean;
  canReadAllOrders: boolean;
}
