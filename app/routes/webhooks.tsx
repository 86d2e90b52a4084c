import type { ActionFunctionArgs } from "@remix-run/node";
import { InvalidShopError } from "@shopify/shopify-api";
import { authenticate } from "../shopify.server";
import { processWebhook } from "../webhooks/process.server";

const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const SHOP_HEADER_MESSAGE = "X-Shopify-Shop-Domain is not a myshopify.com domain";
const badRequest = (message: string) => new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

// Every topic in shopify.app.toml is delivered here. authenticate.webhook verifies the HMAC and
// throws a 401 response (before anything is written) when it does not match. The HMAC covers the
// body only: the headers are checked here and bound to the body by processWebhook.
export const action = async ({ request }: ActionFunctionArgs) => {
  // Shopify's time budget for the answer starts when the request does.
  const receivedAt = Date.now();
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (thrown) {
    // The library parses the body only after checking its signature: a signed body that is not JSON.
    if (thrown instanceof SyntaxError) return badRequest("The webhook body is not JSON");
    // Signed, but the shop header is no shop domain (the library refuses it when loading the session).
    if (thrown instanceof InvalidShopError) return badRequest(SHOP_HEADER_MESSAGE);
    throw thrown;
  }
  const { shop, topic, webhookId, payload, triggeredAt } = context;
  if (!MYSHOPIFY_DOMAIN.test(shop)) return badRequest(SHOP_HEADER_MESSAGE);
  if (webhookId.length > 255) return badRequest("X-Shopify-Webhook-Id is longer than 255 characters");
  const triggered = triggeredAt ? new Date(triggeredAt) : null;
  if (triggered && Number.isNaN(triggered.getTime())) return badRequest("X-Shopify-Triggered-At is not a date");
  return processWebhook({ shop, topic, webhookId, triggeredAt: triggered, payload }, receivedAt);
};
