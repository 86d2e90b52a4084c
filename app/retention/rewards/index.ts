/** Public API of the rewards core (pure: plain data in, plain data out). */
// Dates and time zones come from the one time library; re-exported for the rewards core's callers.
export * from "../time";
export * from "./rule-schema";
export * from "./tiers";
export * from "./birthdays";
export * from "./winback";
export * from "./holidays";
export * from "./codes";
export * from "./holdout";
export * from "./reward-cost";
export * from "./budget";
export * from "./schedule";
export * from "./preview";
export * from "./expiry";
export * from "./flow-payload";
export * from "./customer-caps";
export * from "./shop-scale";
export * from "./order-history";
export * from "./overlap";
export * from "./experiment-stats";
export * from "./experiment-arms";
export * from "./my-rewards";
