import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { signSessionToken } from "../session-token";

export interface AdminFrameOptions {
  /**
   * Where the app runs. The frame serves the app through itself (same origin), adding its own
   * origin to the app's `frame-ancestors` policy, which otherwise only allows Shopify's admin.
   */
  appUpstream: string;
  apiKey: string;
  apiSecret: string;
  shops: Array<{ domain: string; name?: string }>;
  port?: number;
}

/** What App Bridge's `shopify.app.extensions()` answers for one extension. */
export interface ExtensionInfo {
  handle: string;
  type: "ui_extension" | "theme_app_extension";
  activations: Array<{ target: string }>;
}

export interface AdminFrame {
  url: string;
  /** Where the merchant has placed the app's extensions (default: the survey extension, placed nowhere). */
  setExtensions(shop: string, extensions: ExtensionInfo[]): void;
  appBridgeUrl: string;
  /** The URL a merchant would open: the emulated admin with the app embedded. */
  appPageUrl(shop: string, options?: { path?: string; locale?: string }): string;
  close(): Promise<void>;
}

const standIn = readFileSync(new URL("./app-bridge-standin.js", import.meta.url), "utf8");

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** `host` as Shopify passes it: base64 of admin.shopify.com/store/<store handle>. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}

/**
 * The emulated Shopify admin: a page that embeds the app in an iframe the way admin does (`shop`,
 * `host`, `embedded=1`, `id_token`, `locale`), serves the App Bridge stand-in and mints session
 * tokens for it.
 */
export async function startAdminFrame(options: AdminFrameOptions): Promise<AdminFrame> {
  const upstream = new URL(options.appUpstream);
  let ownOrigin = "";
  const known = new Map(options.shops.map((s) => [s.domain, s]));
  const token = (shop: string) => signSessionToken({ shop, apiKey: options.apiKey, apiSecret: options.apiSecret });
  const extensions = new Map<string, ExtensionInfo[]>();
  const extensionsOf = (shop: string) => extensions.get(shop) ?? [{ handle: "feedback-survey", type: "ui_extension" as const, activations: [] }];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://frame.local");
    if (url.pathname === "/app-bridge.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" }).end(standIn);
      return;
    }
    if (url.pathname === "/session-token") {
      const shop = url.searchParams.get("shop") ?? "";
      const cors = { "Content-Type": "application/json", "Cache-Control": "no-store" };
      if (!known.has(shop)) {
        res.writeHead(404, cors).end(JSON.stringify({ error: `unknown shop ${shop}` }));
        return;
      }
      res.writeHead(200, cors).end(JSON.stringify({ token: token(shop) }));
      return;
    }
    if (url.pathname === "/app-extensions") {
      const shop = url.searchParams.get("shop") ?? "";
      const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
      if (!known.has(shop)) res.writeHead(404, headers).end(JSON.stringify({ error: `unknown shop ${shop}` }));
      else res.writeHead(200, headers).end(JSON.stringify(extensionsOf(shop)));
      return;
    }
    const match = /^\/store\/([^/]+)\/apps\/kinship(\/.*)?$/.exec(url.pathname);
    if (match) {
      const shop = `${match[1]}.myshopify.com`;
      if (!known.has(shop)) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end(`No emulated shop ${shop}`);
        return;
      }
      const appPath = match[2] && match[2] !== "/" ? `/app${match[2]}` : "/app";
      const src = new URL(appPath, ownOrigin);
      src.searchParams.set("embedded", "1");
      src.searchParams.set("shop", shop);
      src.searchParams.set("host", hostParam(shop));
      src.searchParams.set("locale", url.searchParams.get("locale") ?? "en");
      src.searchParams.set("id_token", token(shop));
      const name = escapeHtml(known.get(shop)?.name ?? shop);
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html><head><meta charset="utf-8"><title>${name} · Kinship · Emulated Shopify admin</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#f1f1f1}header{background:#1a1a1a;color:#fff;padding:10px 16px;font-size:14px}
iframe{border:0;width:100%;height:calc(100vh - 40px);display:block;background:#fff}</style></head>
<body><header>Emulated Shopify admin — ${name} — Apps › Kinship</header>
<iframe id="app-iframe" name="app-iframe" title="Kinship" src="${escapeHtml(src.toString())}"></iframe></body></html>`);
      return;
    }
    if (url.pathname === "/") {
      const links = [...known.values()]
        .map((s) => `<li><a href="/store/${s.domain.replace(/\.myshopify\.com$/, "")}/apps/kinship">${escapeHtml(s.name ?? s.domain)}</a></li>`)
        .join("");
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html><title>Emulated Shopify admin</title><h1>Shops</h1><ul>${links}</ul>`);
      return;
    }
    proxyToApp(req, res);
  });

  function proxyToApp(req: IncomingMessage, res: ServerResponse) {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const headers = { ...answer.headers };
        const csp = headers["content-security-policy"];
        if (typeof csp === "string") headers["content-security-policy"] = csp.replace("frame-ancestors", `frame-ancestors ${ownOrigin}`);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
      res.end(`The app is not answering at ${upstream.origin}: ${error.message}`);
    });
    req.pipe(forward);
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ownOrigin = url;
  return {
    url,
    appBridgeUrl: `${url}/app-bridge.js`,
    setExtensions: (shop, list) => void extensions.set(shop, list),
    appPageUrl: (shop, opts = {}) =>
      `${url}/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/kinship${opts.path ?? ""}${opts.locale ? `?locale=${opts.locale}` : ""}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
