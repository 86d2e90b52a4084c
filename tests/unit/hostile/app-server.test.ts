import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { createApp } from "../../../server/app.mjs";
import { redactTarget } from "../../../server/guards.mjs";
import { waitFor } from "../../support/sync-helpers";

/**
 * The HTTP server in front of Remix (server/app.mjs, `npm start`), over a two-route build: a page
 * with a form action, and a resource route called cross-origin (like /api/feedback). Actions record
 * what reached them, so a refused request is seen to have changed nothing.
 */
const reached: string[] = [];
const page = {
  action: async ({ request }: { request: Request }) => {
    reached.push(`${request.method} ${new URL(request.url).pathname}`);
    return new Response("saved", { status: 200 });
  },
  loader: async () => null,
  default: () => null,
};
const api = {
  action: async ({ request }: { request: Request }) => {
    reached.push(`${request.method} ${new URL(request.url).pathname}`);
    return new Response("{}", { headers: { "Content-Type": "application/json" } });
  },
};
const route = (id: string, path: string | undefined, module: object, parentId?: string) => ({
  id,
  path,
  parentId,
  index: undefined,
  caseSensitive: undefined,
  module,
});
const assetRoute = (id: string, path: string | undefined, parentId: string | undefined, hasAction: boolean) => ({
  id,
  path,
  parentId,
  module: `/build/${id}.js`,
  hasAction,
  hasLoader: true,
  hasClientAction: false,
  hasClientLoader: false,
  hasErrorBoundary: false,
  imports: [],
});
const build = {
  mode: "production",
  basename: undefined,
  publicPath: "/build/",
  assetsBuildDirectory: "tests/.tmp/no-assets",
  future: {},
  isSpaMode: false,
  entry: { module: { default: async () => new Response("<html>page</html>", { headers: { "Content-Type": "text/html" } }) } },
  routes: {
    root: route("root", "", { default: () => null }),
    "routes/app.form": route("routes/app.form", "app/form", page, "root"),
    "routes/api.feedback": route("routes/api.feedback", "api/feedback", api, "root"),
  },
  assets: {
    url: "/build/manifest.js",
    version: "test",
    entry: { module: "/build/entry.js", imports: [] },
    routes: {
      root: assetRoute("root", "", undefined, false),
      "routes/app.form": assetRoute("routes/app.form", "app/form", "root", true),
      "routes/api.feedback": assetRoute("routes/api.feedback", "api/feedback", "root", true),
    },
  },
} as unknown as ServerBuild;

const logged: string[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  const app = createApp({ build, mode: "production", log: (line: string) => logged.push(line) });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, headers: Record<string, string>) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: "name=x",
  });
  return { status: response.status, body: await response.text() };
}

describe("cross-site form posts", () => {
  it.each([
    ["a foreign Origin", "https://evil.example"],
    ["a null Origin (sandboxed frame, data: URL)", "null"],
    ["an Origin that is not a URL", "not a url"],
  ])("with %s: a translated 403 page, and the action never runs", async (_label, origin) => {
    reached.length = 0;
    const answer = await post("/app/form?locale=hr", { Origin: origin });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("<h1>Zahtjev odbijen</h1>");
    expect(reached).toEqual([]);
  });

  it("from the app's own origin (also behind a proxy naming it in X-Forwarded-Host) the action runs", async () => {
    reached.length = 0;
    const host = new URL(base).host;
    expect((await post("/app/form", { Origin: base })).status).toBe(200);
    expect((await post("/app/form", { Origin: "https://kinship.example", "X-Forwarded-Host": "kinship.example" })).status).toBe(200);
    expect((await post("/app/form", {})).status).toBe(200);
    expect(reached).toEqual(["POST /app/form", "POST /app/form", "POST /app/form"]);
    expect(host).toBeTruthy();
  });

  it("Remix data requests are left to the route (their session token is a header no other site can send)", async () => {
    reached.length = 0;
    expect((await post("/app/form?_data=routes%2Fapp.form", { Origin: "https://admin-frame.example" })).status).toBe(200);
    expect(reached).toEqual(["POST /app/form"]);
  });

  it("the checkout extension's endpoint still takes its cross-origin posts", async () => {
    reached.length = 0;
    expect((await post("/api/feedback", { Origin: "https://extensions.shopifycdn.com" })).status).toBe(200);
    expect(reached).toEqual(["POST /api/feedback"]);
  });
});

describe("request log", () => {
  const SECRETS = {
    id_token: "eyJhbGciOiJIUzI1NiJ9.secret-session-token.sig",
    hmac: "b1946ac92492d2347c6235b4d2611184deadbeef",
    session: "session-secret-value",
    signature: "signature-secret-value",
  };

  it("drops id_token, hmac, session and signature values and never writes headers", async () => {
    logged.length = 0;
    const query = new URLSearchParams({ embedded: "1", shop: "log-shop.myshopify.com", ...SECRETS, locale: "en" });
    await fetch(`${base}/app/form?${query}`, { headers: { Authorization: `Bearer ${SECRETS.id_token}`, Cookie: `s=${SECRETS.session}` } });
    await fetch(`${base}/app/form?ID_TOKEN=${SECRETS.id_token}&Hmac=${SECRETS.hmac}`);
    await post(`/app/form?signature=${SECRETS.signature}`, { Authorization: `Bearer ${SECRETS.id_token}`, Origin: "null" });
    // A line is written when its response has finished, which can be just after the client has it.
    await waitFor(async () => logged.length >= 3, "three request lines");
    const log = logged.join("\n");
    expect(logged).toHaveLength(3);
    for (const secret of Object.values(SECRETS)) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/bearer/i);
    // Lines are written when each response finishes: their order is not the requests'.
    expect(
      logged.some((line) =>
        /^GET \/app\/form\?embedded=1&shop=log-shop\.myshopify\.com&id_token=\[redacted\]&hmac=\[redacted\]&session=\[redacted\]&signature=\[redacted\]&locale=en 200 - /.test(
          line,
        ),
      ),
    ).toBe(true);
    expect(logged.some((line) => /^GET \/app\/form\?ID_TOKEN=\[redacted\]&Hmac=\[redacted\] 200 - /.test(line))).toBe(true);
    expect(logged.some((line) => /^POST \/app\/form\?signature=\[redacted\] 403 - /.test(line))).toBe(true);
  });

  it.each([
    ["/auth/session-token?shop=s.myshopify.com&id_token=abc.def.ghi", "/auth/session-token?shop=s.myshopify.com&id_token=[redacted]"],
    [
      "/auth/callback?code=oauth-code&hmac=h&state=st&shop=s.myshopify.com",
      "/auth/callback?code=[redacted]&hmac=[redacted]&state=[redacted]&shop=s.myshopify.com",
    ],
    ["/app?id_token=a&id_token=b", "/app?id_token=[redacted]&id_token=[redacted]"],
    ["/webhooks", "/webhooks"],
  ])("redacts %s", (target, expected) => {
    expect(redactTarget(target)).toBe(expected);
  });
});
