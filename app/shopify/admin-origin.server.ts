import { ADMIN_API_VERSION } from "./api-version";

/**
 * The one place that decides where Admin API requests go. Production always uses https://{shop};
 * SHOPIFY_ADMIN_ORIGIN exists only so tests and the local demo can point at the emulator
 * (tests/emulator), and is refused when NODE_ENV is production.
 */
export function adminOrigin(shop: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SHOPIFY_ADMIN_ORIGIN;
  if (override) {
    if (env.NODE_ENV === "production" && env.KINSHIP_ALLOW_ADMIN_ORIGIN !== "1") {
      throw new Error("SHOPIFY_ADMIN_ORIGIN is for tests and the local demo; unset it in production");
    }
    return override.replace(/\/+$/, "");
  }
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(shop)) {
    throw new Error(`Not a Shopify shop domain: ${shop}`);
  }
  return `https://${shop}`;
}

export function adminGraphqlUrl(shop: string, env?: NodeJS.ProcessEnv): string {
  return `${adminOrigin(shop, env)}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}
