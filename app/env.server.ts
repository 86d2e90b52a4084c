import { z } from "zod";

// The environment is checked once, at start-up: a missing or malformed variable stops the server
// with a message naming it instead of failing later inside a request.
const schema = z.object({
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  // Only for the local emulator and tests: where Admin API requests go instead of https://{shop}.
  SHOPIFY_ADMIN_ORIGIN: z.string().url().optional(),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Kinship cannot start; fix these environment variables:\n${problems.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv();
