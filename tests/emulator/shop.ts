import type { FulfillmentRecord } from "./fulfillments";
import type { Clock } from "./clock";
import { BulkOperationStore } from "./bulk/operations";
import { generateShopData, type GenerateOptions, type GenerationParams } from "./seed/generate";
import { hashString, mixSeed } from "./seed/hash";
import { DiscountStore } from "./store/discounts";
import { StoreCreditStore } from "./store/store-credit";
import { MetafieldStore, type MetafieldDefinitionRecord } from "./store/metafields";
import { IdScheme, ShopData, type ShopTruth } from "./store/shop-data";
import { LeakyBucket, PLAN_LIMITS, type PlanName, type ThrottleLimits } from "./throttle";

export interface ShopSeed extends GenerateOptions {
  /** "kinship-demo" or "kinship-demo.myshopify.com". */
  domain: string;
  name?: string;
  email?: string;
  plan?: PlanName;
  /** Overrides the plan's bucket (e.g. a tiny bucket for throttle tests). */
  throttle?: ThrottleLimits;
  /** Bulk query operations allowed at once; 5 on 2026-04. */
  bulkQueryConcurrency?: number;
  /** If set, flowTriggerReceive rejects other handles (as Shopify does for triggers the app hasn't deployed). */
  flowTriggerHandles?: string[];
  /** The shop's languages, the first one primary (`shopLocales`); default English only. */
  locales?: string[];
}

/** A locale enabled on the shop (`ShopLocale`: locale, name, primary, published). */
export interface ShopLocaleRecord {
  locale: string;
  primary: boolean;
  published: boolean;
}

export function normalizeShopDomain(domain: string): string {
  const lower = domain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "");
  return lower.endsWith(".myshopify.com") ? lower : `${lower}.myshopify.com`;
}

export interface SegmentRecord {
  id: number;
  name: string;
  query: string;
  creationDate: number;
  lastEditDate: number;
}

export interface FlowTriggerRecord {
  handle: string;
  payload: unknown;
  receivedAt: number;
}

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string;
  uri: string;
  format: "JSON" | "XML";
  filter: string | null;
  includeFields: string[];
  createdAt: number;
  updatedAt: number;
}

/** One emulated shop: its data, its app-facing state (discounts, segments, …) and its rate-limit bucket. */
export class ShopState {
  readonly domain: string;
  readonly name: string;
  readonly email: string;
  readonly shopId: number;
  readonly currency: string;
  readonly timeZone: string;
  readonly locales: ShopLocaleRecord[];
  readonly generation: GenerationParams;
  readonly data: ShopData;
  readonly bucket: LeakyBucket;
  readonly metafields: MetafieldStore;
  readonly metafieldDefinitions = new Map<string, MetafieldDefinitionRecord>();
  readonly discounts = new DiscountStore();
  readonly storeCredit = new StoreCreditStore();
  readonly segments = new Map<number, SegmentRecord>();
  readonly flowTriggers: FlowTriggerRecord[] = [];
  readonly fulfillments = new Map<number, FulfillmentRecord>();
  readonly webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  readonly bulk = new BulkOperationStore();
  readonly createdAt: number;
  flowTriggerHandles: string[] | null;
  plan: PlanName;
  /** False after app/uninstalled: tokens are revoked and token exchange is refused until reinstall. */
  installed = true;
  private counter: number;

  constructor(seed: ShopSeed, clock: Clock) {
    this.domain = normalizeShopDomain(seed.domain);
    const handle = this.domain.replace(".myshopify.com", "");
    const salt = mixSeed(seed.seed ?? 1, hashString(this.domain)) % 900;
    const dataset = generateShopData(seed);
    this.generation = dataset.params;
    this.data = new ShopData(dataset, new IdScheme(salt));
    this.currency = dataset.params.currency;
    this.timeZone = dataset.params.timeZone;
    this.locales = (seed.locales ?? ["en"]).map((locale, i) => ({ locale, primary: i === 0, published: true }));
    this.name =
      seed.name ??
      handle
        .split("-")
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(" ");
    this.email = seed.email ?? `owner@${handle}.example.com`;
    this.shopId = 60_000_000_000 + salt * 1000 + 1;
    this.createdAt = dataset.params.asOf - (dataset.params.historyDays + 45) * 86_400_000;
    this.plan = seed.plan ?? "basic";
    this.bucket = new LeakyBucket(seed.throttle ?? PLAN_LIMITS[this.plan], clock);
    this.metafields = new MetafieldStore(this.data, salt);
    this.bulk.controls.concurrency = seed.bulkQueryConcurrency ?? this.bulk.controls.concurrency;
    this.flowTriggerHandles = seed.flowTriggerHandles ?? null;
    this.counter = 1_000_000 + salt * 100_000;
  }

  /** Ids for objects created through the API (discounts, segments, bulk operations…). */
  nextId(): number {
    this.counter += 1;
    return this.counter;
  }

  setPlan(plan: PlanName, limits?: ThrottleLimits): void {
    this.plan = plan;
    this.bucket.setLimits(limits ?? PLAN_LIMITS[plan]);
  }

  setThrottle(limits: ThrottleLimits): void {
    this.bucket.setLimits(limits);
  }

  /** Per-customer order count and net spend a correct sync must reproduce. */
  truth(): ShopTruth {
    return this.data.truth();
  }
}
