/**
 * Flow's trigger lifecycle callback (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events):
 * a JSON POST signed like Shopify's other app requests (X-Shopify-Hmac-SHA256, base64 HMAC-SHA256 of
 * the raw body keyed with the app's client secret), telling whether a shop has an enabled workflow
 * that uses the trigger. Checked here before anything is parsed or stored.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const FLOW_HMAC_HEADER = "x-shopify-hmac-sha256";

export function flowHmac(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

/** Constant-time comparison of the header with the body's signature. */
export function isSignedByShopify(rawBody: string, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(flowHmac(rawBody, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The documented properties; shop_id is a number in the table and a string in the example body. */
export const flowLifecycleSchema = z.object({
  flow_trigger_definition_id: z.string().min(1).max(255),
  has_enabled_flow: z.boolean(),
  shop_id: z.union([z.number().int(), z.string().regex(/^\d{1,20}$/)]),
  shopify_domain: z.string().regex(MYSHOPIFY_DOMAIN),
  timestamp: z.string().datetime({ offset: true }),
});

export type FlowLifecyclePayload = z.infer<typeof flowLifecycleSchema>;
