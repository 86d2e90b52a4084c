import { z } from "zod";

// The environment is checked once, at start-up: a missing or malformed variable stops the server
// with a message naming it instead of failing later inside a request. This is the one list of the
// variables the app reads; a test holds .env.example and the README's table to it.
const schema = z.object({
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/i, 'must start with "file:" (SQLite) or "postgresql://"')
    .optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).optional(),
  KINSHIP_SCHEDULER: z.enum(["on", "off"], { message: 'must be "on" or "off"' }).optional(),
  KINSHIP_SCHEDULER_INTERVAL_MS: z.coerce.number().int().positive("must be a positive number of milliseconds").optional(),
  // Only for the local emulator and tests: where Admin API requests go instead of https://{shop}.
  SHOPIFY_ADMIN_ORIGIN: z.string().url().optional(),
  KINSHIP_ALLOW_ADMIN_ORIGIN: z.enum(["1"], { message: 'must be "1" when set' }).optional(),
  APP_BRIDGE_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof schema>;

/** Every variable the app reads, in declaration order. */
export const ENV_VARIABLES = Object.keys(schema.shape) as Array<keyof Env>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty value means "unset", as in a .env file with `NAME=`.
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(given);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const missing = issue.code === "invalid_type" && issue.received === "undefined";
      return `  ${issue.path.join(".")} ${missing ? "is required" : issue.message}`;
    });
    throw new Error(`Kinship cannot start; fix these environment variables:\n${problems.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv();
