/**
 * The customer index's sort keys, shared by the page (browser bundle) and the query
 * (customer-index.server.ts). Kept out of the .server module, which the browser never receives.
 */
export const CUSTOMER_SORTS = ["lastOrderAt", "orderCount", "totalSpent", "predictedClv", "pAlive"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
