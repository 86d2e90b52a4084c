import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { action } from "../../app/routes/webhooks";
import { action as flowLifecycleAction } from "../../app/routes/flow.lifecycle";
import { FLOW_LIFECYCLE_PATH } from "../../app/retention/rewards";

/**
 * The app's real webhooks route behind a loopback port, so the emulator can deliver signed
 * webhooks to it (with retries, duplicates and reordering) exactly as Shopify would. `answers`
 * records each delivery's topic and status, so a test can assert no webhook was answered 5xx.
 * Flow's lifecycle callback path goes to its own route, as in the app.
 */
export async function startAppWebhookServer(): Promise<{
  url: string;
  answers: Array<{ topic: string | null; shop: string | null; status: number }>;
  close: () => Promise<void>;
}> {
  const answers: Array<{ topic: string | null; shop: string | null; status: number }> = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
    let status: number;
    try {
      const route = new URL(request.url).pathname === FLOW_LIFECYCLE_PATH ? flowLifecycleAction : action;
      status = (await route({ request, params: {}, context: {} })).status;
    } catch (thrown) {
      status = thrown instanceof Response ? thrown.status : 500;
    }
    answers.push({ topic: headers.get("x-shopify-topic"), shop: headers.get("x-shopify-shop-domain"), status });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
