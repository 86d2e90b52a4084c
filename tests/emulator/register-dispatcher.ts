// Loaded with `node --import` (compiled to one module by tests/emulator/stack.ts) by the local demo and the browser tests,
// before the app's modules: the Shopify libraries capture `fetch` at import, and Node's fetch asks
// undici's global dispatcher on every call, so https://*.myshopify.com reaches the emulator.
import { installShopifyDispatcher } from "./dispatcher";

const emulatorUrl = process.env.KINSHIP_EMULATOR_URL;
if (!emulatorUrl) throw new Error("KINSHIP_EMULATOR_URL must name the running emulator");
installShopifyDispatcher(emulatorUrl);
