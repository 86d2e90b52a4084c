// Environment for the app modules under test. Loaded by vitest (setupFiles) before any test file
// imports app code, because app/env.server.ts validates the environment once at import.
export const TEST_API_KEY = "kinship-test-api-key";
export const TEST_API_SECRET = "kinship-test-api-secret";
export const TEST_APP_URL = "https://kinship.test";

process.env.SHOPIFY_API_KEY ??= TEST_API_KEY;
process.env.SHOPIFY_API_SECRET ??= TEST_API_SECRET;
process.env.SHOPIFY_APP_URL ??= TEST_APP_URL;
process.env.SCOPES ??=
  "read_orders,read_all_orders,read_customers,write_customers,write_discounts,read_products,read_customer_merge,read_locales,read_store_credit_accounts,write_store_credit_account_transactions,read_fulfillments";
// DATABASE_URL comes from tests/support/global-setup.ts (a fresh database per run).
