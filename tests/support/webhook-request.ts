import { randomUUID } from "node:crypto";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { TEST_API_SECRET, TEST_APP_URL } from "./test-env";

/** A webhook request exactly as Shopify sends it (headers, raw JSON body, base64 HMAC). */
export function webhookRequest(
  shop: string,
  topic: string,
  payload: unknown,
  options: { webhookId?: string; hmac?: string; body?: string; headers?: Record<string, string> } = {},
): Request {
  const body = options.body ?? JSON.stringify(payload);
  return new Request(`${TEST_APP_URL}/webhooks`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Api-Version": "2026-04",
      // A body given as text is signed as it is (a genuine signature over a malformed body).
      "X-Shopify-Hmac-Sha256": options.hmac ?? getHmac(body, TEST_API_SECRET),
      ...options.headers,
    },
  });
}
