import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { processWebhook } from "../webhooks/process.server";

// Every topic in shopify.app.toml is delivered here. authenticate.webhook verifies the HMAC and
// throws a 401 response (before anything is written) when it does not match.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  return processWebhook({ shop, topic, webhookId, payload });
};
