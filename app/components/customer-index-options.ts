/**
 * The customer index's sort keys and lifecycle groups, shared by the page (browser bundle) and the query
 * (app/models/customer-index.server.ts). Kept out of the .server module, which the browser never receives.
 */
export const CUSTOMER_SORTS = ["lastOrderAt", "orderCount", "totalSpent", "predictedClv", "pAlive"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export const LIFECYCLE_GROUPS = ["new", "loyal", "regular", "lapsed"] as const;
export type LifecycleGroupKey = (typeof LIFECYCLE_GROUPS)[number];
