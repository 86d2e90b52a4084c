import { createHmac, randomUUID } from "node:crypto";
import { Agent, request } from "undici";
import { API_VERSION } from "./config";

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body, keyed with the app's client secret. */
export function webhookHmac(body: string | Buffer, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(body).digest("base64");
}

export interface PreparedWebhook {
  shop: string;
  topic: string;
  body: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  apiVersion: string;
}

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export interface WebhookDelivery {
  webhook: PreparedWebhook;
  url: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
  /** Settles when the delivery succeeded or ran out of retries. */
  done: Promise<void>;
}

export interface SendOptions {
  /** Wait before the first attempt (to deliver out of order on purpose). */
  delayMs?: number;
  /** Also send extra identical copies (same webhook id), as Shopify's at-least-once delivery can. */
  duplicate?: boolean | number;
}

export interface WebhookSenderOptions {
  apiSecret: string;
  maxAttempts?: number;
  /** Waits between attempts; the last value repeats. Shopify spaces its retries over hours; tests need ms. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  allowNonLoopback?: boolean;
  /**
   * Deliveries in flight to one app at a time; the rest wait their turn. Shopify queues an event burst (a
   * bulk tag write fires thousands of customer webhooks) and documents no figure; it does not open thousands
   * of connections to one endpoint at once, which would starve the app's page requests. The wait in the
   * queue is not counted against an attempt's timeout. Default 8.
   */
  maxInFlightPerApp?: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** At-least-once delivery with retries on non-2xx answers and network errors. */
export class WebhookSender {
  readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agent = new Agent({ connect: { timeout: 5_000 } });
  private closed = false;
  private readonly lanes = new Map<string, DeliveryLane>();

  constructor(private readonly options: WebhookSenderOptions) {}

  prepare(
    shop: string,
    topic: string,
    payload: unknown,
    ids: { webhookId?: string; eventId?: string; triggeredAt?: string } = {},
  ): PreparedWebhook {
    return {
      shop,
      topic,
      body: JSON.stringify(payload),
      webhookId: ids.webhookId ?? randomUUID(),
      eventId: ids.eventId ?? randomUUID(),
      triggeredAt: ids.triggeredAt ?? new Date().toISOString(),
      apiVersion: API_VERSION,
    };
  }

  headers(webhook: PreparedWebhook): Record<string, string> {
    return {
      "content-type": "application/json",
      "x-shopify-topic": webhook.topic,
      "x-shopify-shop-domain": webhook.shop,
      "x-shopify-webhook-id": webhook.webhookId,
      "x-shopify-event-id": webhook.eventId,
      "x-shopify-triggered-at": webhook.triggeredAt,
      "x-shopify-api-version": webhook.apiVersion,
      "x-shopify-hmac-sha256": webhookHmac(webhook.body, this.options.apiSecret),
    };
  }

  send(webhook: PreparedWebhook, url: string, options: SendOptions = {}): WebhookDelivery[] {
    const target = new URL(url);
    if (!this.options.allowNonLoopback && !LOOPBACK.has(target.hostname)) {
      throw new Error(`Emulator webhooks only go to loopback addresses, not ${target.host}`);
    }
    const copies = 1 + (options.duplicate === true ? 1 : typeof options.duplicate === "number" ? options.duplicate : 0);
    const deliveries: WebhookDelivery[] = [];
    for (let copy = 0; copy < copies; copy += 1) {
      const delivery = { webhook, url, attempts: [], delivered: false } as unknown as WebhookDelivery;
      const done = this.run(delivery, options.delayMs ?? 0);
      delivery.done = done;
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
      this.log.push(delivery);
      deliveries.push(delivery);
    }
    return deliveries;
  }

  /** Resolves once every delivery started so far (and any started meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    await this.agent.close();
  }

  private lane(url: string): DeliveryLane {
    const origin = new URL(url).origin;
    let lane = this.lanes.get(origin);
    if (!lane) {
      lane = new DeliveryLane(this.options.maxInFlightPerApp ?? 8);
      this.lanes.set(origin, lane);
    }
    return lane;
  }

  private async run(delivery: WebhookDelivery, delayMs: number): Promise<void> {
    if (delayMs > 0) await sleep(delayMs);
    const maxAttempts = this.options.maxAttempts ?? 5;
    const delays = this.options.retryDelaysMs ?? [50, 200, 500, 1000];
    for (let attempt = 1; attempt <= maxAttempts && !this.closed; attempt += 1) {
      const lane = this.lane(delivery.url);
      await lane.enter();
      if (this.closed) {
        lane.leave();
        return;
      }
      const entry: DeliveryAttempt = { at: Date.now(), status: null };
      delivery.attempts.push(entry);
      try {
        const response = await request(delivery.url, {
          method: "POST",
          headers: this.headers(delivery.webhook),
          body: delivery.webhook.body,
          dispatcher: this.agent,
          headersTimeout: this.options.timeoutMs ?? 5_000,
          bodyTimeout: this.options.timeoutMs ?? 5_000,
        });
        entry.status = response.statusCode;
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) {
          delivery.delivered = true;
          return;
        }
      } catch (error) {
        entry.error = (error as Error).message;
      } finally {
        lane.leave();
      }
      if (attempt < maxAttempts) await sleep(delays[Math.min(attempt - 1, delays.length - 1)]);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GraphQL enum (ORDERS_CREATE) ↔ header topic (orders/create); a few topics don't follow the simple rule. */
const TOPIC_EXCEPTIONS: Record<string, string> = {
  BULK_OPERATIONS_FINISH: "bulk_operations/finish",
  CUSTOMERS_DATA_REQUEST: "customers/data_request",
  CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE: "customers_email_marketing_consent/update",
  CUSTOMERS_MARKETING_CONSENT_UPDATE: "customers_marketing_consent/update",
  APP_SCOPES_UPDATE: "app/scopes_update",
  CUSTOMER_TAGS_ADDED: "customer.tags_added",
  CUSTOMER_TAGS_REMOVED: "customer.tags_removed",
};

export function topicFromEnum(value: string): string {
  return TOPIC_EXCEPTIONS[value] ?? value.toLowerCase().replace(/_([a-z]+)$/, "/$1");
}

export function topicToEnum(topic: string): string {
  const exception = Object.entries(TOPIC_EXCEPTIONS).find(([, header]) => header === topic);
  return exception ? exception[0] : topic.replace(/[/.]/g, "_").toUpperCase();
}

/** At most `size` deliveries in flight to one app; the others wait in arrival order. */
class DeliveryLane {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async enter(): Promise<void> {
    if (this.inFlight < this.size) {
      this.inFlight += 1;
      return;
    }
    // The slot is handed over by leave(), so inFlight stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}
