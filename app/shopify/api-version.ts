import { ApiVersion } from "@shopify/shopify-app-remix/server";

/**
 * The one place the Admin API version is pinned. It matches the schema the app's GraphQL documents
 * are validated against (Shopify's published 2026-04 introspection: scripts/admin-schema.ts).
 */
export const ADMIN_API_VERSION = ApiVersion.April26;
