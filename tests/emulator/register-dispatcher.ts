// Loaded with `node --import tsx --import ./tests/emulator/register-dispatcher.ts` by the local demo,
// before the app's modules: the Shopify libraries capture `fetch` at import, and Node's fetch asks
// undici's global dispatcher on every call, so https://*.myshopify.com reaches the emulator.
import { installShopifyDispatcher } from "./dispatcher";

const emulatorUrl = process.env.KINSHIP_EMULATOR_URL;
if (!emulatorUrl) throw new Error("KINSHIP_EMULATOR_URL must name the running emulator");
installShopifyDispatcher(emulatorUrl);
