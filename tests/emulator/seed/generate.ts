import { gammaSample, mulberry32 } from "../../../app/retention/random";
import { simulateCustomer, type BgNbdParams, type GammaGammaParams } from "../../../app/retention/clv/simulate";
import { DAY_MS, WEEK_MS } from "../time";
import type { MarketingState, ProductRecord } from "../store/records";
import { mixSeed } from "./hash";
import { PRODUCT_ADJECTIVES, PRODUCT_NOUNS, VENDORS } from "./names";
import { currencyProfile } from "./profiles";
import { SIZE_PRESETS, type ShopSize } from "./sizes";

/** Bits of `OrderColumns.flags`. */
export const ORDER_FLAG = { TEST: 1, CANCELLED: 2, IMPORTED: 4, DISCOUNTED: 8, POS: 16 } as const;

export const MARKETING_STATES: readonly MarketingState[] = ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "INVALID"];
export const CUSTOMER_TAGS = ["newsletter", "wholesale", "vip-import", "instagram"] as const;
export const NO_BIRTHDAY = -2147483648;

export interface BehaviourShares {
  /** Customers who signed up but never ordered (outside the BG/NBD population). */
  prospect: number;
  /** Extra cancelled orders per real order (not part of the purchase process). */
  cancel: number;
  /** Of cancelled orders, the share that was refunded (the rest were voided without a refund). */
  cancelRefunded: number;
  /** Customers who also have one test order. */
  testCustomer: number;
  refund: number;
  /** Of refunded orders, the share refunded in full. */
  fullRefund: number;
  discount: number;
  imported: number;
  birthday: number;
  noEmail: number;
  phone: number;
  guestCancel: number;
  guestTest: number;
  consent: Record<MarketingState, number>;
}

export const DEFAULT_SHARES: BehaviourShares = {
  prospect: 0.12,
  cancel: 0.03,
  cancelRefunded: 0.75,
  testCustomer: 0.02,
  refund: 0.06,
  fullRefund: 0.35,
  discount: 0.15,
  imported: 0.01,
  birthday: 0.3,
  noEmail: 0.04,
  phone: 0.4,
  guestCancel: 0.02,
  guestTest: 0.01,
  consent: { SUBSCRIBED: 0.42, NOT_SUBSCRIBED: 0.4, UNSUBSCRIBED: 0.12, PENDING: 0.03, INVALID: 0.03 },
};

/** Time unit of the BG/NBD parameters: weeks (Fader–Hardie's CDNOW convention). */
export const DEFAULT_BGNBD: BgNbdParams = { r: 0.65, alpha: 7, a: 0.8, b: 5 };
/** Gamma-Gamma in the shop currency's major units before `spendScale` (mean basket ≈ p·v/(q−1) = 60). */
export const DEFAULT_GG: GammaGammaParams = { p: 6, q: 4, v: 30 };

export interface GenerateOptions {
  seed?: number;
  size?: ShopSize;
  customers?: number;
  orders?: number;
  products?: number;
  historyDays?: number;
  /** End of the generated history; default: today 00:00 UTC. Same options + same asOf ⇒ same data. */
  asOf?: number | Date | string;
  currency?: string;
  timeZone?: string;
  bgnbd?: Partial<BgNbdParams>;
  /** Unscaled Gamma-Gamma; `v` is multiplied by the currency's spend scale. */
  gg?: Partial<GammaGammaParams>;
  shares?: Partial<BehaviourShares>;
}

/** Everything needed to regenerate the shop, and the truth the CLV analytics should recover. */
export interface GenerationParams {
  seed: number;
  size: ShopSize | "custom";
  customers: number;
  targetOrders: number;
  products: number;
  historyDays: number;
  asOf: number;
  currency: string;
  timeZone: string;
  timeUnit: "week";
  bgnbd: BgNbdParams;
  /** Effective Gamma-Gamma in shop-currency major units (v already scaled). */
  gg: GammaGammaParams;
  shares: BehaviourShares;
}

export interface CustomerColumns {
  count: number;
  createdAt: Float64Array;
  updatedAt: Float64Array;
  /** Index into MARKETING_STATES. */
  consent: Uint8Array;
  /** 0 none, 1 SINGLE_OPT_IN, 2 CONFIRMED_OPT_IN, 3 UNKNOWN. */
  optIn: Uint8Array;
  consentUpdatedAt: Float64Array;
  /** 0 DISABLED, 1 ENABLED, 2 INVITED, 3 DECLINED. */
  accountState: Uint8Array;
  /** Bit i set ⇒ CUSTOMER_TAGS[i]. */
  tagBits: Uint8Array;
  /** Days since the epoch, or NO_BIRTHDAY. */
  birthDay: Int32Array;
  /** Bit 0: no email; bit 1: has phone. */
  contact: Uint8Array;
}

export interface OrderColumns {
  count: number;
  customerIndex: Int32Array;
  processedAt: Float64Array;
  createdAt: Float64Array;
  updatedAt: Float64Array;
  totalCents: Float64Array;
  refundCents: Float64Array;
  flags: Uint8Array;
  /** Seeds the order's details (line items, event times), so they regenerate identically on demand. */
  detailSeed: Uint32Array;
}

/** Columnar base data: ~50 bytes per order, so even the 1M-order shop stays small and is never held twice. */
export interface ShopDataset {
  params: GenerationParams;
  products: ProductRecord[];
  customers: CustomerColumns;
  orders: OrderColumns;
  ordersByCustomer: { offsets: Int32Array; indices: Int32Array };
}

export function resolveGenerationParams(options: GenerateOptions = {}): GenerationParams {
  const size = options.size ?? "tiny";
  const preset = SIZE_PRESETS[size];
  const currency = options.currency ?? "USD";
  const profile = currencyProfile(currency);
  const custom = options.customers !== undefined || options.orders !== undefined;
  const gg = { ...DEFAULT_GG, ...options.gg };
  return {
    seed: (options.seed ?? 1) >>> 0,
    size: custom ? "custom" : size,
    customers: options.customers ?? preset.customers,
    targetOrders: options.orders ?? preset.orders,
    products: options.products ?? preset.products,
    historyDays: options.historyDays ?? preset.historyDays,
    asOf: resolveAsOf(options.asOf),
    currency,
    timeZone: options.timeZone ?? profile.timeZone,
    timeUnit: "week",
    bgnbd: { ...DEFAULT_BGNBD, ...options.bgnbd },
    gg: { ...gg, v: gg.v * profile.spendScale },
    shares: { ...DEFAULT_SHARES, ...options.shares, consent: { ...DEFAULT_SHARES.consent, ...options.shares?.consent } },
  };
}

function resolveAsOf(asOf: GenerateOptions["asOf"]): number {
  if (asOf === undefined) return Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const ms = asOf instanceof Date ? asOf.getTime() : typeof asOf === "string" ? Date.parse(asOf) : asOf;
  if (!Number.isFinite(ms)) throw new Error(`Invalid asOf: ${String(asOf)}`);
  return ms;
}

const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

class Growable<T extends Float64Array | Int32Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(
    private readonly make: (size: number) => T,
    capacity: number,
  ) {
    this.data = make(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }
}

interface RawOrders {
  customer: Growable<Int32Array>;
  time: Growable<Float64Array>;
  total: Growable<Float64Array>;
  refund: Growable<Float64Array>;
  flags: Growable<Uint8Array>;
}

export function generateShopData(options: GenerateOptions = {}): ShopDataset {
  const params = resolveGenerationParams(options);
  const { seed, asOf, shares } = params;
  const start = asOf - params.historyDays * DAY_MS;
  const lastMoment = asOf - 60_000;
  const n = params.customers;

  const shopRng = mulberry32(mixSeed(seed, 0x5eed));
  const created = new Float64Array(n);
  for (let i = 0; i < n; i += 1) created[i] = toSecond(start + shopRng() * (lastMoment - DAY_MS - start));
  created.sort();

  const customers: CustomerColumns = {
    count: n,
    createdAt: created,
    updatedAt: new Float64Array(n),
    consent: new Uint8Array(n),
    optIn: new Uint8Array(n),
    consentUpdatedAt: new Float64Array(n),
    accountState: new Uint8Array(n),
    tagBits: new Uint8Array(n),
    birthDay: new Int32Array(n),
    contact: new Uint8Array(n),
  };

  const capacity = Math.ceil(params.targetOrders * 1.2) + 64;
  const raw: RawOrders = {
    customer: new Growable((s) => new Int32Array(s), capacity),
    time: new Growable((s) => new Float64Array(s), capacity),
    total: new Growable((s) => new Float64Array(s), capacity),
    refund: new Growable((s) => new Float64Array(s), capacity),
    flags: new Growable((s) => new Uint8Array(s), capacity),
  };
  const pushOrder = (customer: number, time: number, cents: number, refundCents: number, flags: number): void => {
    raw.customer.push(customer);
    raw.time.push(toSecond(time));
    raw.total.push(cents);
    raw.refund.push(refundCents);
    raw.flags.push(flags);
  };
  const refundFor = (rng: () => number, cents: number): number => {
    if (rng() >= shares.refund) return 0;
    return rng() < shares.fullRefund ? cents : Math.max(1, Math.round(cents * (0.1 + 0.8 * rng())));
  };
  const regularFlags = (rng: () => number): number =>
    (rng() < shares.discount ? ORDER_FLAG.DISCOUNTED : 0) |
    (rng() < shares.imported ? ORDER_FLAG.IMPORTED : 0) |
    (rng() < 0.05 ? ORDER_FLAG.POS : 0);
  const cancelled = (rng: () => number, time: number, cents: number, customer: number): void => {
    pushOrder(customer, time, cents, rng() < shares.cancelRefunded ? cents : 0, ORDER_FLAG.CANCELLED);
  };
  const cents = (amount: number): number => Math.max(100, Math.round(amount * 100));

  for (let i = 0; i < n; i += 1) {
    const rng = mulberry32(mixSeed(seed, 1, i));
    drawCustomerTraits(customers, i, rng, shares, asOf);
    if (rng() < shares.prospect) continue;
    const firstPurchase = Math.min(created[i] + rng() * 3 * DAY_MS, lastMoment - 1000);
    const horizonWeeks = (lastMoment - firstPurchase) / WEEK_MS;
    const history = simulateCustomer(rng, params.bgnbd, params.gg, horizonWeeks);
    for (let k = 0; k < history.times.length; k += 1) {
      const time = firstPurchase + history.times[k] * WEEK_MS;
      if (time > lastMoment) continue;
      const total = cents(history.amounts[k]);
      pushOrder(i, time, total, refundFor(rng, total), regularFlags(rng));
      if (rng() < shares.cancel) {
        const when = firstPurchase + rng() * (lastMoment - firstPurchase);
        cancelled(rng, when, cents(history.amounts[k] * (0.5 + rng())), i);
      }
    }
    if (rng() < shares.testCustomer) {
      pushOrder(i, firstPurchase + rng() * (lastMoment - firstPurchase), cents(history.amounts[0]), 0, ORDER_FLAG.TEST);
    }
  }

  const guestCount = Math.max(0, params.targetOrders - raw.time.length);
  for (let g = 0; g < guestCount; g += 1) {
    const rng = mulberry32(mixSeed(seed, 2, g));
    const time = start + rng() * (lastMoment - start);
    const nu = gammaSample(rng, params.gg.q, 1 / params.gg.v);
    const total = cents(gammaSample(rng, params.gg.p, 1 / nu));
    const roll = rng();
    if (roll < shares.guestCancel) cancelled(rng, time, total, -1);
    else if (roll < shares.guestCancel + shares.guestTest) pushOrder(-1, time, total, 0, ORDER_FLAG.TEST);
    else pushOrder(-1, time, total, refundFor(rng, total), regularFlags(rng));
  }

  const orders = sortOrders(raw, seed, asOf);
  const ordersByCustomer = indexByCustomer(orders, n);
  for (let i = 0; i < n; i += 1) {
    let updated = Math.max(created[i], Number.isNaN(customers.consentUpdatedAt[i]) ? 0 : customers.consentUpdatedAt[i]);
    const last = ordersByCustomer.offsets[i + 1] - 1;
    if (last >= ordersByCustomer.offsets[i]) updated = Math.max(updated, orders.processedAt[ordersByCustomer.indices[last]]);
    customers.updatedAt[i] = updated;
  }
  return { params, products: generateProducts(params, start), customers, orders, ordersByCustomer };
}

function drawCustomerTraits(columns: CustomerColumns, i: number, rng: () => number, shares: BehaviourShares, asOf: number): void {
  const created = columns.createdAt[i];
  const noEmail = rng() < shares.noEmail;
  const phone = rng() < shares.phone;
  columns.contact[i] = (noEmail ? 1 : 0) | (phone ? 2 : 0);

  let consent = pickWeighted(
    rng,
    MARKETING_STATES.map((state) => shares.consent[state]),
  );
  if (noEmail) consent = 1;
  columns.consent[i] = consent;
  const state = MARKETING_STATES[consent];
  columns.optIn[i] = state === "SUBSCRIBED" ? (rng() < 0.7 ? 1 : 2) : state === "PENDING" ? 2 : state === "UNSUBSCRIBED" ? 1 : 0;
  columns.consentUpdatedAt[i] =
    state === "NOT_SUBSCRIBED" ? Number.NaN : state === "UNSUBSCRIBED" ? toSecond(created + rng() * (asOf - 60_000 - created)) : created;

  columns.accountState[i] = pickWeighted(rng, [0.62, 0.3, 0.06, 0.02]);
  let tags = 0;
  if (state === "SUBSCRIBED" && rng() < 0.6) tags |= 1;
  if (rng() < 0.03) tags |= 2;
  if (rng() < 0.04) tags |= 4;
  if (rng() < 0.1) tags |= 8;
  columns.tagBits[i] = tags;

  if (rng() < shares.birthday) {
    const year = 1955 + Math.floor(rng() * 52);
    columns.birthDay[i] = Math.floor(Date.UTC(year, 0, 1) / DAY_MS) + Math.floor(rng() * 365);
  } else {
    columns.birthDay[i] = NO_BIRTHDAY;
  }
}

function pickWeighted(rng: () => number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let roll = rng() * total;
  for (let k = 0; k < weights.length; k += 1) {
    roll -= weights[k];
    if (roll < 0) return k;
  }
  return weights.length - 1;
}

const SEQ_SPACE = 2 ** 21;

/** Chronological order ids, like Shopify's: sort by (second, generation sequence). */
function sortOrders(raw: RawOrders, seed: number, asOf: number): OrderColumns {
  const count = raw.time.length;
  const permutation = new Int32Array(count);
  if (count < SEQ_SPACE) {
    // Packing (second, sequence) into one exact double lets the native numeric sort do the work.
    const keys = new Float64Array(count);
    for (let s = 0; s < count; s += 1) keys[s] = (raw.time.data[s] / 1000) * SEQ_SPACE + s;
    keys.sort();
    for (let j = 0; j < count; j += 1) permutation[j] = keys[j] % SEQ_SPACE;
  } else {
    for (let s = 0; s < count; s += 1) permutation[s] = s;
    permutation.sort((x, y) => raw.time.data[x] - raw.time.data[y] || x - y);
  }
  const orders: OrderColumns = {
    count,
    customerIndex: new Int32Array(count),
    processedAt: new Float64Array(count),
    createdAt: new Float64Array(count),
    updatedAt: new Float64Array(count),
    totalCents: new Float64Array(count),
    refundCents: new Float64Array(count),
    flags: new Uint8Array(count),
    detailSeed: new Uint32Array(count),
  };
  for (let j = 0; j < count; j += 1) {
    const s = permutation[j];
    orders.customerIndex[j] = raw.customer.data[s];
    orders.processedAt[j] = raw.time.data[s];
    orders.totalCents[j] = raw.total.data[s];
    orders.refundCents[j] = raw.refund.data[s];
    orders.flags[j] = raw.flags.data[s];
    orders.detailSeed[j] = mixSeed(seed, 3, s);
    const timeline = orderTimeline(orders.detailSeed[j], orders.processedAt[j], orders.flags[j], orders.refundCents[j], asOf);
    orders.createdAt[j] = timeline.createdAt;
    orders.updatedAt[j] = timeline.updatedAt;
  }
  return orders;
}

export interface OrderTimeline {
  createdAt: number;
  cancelledAt: number | null;
  refundedAt: number | null;
  closedAt: number | null;
  updatedAt: number;
}

/** Event times of a generated order, derived from its detail seed so they can be recomputed identically later. */
export function orderTimeline(detailSeed: number, processedAt: number, flags: number, refundCents: number, asOf: number): OrderTimeline {
  const rng = mulberry32(mixSeed(detailSeed, 1));
  const latest = Math.max(processedAt, asOf - 60_000);
  const within = (ms: number): number => toSecond(Math.min(Math.max(ms, processedAt), latest));
  const importedDelay = (1 + rng() * 30) * DAY_MS;
  const cancelDelay = rng() * 3 * DAY_MS;
  const refundDelay = (1 + rng() * 20) * DAY_MS;
  const closeDelay = (2 + rng() * 5) * DAY_MS;
  const touch = rng() * 2 * 3_600_000;

  const createdAt = flags & ORDER_FLAG.IMPORTED ? within(processedAt + importedDelay) : processedAt;
  const cancelledAt = flags & ORDER_FLAG.CANCELLED ? within(processedAt + cancelDelay) : null;
  const refundedAt = refundCents > 0 ? (cancelledAt ?? within(processedAt + refundDelay)) : null;
  const closeAt = within(processedAt + closeDelay);
  const closedAt = cancelledAt ?? (closeAt < latest ? closeAt : null);
  const lastEvent = Math.max(createdAt, cancelledAt ?? 0, refundedAt ?? 0, closedAt ?? 0);
  return { createdAt, cancelledAt, refundedAt, closedAt, updatedAt: within(lastEvent + touch) };
}

function indexByCustomer(orders: OrderColumns, customerCount: number): ShopDataset["ordersByCustomer"] {
  const offsets = new Int32Array(customerCount + 1);
  for (let j = 0; j < orders.count; j += 1) {
    const c = orders.customerIndex[j];
    if (c >= 0) offsets[c + 1] += 1;
  }
  for (let c = 0; c < customerCount; c += 1) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, customerCount);
  const indices = new Int32Array(offsets[customerCount]);
  for (let j = 0; j < orders.count; j += 1) {
    const c = orders.customerIndex[j];
    if (c >= 0) {
      indices[fill[c]] = j;
      fill[c] += 1;
    }
  }
  return { offsets, indices };
}

function generateProducts(params: GenerationParams, historyStart: number): ProductRecord[] {
  const rng = mulberry32(mixSeed(params.seed, 4));
  const meanBasket = (params.gg.p * params.gg.v) / Math.max(0.5, params.gg.q - 1);
  const seen = new Set<string>();
  const products: ProductRecord[] = [];
  for (let k = 0; k < params.products; k += 1) {
    let title = `${PRODUCT_ADJECTIVES[Math.floor(rng() * PRODUCT_ADJECTIVES.length)]} ${PRODUCT_NOUNS[Math.floor(rng() * PRODUCT_NOUNS.length)]}`;
    if (seen.has(title)) title = `${title} No. ${k + 1}`;
    seen.add(title);
    products.push({
      index: k,
      id: 0,
      title,
      handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      vendor: VENDORS[Math.floor(rng() * VENDORS.length)],
      productType: title.split(" ").slice(-1)[0],
      sku: `KIN-${String(k + 1).padStart(4, "0")}`,
      priceCents: Math.max(100, Math.round(meanBasket * (0.2 + rng()) * 100)),
      createdAt: toSecond(historyStart - 30 * DAY_MS),
    });
  }
  return products;
}
