import { installShopifyDispatcher, uninstallShopifyDispatcher } from "../emulator/dispatcher";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator/server";
import { SUBSCRIBED_TOPICS } from "../../app/webhooks/topics.server";
import { TEST_API_KEY, TEST_API_SECRET } from "./test-env";

/**
 * Starts the local Shopify emulator for a test file and routes the Shopify libraries' own calls
 * (https://*.myshopify.com) to it; Kinship's admin client reaches it through the same dispatcher.
 */
export async function startEmulatedShopify(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  // Like Shopify, deliver only the topics the app's configuration subscribes to.
  const emulator = await startEmulator({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appWebhookTopics: SUBSCRIBED_TOPICS,
    ...options,
  });
  installShopifyDispatcher(emulator.url);
  return emulator;
}

export async function stopEmulatedShopify(emulator: Emulator | undefined) {
  await uninstallShopifyDispatcher();
  await emulator?.close();
}
