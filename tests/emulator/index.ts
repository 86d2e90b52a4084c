/** Public surface of the Shopify emulator for app integration tests, benchmarks and the local demo. */
export { startEmulator, Emulator, type EmulatorOptions, type EmulatorRouteHandler } from "./server";
export { EmulatorCore, type EmulatorConfig } from "./emulator";
export { installShopifyDispatcher, uninstallShopifyDispatcher, ShopifyRoutingAgent } from "./dispatcher";
export { adminGraphql, parseJsonl, type GraphqlAnswer } from "./client";
export { fakeClock, systemClock, type Clock, type FakeClock } from "./clock";
export { API_VERSION, sharedDir } from "./config";
export { loadAdminSchema } from "./schema";
export { ShopState, normalizeShopDomain, type ShopSeed } from "./shop";
export { ShopMutations, type EmitOptions, type MutationResult, type NewOrderInput } from "./mutations";
export {
  signCustomerAccountToken,
  signSessionToken,
  verifySessionToken,
  type CustomerAccountTokenClaims,
  type SessionTokenClaims,
} from "./session-token";
export { webhookHmac, type WebhookDelivery, type PreparedWebhook } from "./webhooks";
export { PLAN_LIMITS, LeakyBucket, type PlanName, type ThrottleLimits, type ThrottleStatus } from "./throttle";
export { generateShopData, resolveGenerationParams, type GenerateOptions, type GenerationParams } from "./seed/generate";
export { SIZE_PRESETS, type ShopSize } from "./seed/sizes";
export type { ShopTruth, CustomerTruth } from "./store/shop-data";
export type { CustomerRecord, OrderRecord } from "./store/records";
export type { BulkOperationRecord } from "./bulk/operations";
