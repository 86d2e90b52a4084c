import { readFileSync } from "node:fs";
import { BACKFILL_BULK_QUERY } from "../../app/shopify/queries/bulk";
import { adminGraphql, type GraphqlAnswer } from "../emulator/client";
import type { Emulator } from "../emulator/server";

export const API_KEY = "emulator-test-key";
export const API_SECRET = "emulator-test-secret";

/** A GraphQL caller bound to one emulator and access token. */
export function graphqlFor(emulator: Emulator, accessToken: string) {
  return <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer<T>> =>
    adminGraphql<T>(emulator.url, accessToken, query, variables);
}

/** Midnight UTC of the current day: seeded histories end here so the 60-day window has recent orders. */
export const todayUtc = (): number => Math.floor(Date.now() / 86_400_000) * 86_400_000;

/** A shop's backfill JSONL as Shopify's bulk operation writes it (the app's own backfill query, run by the emulator). */
export async function backfillJsonl(emulator: Emulator, domain: string): Promise<string> {
  const shop = emulator.shop(domain);
  const { bulkOperation, userErrors } = emulator.startBulkQuery(shop, emulator.issueAccessToken(domain).info, BACKFILL_BULK_QUERY, false);
  if (!bulkOperation) throw new Error(`bulk query refused: ${JSON.stringify(userErrors)}`);
  const op = await emulator.waitForBulkOperation(domain, bulkOperation.id);
  if (op.status !== "COMPLETED" || !op.filePath) throw new Error(`bulk operation ended ${op.status}`);
  return readFileSync(op.filePath, "utf8");
}
