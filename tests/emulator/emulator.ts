import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GraphQLSchema } from "graphql";
import { handleAccessTokenRequest, type JsonResponse } from "./auth";
import type { BulkOperationRecord } from "./bulk/operations";
import { compileBulkQuery, type BulkQueryError } from "./bulk/plan";
import { runBulkMutation, type CompiledBulkMutation } from "./bulk/mutation-runner";
import { runBulkQuery } from "./bulk/runner";
import { systemClock, type Clock } from "./clock";
import type { EmulatorServices } from "./graphql/context";
import { executeAdminGraphql, type GraphqlRequestBody } from "./graphql/execute";
import { subscribedUris } from "./graphql/resolvers/misc";
import { ShopMutations, type EmitOptions } from "./mutations";
import { bulkFinishPayload } from "./rest-payloads";
import { loadAdminSchema } from "./schema";
import {
  signCustomerAccountToken,
  signSessionToken,
  type SignCustomerAccountTokenOptions,
  type SignSessionTokenOptions,
} from "./session-token";
import { normalizeShopDomain, ShopState, type ShopSeed } from "./shop";
import {
  DEFAULT_APP_SCOPES,
  DEFAULT_TOKEN_LIFETIMES,
  hasScope,
  TokenStore,
  type AccessTokenInfo,
  type IssueOptions,
  type IssuedToken,
  type TokenLifetimes,
} from "./tokens";
import { WebhookSender, type WebhookDelivery } from "./webhooks";

export interface EmulatorConfig {
  apiKey: string;
  apiSecret: string;
  /** Where webhooks go: POST `${appUrl}${webhookPath}`. Can be set later with setAppUrl (the app often starts after). */
  appUrl?: string;
  /** Default "/webhooks" for every topic (the app's shopify.app.toml subscription URI). */
  webhookPath?: string | ((topic: string) => string);
  /** Topics the app's configuration subscribes to; default: all. API-created subscriptions are added on top. */
  appWebhookTopics?: readonly string[];
  /** Seeded shops: a domain alone means a tiny shop. */
  shops?: readonly (ShopSeed | string)[];
  /** Admin introspection JSON; default: Shopify's published 2026-04 schema (scripts/admin-schema.ts). */
  introspectionPath?: string;
  /** Scopes granted by token exchange. */
  scopes?: readonly string[];
  clock?: Clock;
  tokenLifetimes?: Partial<TokenLifetimes>;
  webhookDelivery?: { maxAttempts?: number; retryDelaysMs?: number[]; timeoutMs?: number; maxInFlightPerApp?: number };
  /** Send the webhooks Shopify sends after API writes (customers/update after tagsAdd, …). Default true. */
  apiWritesEmitWebhooks?: boolean;
  /** Folder for bulk JSONL files; default a fresh temp folder removed on close. */
  bulkDirectory?: string;
}

/**
 * The emulator's state and behaviour without the HTTP layer: shops, tokens, webhooks, bulk operations.
 * server.ts puts it behind a port; tests reach it through `emulator.shop(...)`, `mutate(...)` and friends.
 */
export class EmulatorCore implements EmulatorServices {
  url = "";
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly clock: Clock;
  readonly schema: GraphQLSchema;
  readonly appScopes: readonly string[];
  readonly tokens: TokenStore;
  readonly webhooks: WebhookSender;
  appUrl: string | null;
  private readonly shopsByDomain = new Map<string, ShopState>();
  private readonly bulkDirectory: string;
  private readonly ownsBulkDirectory: boolean;

  constructor(private readonly config: EmulatorConfig) {
    this.apiKey = config.apiKey;
    this.apiSecret = config.apiSecret;
    this.clock = config.clock ?? systemClock;
    this.schema = loadAdminSchema(config.introspectionPath);
    this.appScopes = [...(config.scopes ?? DEFAULT_APP_SCOPES)];
    this.tokens = new TokenStore(this.clock, { ...DEFAULT_TOKEN_LIFETIMES, ...config.tokenLifetimes });
    this.webhooks = new WebhookSender({ apiSecret: config.apiSecret, ...config.webhookDelivery });
    this.appUrl = config.appUrl ?? null;
    this.ownsBulkDirectory = !config.bulkDirectory;
    this.bulkDirectory = config.bulkDirectory ?? mkdtempSync(path.join(os.tmpdir(), "kinship-emulator-"));
    for (const seed of config.shops ?? []) this.addShop(typeof seed === "string" ? { domain: seed } : seed);
  }

  addShop(seed: ShopSeed): ShopState {
    const shop = new ShopState(seed, this.clock);
    if (this.shopsByDomain.has(shop.domain)) throw new Error(`Shop ${shop.domain} already exists`);
    this.shopsByDomain.set(shop.domain, shop);
    return shop;
  }

  shop(domain: string): ShopState {
    const shop = this.shopsByDomain.get(normalizeShopDomain(domain));
    if (!shop) throw new Error(`No shop ${domain}; seeded: ${[...this.shopsByDomain.keys()].join(", ") || "none"}`);
    return shop;
  }

  findShop(domain: string): ShopState | undefined {
    return this.shopsByDomain.get(normalizeShopDomain(domain));
  }

  shops(): ShopState[] {
    return [...this.shopsByDomain.values()];
  }

  setAppUrl(url: string | null): void {
    this.appUrl = url ? url.replace(/\/+$/, "") : null;
  }

  /** An access token for a shop, as token exchange would issue (scopes default to the app's). */
  issueAccessToken(shop: string, scopes: readonly string[] = this.appScopes, options: IssueOptions = {}): IssuedToken {
    return this.tokens.issue(this.shop(shop).domain, [...scopes], options);
  }

  /** A session token (App Bridge id token) for the shop, signed with the app secret. */
  sessionToken(shop: string, options: Partial<Omit<SignSessionTokenOptions, "shop" | "apiKey" | "apiSecret">> = {}): string {
    return signSessionToken({
      shop: this.shop(shop).domain,
      apiKey: this.apiKey,
      apiSecret: this.apiSecret,
      now: this.clock(),
      ...options,
    });
  }

  /**
   * A customer account UI extension's session token for `customerId` (null: no one signed in), signed
   * with the app secret on the emulator's clock, as `shopify.sessionToken.get()` returns it.
   */
  customerAccountToken(
    shop: string,
    customerId: string | null,
    options: Partial<Omit<SignCustomerAccountTokenOptions, "shop" | "apiKey" | "apiSecret" | "customerId">> = {},
  ): string {
    return signCustomerAccountToken({
      shop: this.shop(shop).domain,
      apiKey: this.apiKey,
      apiSecret: this.apiSecret,
      customerId,
      now: this.clock(),
      ...options,
    });
  }

  lookupToken(token: string | undefined | null): AccessTokenInfo | null {
    return this.tokens.lookup(token);
  }

  revokeShopTokens(shop: string): void {
    this.tokens.revokeShop(normalizeShopDomain(shop));
  }

  mutate(shop: string): ShopMutations {
    return new ShopMutations(this, this.shop(shop));
  }

  graphql(shop: ShopState, token: AccessTokenInfo, body: GraphqlRequestBody): Promise<Record<string, unknown>> {
    return executeAdminGraphql(this, shop, token, body);
  }

  accessToken(body: Record<string, unknown>, hostShop: string | null): JsonResponse {
    return handleAccessTokenRequest(
      {
        apiKey: this.apiKey,
        apiSecret: this.apiSecret,
        clock: this.clock,
        tokens: this.tokens,
        scopes: this.appScopes,
        findShop: (d) => this.findShop(d),
      },
      body,
      hostShop,
    );
  }

  // ---------- Flow ----------

  /**
   * Flow's trigger lifecycle callback, sent as Flow does when a merchant enables or disables a workflow
   * that uses the app's trigger (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events): a JSON
   * POST of { flow_trigger_definition_id, has_enabled_flow, shop_id, shopify_domain, timestamp }, signed
   * in X-Shopify-Hmac-SHA256 (base64 HMAC-SHA256 of the body with the app's client secret). Flow refuses
   * to enable the workflow unless the app answers 2xx, so the app's status is returned.
   * `secret` signs with another key (to prove a forged callback is refused).
   */
  async sendFlowLifecycle(
    shopDomain: string,
    options: { enabled: boolean; definitionId?: string; path?: string; secret?: string; timestamp?: string },
  ): Promise<{ status: number; body: string }> {
    const shop = this.shop(shopDomain);
    if (!this.appUrl) throw new Error("No app URL for the Flow lifecycle callback: call setAppUrl()");
    const body = JSON.stringify({
      flow_trigger_definition_id: options.definitionId ?? "kinship-reward-issued",
      has_enabled_flow: options.enabled,
      shop_id: shop.shopId,
      shopify_domain: shop.domain,
      timestamp: options.timestamp ?? new Date(this.clock()).toISOString(),
    });
    const response = await fetch(`${this.appUrl}${options.path ?? "/flow/lifecycle"}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": createHmac("sha256", options.secret ?? this.apiSecret)
          .update(body)
          .digest("base64"),
      },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  // ---------- webhooks ----------

  webhookTargets(shop: ShopState, topic: string): string[] {
    const targets: string[] = [];
    const appTopics = this.config.appWebhookTopics;
    if (this.appUrl && (!appTopics || appTopics.includes(topic))) {
      const configured = this.config.webhookPath ?? "/webhooks";
      const webhookPath = typeof configured === "function" ? configured(topic) : configured;
      targets.push(`${this.appUrl}${webhookPath}`);
    }
    for (const uri of subscribedUris(shop.webhookSubscriptions.values(), topic)) {
      targets.push(uri.startsWith("/") && this.appUrl ? `${this.appUrl}${uri}` : uri);
    }
    return targets.filter((target) => /^https?:\/\//.test(target));
  }

  /**
   * Sends a webhook to the app (and any API-created subscription for the topic) with Shopify's headers and HMAC.
   * Resolves when every copy is delivered or out of retries. Throws if nothing would receive it.
   */
  deliverWebhook(shopDomain: string, topic: string, payload: unknown, options: EmitOptions = {}): Promise<WebhookDelivery[]> {
    const shop = this.shop(shopDomain);
    const targets = this.webhookTargets(shop, topic);
    if (!targets.length) {
      return Promise.reject(new Error(`No webhook target for ${topic}: call setAppUrl() or pass appUrl to the emulator`));
    }
    const webhook = this.webhooks.prepare(shop.domain, topic, payload, {
      webhookId: options.webhookId,
      triggeredAt: new Date(this.clock()).toISOString(),
    });
    const deliveries = targets.flatMap((url) => this.webhooks.send(webhook, url, options));
    return Promise.all(deliveries.map((d) => d.done)).then(() => deliveries);
  }

  /** Webhooks that happen as a side effect (API writes, bulk completion): sent if anyone listens, never thrown. */
  private emitQuietly(shop: ShopState, topic: string, payload: unknown): void {
    if (!this.webhookTargets(shop, topic).length) return;
    this.deliverWebhook(shop.domain, topic, payload).catch(() => undefined);
  }

  emitForApiWrite(shop: ShopState, topic: string, payload: unknown): void {
    if (this.config.apiWritesEmitWebhooks === false) return;
    this.emitQuietly(shop, topic, payload);
  }

  // ---------- bulk operations ----------

  /** A bulk operation as Shopify first reports it: nothing counted, no file yet. */
  private newBulkOperation(
    shop: ShopState,
    fields: Pick<BulkOperationRecord, "type" | "status" | "query" | "groupObjects">,
  ): BulkOperationRecord {
    return {
      id: shop.nextId(),
      ...fields,
      errorCode: null,
      createdAt: this.clock(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      filePath: null,
      partialFilePath: null,
      urlExpiresAt: null,
      cancelRequested: false,
    };
  }

  startBulkQuery(
    shop: ShopState,
    token: AccessTokenInfo,
    query: string,
    groupObjects: boolean,
  ): { bulkOperation: BulkOperationRecord | null; userErrors: BulkQueryError[] } {
    const { plan, errors } = compileBulkQuery(this.schema, query);
    if (!plan) return { bulkOperation: null, userErrors: errors };
    const controls = shop.bulk.controls;
    const op = this.newBulkOperation(shop, { type: "QUERY", status: "CREATED", query, groupObjects });
    const failWith = controls.failNext;
    const malformedLines = controls.malformedLinesNext;
    controls.failNext = null;
    controls.malformedLinesNext = 0;
    shop.bulk.byId.set(op.id, op);

    const run = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      op.status = "RUNNING";
      while (shop.bulk.controls.hold && !op.cancelRequested) await new Promise<void>((resolve) => setTimeout(resolve, 5));
      const result = await runBulkQuery({
        op,
        plan,
        ctx: { services: this, shop, token, now: this.clock(), bulk: true, canReadAllOrders: hasScope(token.scopes, "read_all_orders") },
        directory: this.bulkDirectory,
        yieldEvery: controls.yieldEvery,
        failWith,
        malformedLines,
      });
      op.status = result.status;
      op.errorCode = result.errorCode;
      op.completedAt = this.clock();
      op.urlExpiresAt = op.completedAt + shop.bulk.controls.urlTtlMs;
      if (result.error) (op as BulkOperationRecord & { error?: string }).error = result.error;
      this.emitQuietly(shop, "bulk_operations/finish", bulkFinishPayload(shop, op));
    };
    shop.bulk.track(op.id, run());
    return { bulkOperation: op, userErrors: [] };
  }

  startBulkMutation(
    shop: ShopState,
    token: AccessTokenInfo,
    mutation: string,
    compiled: CompiledBulkMutation,
    lines: Record<string, unknown>[],
  ): BulkOperationRecord {
    const op = this.newBulkOperation(shop, { type: "MUTATION", status: "RUNNING", query: mutation, groupObjects: false });
    const failWith = shop.bulk.controls.failNext;
    shop.bulk.controls.failNext = null;
    shop.bulk.byId.set(op.id, op);
    const ctx = () => ({
      services: this,
      shop,
      token,
      now: this.clock(),
      bulk: false,
      canReadAllOrders: hasScope(token.scopes, "read_all_orders"),
    });
    const run = async () => {
      const outcome = await runBulkMutation({
        op,
        compiled,
        lines,
        ctx,
        clock: this.clock,
        directory: this.bulkDirectory,
        linesPerSecond: shop.bulk.controls.mutationLinesPerSecond,
        failWith,
      });
      op.status = outcome.status;
      op.errorCode = outcome.errorCode;
      op.completedAt = this.clock();
      op.urlExpiresAt = op.completedAt + shop.bulk.controls.urlTtlMs;
      this.emitQuietly(shop, "bulk_operations/finish", bulkFinishPayload(shop, op));
    };
    shop.bulk.track(op.id, run());
    return op;
  }

  cancelBulkOperation(_shop: ShopState, op: BulkOperationRecord): void {
    op.cancelRequested = true;
    op.status = "CANCELING";
  }

  private signature(shop: string, opId: number, which: string, expires: number): string {
    return createHmac("sha256", this.apiSecret).update(`${shop}:${opId}:${which}:${expires}`).digest("hex");
  }

  /** A signed download URL that stops working at `urlExpiresAt` (like Shopify's signed storage URLs). */
  bulkDownloadUrl(shop: ShopState, op: BulkOperationRecord, which: "url" | "partial"): string | null {
    const file = which === "url" ? op.filePath : op.partialFilePath;
    if (!file || op.urlExpiresAt === null) return null;
    const expires = Math.floor(op.urlExpiresAt / 1000);
    const kind = which === "url" ? "result" : "partial";
    const query = new URLSearchParams({
      shop: shop.domain,
      expires: String(expires),
      signature: this.signature(shop.domain, op.id, kind, expires),
    });
    return `${this.url}/_emulator/bulk/${op.id}/${kind}.jsonl?${query}`;
  }

  /** Checks a download URL; returns the file or a storage-style error. */
  resolveBulkDownload(
    opId: number,
    kind: string,
    params: URLSearchParams,
  ): { filePath: string } | { status: number; code: string; message: string } {
    const shop = this.findShop(params.get("shop") ?? "");
    const expires = Number(params.get("expires"));
    const given = Buffer.from(params.get("signature") ?? "", "hex");
    const op = shop?.bulk.byId.get(opId);
    const expected = shop ? Buffer.from(this.signature(shop.domain, opId, kind, expires), "hex") : Buffer.alloc(0);
    if (!shop || !op || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        status: 403,
        code: "SignatureDoesNotMatch",
        message: "The request signature we calculated does not match the signature you provided.",
      };
    }
    if (this.clock() >= expires * 1000) {
      return {
        status: 400,
        code: "ExpiredToken",
        message: `The provided token has expired. Request signature expired at: ${new Date(expires * 1000).toISOString()}`,
      };
    }
    const filePath = kind === "result" ? op.filePath : op.partialFilePath;
    if (!filePath) return { status: 404, code: "NoSuchKey", message: "The specified key does not exist." };
    return { filePath };
  }

  /** Waits for a bulk operation's background run to end and returns it. */
  async waitForBulkOperation(shop: string, id: string | number): Promise<BulkOperationRecord> {
    const numeric = typeof id === "number" ? id : Number(String(id).split("/").pop());
    const state = this.shop(shop);
    const op = await state.bulk.whenFinished(numeric);
    if (!op) throw new Error(`No bulk operation ${id} in ${shop}`);
    return op;
  }

  async close(): Promise<void> {
    for (const shop of this.shops()) {
      shop.bulk.release();
      for (const op of shop.bulk.byId.values()) op.cancelRequested = true;
      await Promise.all([...shop.bulk.byId.keys()].map((id) => shop.bulk.whenFinished(id)));
    }
    await this.webhooks.close();
    if (this.ownsBulkDirectory) rmSync(this.bulkDirectory, { recursive: true, force: true });
  }
}
