import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AdminApiError, ShopifyUserErrors, createAdminClient, retryDelayMs } from "../../../app/shopify/admin-client.server";

type Responder = (body: { query: string }, request: IncomingMessage) => { status?: number; json: unknown };

let server: Server | undefined;

async function responder(respond: Responder) {
  const seen: Array<{ path: string; token: string | undefined; query: string }> = [];
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = JSON.parse(raw) as { query: string };
      seen.push({ path: req.url ?? "", token: req.headers["x-shopify-access-token"] as string, query: body.query });
      const { status = 200, json } = respond(body, req);
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  process.env.SHOPIFY_ADMIN_ORIGIN = origin;
  return seen;
}

afterEach(async () => {
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
  const running = server;
  server = undefined;
  if (running) await new Promise((resolve) => running.close(resolve));
});

const cost = (available: number) => ({
  requestedQueryCost: 500,
  actualQueryCost: null,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
});

const session = { shop: "alpha-shop.myshopify.com", accessToken: "shpat_test" };

describe("admin client", () => {
  it("waits out THROTTLED answers using the bucket's restore rate, then succeeds", async () => {
    let calls = 0;
    const seen = await responder(() => {
      calls += 1;
      if (calls <= 2) {
        return { json: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: cost(100) } } };
      }
      return { json: { data: { shop: { name: "Alpha" } }, extensions: { cost: { ...cost(1500), actualQueryCost: 12 } } } };
    });
    const waits: number[] = [];
    const client = createAdminClient(session, { sleep: async (ms) => void waits.push(ms) });
    const data = await client.request<{ shop: { name: string } }>("query Probe { shop { name } }");
    expect(data.shop.name).toBe("Alpha");
    expect(calls).toBe(3);
    // 500 requested − 100 available = 400 points at 100/s → 4 s (+50 ms margin) each time.
    expect(waits).toEqual([4050, 4050]);
    expect(seen[0].path).toBe("/admin/api/2026-04/graphql.json");
    expect(seen[0].token).toBe("shpat_test");
    expect(client.lastCost?.throttleStatus.currentlyAvailable).toBe(1500);
  });

  it("retries 429 and 5xx with capped exponential backoff", async () => {
    const statuses = [503, 429, 502];
    await responder(() => {
      const status = statuses.shift();
      return status ? { status, json: { errors: "busy" } } : { json: { data: { ok: true } } };
    });
    const waits: number[] = [];
    const client = createAdminClient(session, { sleep: async (ms) => void waits.push(ms), maxDelayMs: 600 });
    await expect(client.request("query Probe { shop { name } }")).resolves.toEqual({ ok: true });
    expect(waits).toEqual([250, 500, 600]);
  });

  it("gives up after the attempt limit with a clear error", async () => {
    await responder(() => ({ status: 503, json: {} }));
    const client = createAdminClient(session, { sleep: async () => {}, maxAttempts: 3 });
    await expect(client.request("query Probe { shop { name } }")).rejects.toThrow(/still failing after 3 attempts/);
  });

  it("turns userErrors into a typed error carrying the field path", async () => {
    await responder(() => ({
      json: {
        data: {
          discountCodeBasicCreate: {
            codeDiscountNode: null,
            userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique", code: "TAKEN" }],
          },
        },
      },
    }));
    const client = createAdminClient(session, { sleep: async () => {} });
    const error = await client
      .mutate(
        "mutation Create($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { userErrors { field message code } } }",
        { input: {} },
        "discountCodeBasicCreate",
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUserErrors);
    expect((error as ShopifyUserErrors).byField).toEqual({ "basicCodeDiscount.code": ["Code must be unique"] });
    expect((error as ShopifyUserErrors).message).toContain("basicCodeDiscount.code: Code must be unique");
  });

  it("does not retry a rejected token", async () => {
    let calls = 0;
    await responder(() => {
      calls += 1;
      return { status: 401, json: { errors: "[API] Invalid API key or access token" } };
    });
    const client = createAdminClient(session, { sleep: async () => {} });
    const error = await client.request("query Probe { shop { name } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).status).toBe(401);
    expect(calls).toBe(1);
  });

  it("computes backoff without a bucket reading as 250 ms doubling, capped", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, null, 2000))).toEqual([250, 500, 1000, 2000, 2000]);
  });
});
