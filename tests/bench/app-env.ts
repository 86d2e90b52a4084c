// Imported first by every bench child that loads app modules: app/env.server.ts validates the
// environment once at import. DATABASE_URL comes from the parent (a fresh database per measurement).
// Set, not defaulted: the signed webhooks of the bench use the test secret, whatever the shell has.
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../support/test-env";

process.env.SHOPIFY_API_KEY = TEST_API_KEY;
process.env.SHOPIFY_API_SECRET = TEST_API_SECRET;
process.env.SHOPIFY_APP_URL = TEST_APP_URL;
if (!process.env.DATABASE_URL) throw new Error("bench children need DATABASE_URL (run them through tests/bench/run.ts)");
