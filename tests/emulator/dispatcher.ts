import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function withHost(headers: Dispatcher.DispatchOptions["headers"], host: string): string[] {
  const flat: string[] = [];
  const push = (name: string, value: unknown) => {
    if (name.toLowerCase() === "host" || value === undefined || value === null) return;
    if (Array.isArray(value)) for (const v of value) flat.push(name, String(v));
    else flat.push(name, String(value));
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) push(String(headers[i]), headers[i + 1]);
  } else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const [name, value] of headers as Iterable<[string, unknown]>) push(name, value);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) push(name, value);
  }
  flat.push("host", host);
  return flat;
}

/**
 * Sends `https://*.myshopify.com` to the emulator (keeping the shop in the Host header), lets loopback traffic
 * through, and refuses every other host, so no test can reach the internet.
 */
export class ShopifyRoutingAgent extends Agent {
  private readonly target: string;

  constructor(emulatorUrl: string) {
    super();
    this.target = new URL(emulatorUrl).origin;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const origin = new URL(String(options.origin));
    if (origin.hostname.endsWith(".myshopify.com")) {
      return super.dispatch({ ...options, origin: this.target, headers: withHost(options.headers, origin.host) }, handler);
    }
    if (LOOPBACK.has(origin.hostname)) return super.dispatch(options, handler);
    handler.onError?.(new Error(`Blocked request to ${origin.host}: tests may only reach 127.0.0.1 and the Shopify emulator`));
    return false;
  }
}

let previous: Dispatcher | null = null;

/**
 * Installs the routing agent as undici's global dispatcher, which Node's built-in fetch also uses, so
 * @shopify/shopify-api's own calls (token exchange) reach the emulator. Install it before importing the
 * Shopify node adapter, which captures fetch at import time (the dispatcher itself is looked up per request).
 */
export function installShopifyDispatcher(emulatorUrl: string): ShopifyRoutingAgent {
  const agent = new ShopifyRoutingAgent(emulatorUrl);
  previous ??= getGlobalDispatcher();
  setGlobalDispatcher(agent);
  return agent;
}

/** Restores the dispatcher that was active before the first install. */
export async function uninstallShopifyDispatcher(): Promise<void> {
  const current = getGlobalDispatcher();
  if (previous) {
    setGlobalDispatcher(previous);
    previous = null;
  }
  if (current instanceof ShopifyRoutingAgent) await current.close();
}
