import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { handleStagedUpload } from "./bulk/staged-uploads";
import { API_VERSION } from "./config";
import { EmulatorCore, type EmulatorConfig } from "./emulator";

export type { EmulatorConfig } from "./emulator";

/** Extra routes (e.g. the emulated admin frame); return true when the request was handled. */
export type EmulatorRouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL, emulator: Emulator) => boolean | Promise<boolean>;

export interface EmulatorOptions extends EmulatorConfig {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  handlers?: EmulatorRouteHandler[];
}

const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendStorageError(res: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { "content-type": "application/xml; charset=UTF-8", "content-length": Buffer.byteLength(xml) });
  res.end(xml);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string, contentType: string | undefined): Record<string, unknown> | null {
  if (contentType?.includes("application/graphql")) return { query: text };
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The emulator behind an HTTP port on 127.0.0.1. */
export class Emulator extends EmulatorCore {
  port = 0;
  private readonly server: Server;
  private readonly handlers: EmulatorRouteHandler[];

  constructor(options: EmulatorOptions) {
    super(options);
    this.handlers = [...(options.handlers ?? [])];
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { errors: (error as Error).message });
        else res.destroy();
      });
    });
  }

  async listen(port: number, host: string): Promise<void> {
    // Test processes run the app and the emulator on one event loop: a loop blocked for seconds (SQLite work under
    // load) could let the server drop an idle keep-alive socket just as the client reuses it (ECONNRESET). A minute
    // keeps the client's own, shorter idle timeout (it follows this hint) the one that closes.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.port = address.port;
    this.url = `http://${host}:${address.port}`;
  }

  addHandler(handler: EmulatorRouteHandler): void {
    this.handlers.push(handler);
  }

  override async close(): Promise<void> {
    await super.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const host = (req.headers.host ?? "").split(":")[0].toLowerCase();
    const hostShop = host.endsWith(".myshopify.com") ? host : null;
    for (const handler of this.handlers) if (await handler(req, res, url, this)) return;

    const graphqlPath = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    if (graphqlPath && req.method === "POST") {
      if (graphqlPath[1] !== API_VERSION) return sendJson(res, 404, { errors: "Not Found" });
      if (hostShop && !this.findShop(hostShop)) return sendJson(res, 404, { errors: "Not Found" });
      const header = req.headers["x-shopify-access-token"];
      const token = this.lookupToken(Array.isArray(header) ? header[0] : header);
      if (!token || (hostShop && token.shop !== hostShop)) return sendJson(res, 401, { errors: INVALID_TOKEN });
      const body = parseBody(await readBody(req), req.headers["content-type"]);
      if (!body) return sendJson(res, 400, { errors: "Invalid JSON in request body" });
      const result = await this.graphql(this.shop(token.shop), token, body);
      return sendJson(res, 200, result, { "x-shopify-api-version": API_VERSION, "x-request-id": randomUUID() });
    }

    if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") {
      const body = parseBody(await readBody(req), req.headers["content-type"]);
      if (!body) return sendJson(res, 400, { error: "invalid_request", error_description: "Malformed body" });
      const answer = this.accessToken(body, hostShop);
      return sendJson(res, answer.status, answer.body);
    }

    const download = /^\/_emulator\/bulk\/(\d+)\/(result|partial)\.jsonl$/.exec(url.pathname);
    if (download && req.method === "GET") {
      const resolved = this.resolveBulkDownload(Number(download[1]), download[2], url.searchParams);
      if ("status" in resolved) return sendStorageError(res, resolved.status, resolved.code, resolved.message);
      res.writeHead(200, { "content-type": "application/jsonl" });
      createReadStream(resolved.filePath).pipe(res);
      return;
    }

    const store = (key: string) => this.shops().find((shop) => shop.bulk.stagedUploads.get(key))?.bulk.stagedUploads;
    if (await handleStagedUpload(req, res, url, store, this.clock())) return;

    if (url.pathname === "/_emulator/health") return sendJson(res, 200, { ok: true, shops: this.shops().map((s) => s.domain) });
    sendJson(res, 404, { errors: "Not Found" });
  }
}

/** Starts an emulator on 127.0.0.1 (random port by default) with the given shops seeded. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const emulator = new Emulator(options);
  try {
    await emulator.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  } catch (error) {
    await emulator.close().catch(() => undefined);
    throw error;
  }
  return emulator;
}
