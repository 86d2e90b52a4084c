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
