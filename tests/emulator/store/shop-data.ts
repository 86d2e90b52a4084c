import { mulberry32 } from "../../../app/retention/random";
import { mixSeed } from "../seed/hash";
import {
  CUSTOMER_TAGS,
  MARKETING_STATES,
  NO_BIRTHDAY,
  ORDER_FLAG,
  orderTimeline,
  type GenerationParams,
  type ShopDataset,
} from "../seed/generate";
import { DISCOUNT_CODES, FIRST_NAMES, LAST_NAMES } from "../seed/names";
import { currencyProfile, type CurrencyProfile } from "../seed/profiles";
import { gid } from "../ids";
import { restMoneyString } from "../money";
import { DAY_MS } from "../time";
import {
  summarizeOrder,
  type CancelReason,
  type CustomerAccountState,
  type CustomerRecord,
  type LineItemRecord,
  type MarketingOptInLevel,
  type OrderRecord,
  type OrderSummary,
  type ProductRecord,
} from "./records";

/** Per-shop id ranges, salted so two seeded shops in one process never share an id. */
export class IdScheme {
  constructor(readonly salt: number) {}
  customer = (index: number): number => 7_400_000_000_000 + this.salt * 10_000_000 + index + 1;
  order = (index: number): number => 5_600_000_000_000 + this.salt * 10_000_000 + index + 1;
  refund = (index: number, k = 0): number => 900_000_000_000 + this.salt * 100_000_000 + index * 4 + k + 1;
  lineItem = (orderIndex: number, k: number): number => 13_000_000_000_000 + this.salt * 100_000_000 + orderIndex * 8 + k + 1;
  product = (index: number): number => 8_100_000_000_000 + this.salt * 10_000 + index + 1;
  birthdayMetafield = (customerIndex: number): number => 30_000_000_000_000 + this.salt * 10_000_000 + customerIndex + 1;
  customerIndex = (id: number): number => id - (7_400_000_000_000 + this.salt * 10_000_000) - 1;
  orderIndex = (id: number): number => id - (5_600_000_000_000 + this.salt * 10_000_000) - 1;
  productIndex = (id: number): number => id - (8_100_000_000_000 + this.salt * 10_000) - 1;
}

export interface CustomerStats {
  /** Shopify's `numberOfOrders`: every non-test order, cancelled ones included. */
  numberOfOrders: number;
  /** Shopify's `amountSpent`: non-test, non-cancelled orders net of refunds. */
  amountSpentCents: number;
  lastOrderIndex: number;
  truthOrders: number;
  truthSpendCents: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

export interface CustomerTruth {
  customerId: string;
  orders: number;
  netSpendCents: number;
  /** Two-decimal string, e.g. "120.50". */
  netSpend: string;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

/** What a sync must end up with: per customer and per shop, excluding test and cancelled orders, net of refunds. */
export interface ShopTruth {
  currency: string;
  customers: Map<string, CustomerTruth>;
  guest: { orders: number; netSpendCents: number };
  shop: { orders: number; netSpendCents: number };
  excluded: { test: number; cancelled: number };
}

type NewOrderInput = Omit<OrderRecord, "index" | "id" | "name" | "number">;
type NewCustomerInput = Omit<CustomerRecord, "index" | "id">;

/**
 * The shop's customers and orders: the generated columns plus an overlay of everything changed or created since.
 * Records are materialised on demand and never cached, so memory stays at the columns' size.
 */
export class ShopData {
  readonly params: GenerationParams;
  readonly profile: CurrencyProfile;
  readonly products: ProductRecord[];
  private readonly base: ShopDataset;
  private readonly customerOverrides = new Map<number, CustomerRecord>();
  private readonly orderOverrides = new Map<number, OrderRecord>();
  /** Orders that joined a customer after generation (new orders or reassignments). */
  private readonly extraOrdersByCustomer = new Map<number, number[]>();
  private extraCustomers = 0;
  /** Deleted records keep their index (ids stay stable) but are no longer found or counted. */
  private readonly deletedCustomers = new Set<number>();
  private readonly deletedOrders = new Set<number>();
  private extraOrders = 0;
  // One-entry memos: a bulk line asks for the same customer (and its stats) several times in a row.
  private lastCustomer: CustomerRecord | null = null;
  private lastStats: { index: number; stats: CustomerStats } | null = null;

  constructor(
    dataset: ShopDataset,
    readonly ids: IdScheme,
  ) {
    this.base = dataset;
    this.params = dataset.params;
    this.profile = currencyProfile(dataset.params.currency);
    this.products = dataset.products.map((product) => ({ ...product, id: ids.product(product.index) }));
  }

  get customerCount(): number {
    return this.base.customers.count + this.extraCustomers;
  }

  get orderCount(): number {
    return this.base.orders.count + this.extraOrders;
  }

  get baseOrderCount(): number {
    return this.base.orders.count;
  }

  customerGid(index: number): string {
    return gid("Customer", this.ids.customer(index));
  }

  orderGid(index: number): string {
    return gid("Order", this.ids.order(index));
  }

  /** Index for a numeric customer id, or -1. */
  findCustomer(id: number): number {
    const index = this.ids.customerIndex(id);
    return Number.isInteger(index) && index >= 0 && index < this.customerCount && !this.deletedCustomers.has(index) ? index : -1;
  }

  findOrder(id: number): number {
    const index = this.ids.orderIndex(id);
    return Number.isInteger(index) && index >= 0 && index < this.orderCount && !this.deletedOrders.has(index) ? index : -1;
  }

  deleteCustomer(index: number): void {
    this.lastCustomer = null;
    this.lastStats = null;
    this.deletedCustomers.add(index);
  }

  deleteOrder(index: number): void {
    this.lastStats = null;
    this.deletedOrders.add(index);
  }

  findProduct(id: number): ProductRecord | null {
    return this.products[this.ids.productIndex(id)] ?? null;
  }

  orderSummary(index: number): OrderSummary {
    const override = this.orderOverrides.get(index);
    if (override) return summarizeOrder(override);
    const o = this.base.orders;
    const flags = o.flags[index];
    return {
      index,
      customerIndex: o.customerIndex[index],
      createdAt: o.createdAt[index],
      processedAt: o.processedAt[index],
      updatedAt: o.updatedAt[index],
      test: (flags & ORDER_FLAG.TEST) !== 0,
      cancelled: (flags & ORDER_FLAG.CANCELLED) !== 0,
      totalCents: o.totalCents[index],
      refundedCents: o.refundCents[index],
    };
  }

  /** Cheap timestamps for sorting and filtering large shops without materialising orders. */
  orderTime(index: number, field: "createdAt" | "processedAt" | "updatedAt"): number {
    const override = this.orderOverrides.get(index);
    if (override) return override[field];
    return this.base.orders[field][index];
  }

  customerTime(index: number, field: "createdAt" | "updatedAt"): number {
    const override = this.customerOverrides.get(index);
    if (override) return override[field];
    return this.base.customers[field][index];
  }

  customerOrderIndices(customerIndex: number): number[] {
    if (this.deletedOrders.size) return this.liveCustomerOrderIndices(customerIndex).filter((o) => !this.deletedOrders.has(o));
    return this.liveCustomerOrderIndices(customerIndex);
  }

  private liveCustomerOrderIndices(customerIndex: number): number[] {
    const result: number[] = [];
    const { offsets, indices } = this.base.ordersByCustomer;
    if (this.orderOverrides.size === 0 && customerIndex < this.base.customers.count) {
      return Array.from(indices.subarray(offsets[customerIndex], offsets[customerIndex + 1]));
    }
    if (customerIndex < this.base.customers.count) {
      for (let k = offsets[customerIndex]; k < offsets[customerIndex + 1]; k += 1) {
        const orderIndex = indices[k];
        if (!this.orderOverrides.has(orderIndex) || this.orderOverrides.get(orderIndex)?.customerIndex === customerIndex) {
          result.push(orderIndex);
        }
      }
    }
    for (const orderIndex of this.extraOrdersByCustomer.get(customerIndex) ?? []) {
      if (this.orderSummary(orderIndex).customerIndex === customerIndex && !result.includes(orderIndex)) {
        result.push(orderIndex);
      }
    }
    return result.sort((x, y) => this.orderTime(x, "processedAt") - this.orderTime(y, "processedAt") || x - y);
  }

  customerStats(customerIndex: number): CustomerStats {
    if (this.lastStats?.index === customerIndex) return this.lastStats.stats;
    const stats: CustomerStats = {
      numberOfOrders: 0,
      amountSpentCents: 0,
      lastOrderIndex: -1,
      truthOrders: 0,
      truthSpendCents: 0,
      firstOrderAt: null,
      lastOrderAt: null,
    };
    for (const orderIndex of this.customerOrderIndices(customerIndex)) {
      const s = this.orderSummary(orderIndex);
      if (s.test) continue;
      stats.numberOfOrders += 1;
      stats.lastOrderIndex = orderIndex;
      if (s.cancelled) continue;
      stats.truthOrders += 1;
      stats.truthSpendCents += s.totalCents - s.refundedCents;
      stats.firstOrderAt ??= s.processedAt;
      stats.lastOrderAt = s.processedAt;
    }
    stats.amountSpentCents = stats.truthSpendCents;
    this.lastStats = { index: customerIndex, stats };
    return stats;
  }

  customer(index: number): CustomerRecord {
    const override = this.customerOverrides.get(index);
    if (override) return override;
    if (this.lastCustomer?.index === index) return this.lastCustomer;
    if (index < 0 || index >= this.base.customers.count) throw new Error(`No customer at index ${index}`);
    const c = this.base.customers;
    const { firstName, lastName, email, rng } = this.customerIdentity(index);
    const contact = c.contact[index];
    const phone = contact & 2 ? `${this.profile.phonePrefix}${String(Math.floor(rng() * 9_000_000) + 1_000_000)}` : null;
    const tags = CUSTOMER_TAGS.filter((_, bit) => c.tagBits[index] & (1 << bit));
    const birth = c.birthDay[index];
    this.lastCustomer = {
      index,
      id: this.ids.customer(index),
      firstName,
      lastName,
      email,
      phone,
      locale: rng() < 0.25 ? "en" : this.profile.locale,
      countryCode: this.profile.countryCode,
      city: this.profile.city,
      state: (["DISABLED", "ENABLED", "INVITED", "DECLINED"] as CustomerAccountState[])[c.accountState[index]],
      verifiedEmail: email !== null && rng() < 0.9,
      marketingState: MARKETING_STATES[c.consent[index]],
      marketingOptInLevel: ([null, "SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"] as (MarketingOptInLevel | null)[])[c.optIn[index]],
      marketingUpdatedAt: Number.isNaN(c.consentUpdatedAt[index]) ? null : c.consentUpdatedAt[index],
      tags: [...tags],
      note: null,
      taxExempt: false,
      birthDate: birth === NO_BIRTHDAY ? null : new Date(birth * DAY_MS).toISOString().slice(0, 10),
      createdAt: c.createdAt[index],
      updatedAt: c.updatedAt[index],
    };
    return this.lastCustomer;
  }

  private customerIdentity(index: number): { firstName: string; lastName: string; email: string | null; rng: () => number } {
    const rng = mulberry32(mixSeed(this.params.seed, 5, index));
    const firstName = FIRST_NAMES[Math.floor(rng() * FIRST_NAMES.length)];
    const lastName = LAST_NAMES[Math.floor(rng() * LAST_NAMES.length)];
    const noEmail = (this.base.customers.contact[index] & 1) !== 0;
    const email = noEmail ? null : `${firstName}.${lastName}.${index + 1}@example.com`.toLowerCase();
    return { firstName, lastName, email, rng };
  }

  customerEmail(index: number): string | null {
    const override = this.customerOverrides.get(index);
    if (override) return override.email;
    return this.customerIdentity(index).email;
  }

  order(index: number): OrderRecord {
    const override = this.orderOverrides.get(index);
    if (override) return override;
    if (index < 0 || index >= this.base.orders.count) throw new Error(`No order at index ${index}`);
    const o = this.base.orders;
    const flags = o.flags[index];
    const totalCents = o.totalCents[index];
    const refundCents = o.refundCents[index];
    const timeline = orderTimeline(o.detailSeed[index], o.processedAt[index], flags, refundCents, this.params.asOf);
    const rng = mulberry32(mixSeed(o.detailSeed[index], 2));

    let subtotalCents = totalCents;
    const discountCodes: OrderRecord["discountCodes"] = [];
    if (flags & ORDER_FLAG.DISCOUNTED) {
      const code = DISCOUNT_CODES[Math.floor(rng() * DISCOUNT_CODES.length)];
      subtotalCents = Math.round(totalCents / 0.9);
      discountCodes.push({ code, amountCents: subtotalCents - totalCents, type: "percentage" });
    }
    const lineItems = this.splitIntoLineItems(index, subtotalCents, rng);
    const customerIndex = o.customerIndex[index];
    const cancelled = (flags & ORDER_FLAG.CANCELLED) !== 0;
    const reasons: CancelReason[] = ["CUSTOMER", "INVENTORY", "DECLINED", "OTHER"];
    return {
      index,
      id: this.ids.order(index),
      name: `#${1001 + index}`,
      number: index + 1,
      customerIndex,
      email: customerIndex >= 0 ? this.customerEmail(customerIndex) : `guest.${index + 1}@example.net`,
      createdAt: timeline.createdAt,
      processedAt: o.processedAt[index],
      updatedAt: timeline.updatedAt,
      cancelledAt: timeline.cancelledAt,
      cancelReason: cancelled ? reasons[Math.floor(rng() * reasons.length)] : null,
      closedAt: timeline.closedAt,
      test: (flags & ORDER_FLAG.TEST) !== 0,
      sourceName: flags & ORDER_FLAG.POS ? "pos" : "web",
      tags: flags & ORDER_FLAG.IMPORTED ? ["imported"] : [],
      note: null,
      lineItems,
      discountCodes,
      subtotalCents,
      totalDiscountsCents: subtotalCents - totalCents,
      totalTaxCents: 0,
      shippingCents: 0,
      totalCents,
      refunds:
        refundCents > 0
          ? [
              {
                id: this.ids.refund(index),
                createdAt: timeline.refundedAt ?? timeline.updatedAt,
                amountCents: refundCents,
                note: cancelled ? "Order cancelled" : null,
              },
            ]
          : [],
      fulfilled: !cancelled && timeline.closedAt !== null,
    };
  }

  private splitIntoLineItems(orderIndex: number, subtotalCents: number, rng: () => number): LineItemRecord[] {
    const count = this.products.length === 0 ? 0 : 1 + Math.floor(rng() * 3);
    const weights = Array.from({ length: count }, () => 0.2 + rng());
    const weightSum = weights.reduce((a, b) => a + b, 0);
    let remaining = subtotalCents;
    return weights.map((weight, k) => {
      const product = this.products[Math.floor(rng() * this.products.length)];
      const lineTotal = k === count - 1 ? remaining : Math.floor((subtotalCents * weight) / weightSum);
      remaining -= lineTotal;
      const quantity = rng() < 0.25 && lineTotal % 2 === 0 ? 2 : 1;
      return {
        id: this.ids.lineItem(orderIndex, k),
        productIndex: product.index,
        title: product.title,
        variantTitle: null,
        sku: product.sku,
        vendor: product.vendor,
        quantity,
        unitPriceCents: lineTotal / quantity,
      };
    });
  }

  /** Replaces an order (mutations); keeps the per-customer index right when the customer changes. */
  putOrder(record: OrderRecord): void {
    this.lastStats = null;
    const before = record.index < this.orderCount ? this.orderSummary(record.index).customerIndex : -1;
    this.orderOverrides.set(record.index, record);
    if (record.customerIndex >= 0 && record.customerIndex !== before) {
      const list = this.extraOrdersByCustomer.get(record.customerIndex) ?? [];
      list.push(record.index);
      this.extraOrdersByCustomer.set(record.customerIndex, list);
    }
  }

  putCustomer(record: CustomerRecord): void {
    this.lastCustomer = null;
    this.lastStats = null;
    this.customerOverrides.set(record.index, record);
  }

  createOrder(input: NewOrderInput): OrderRecord {
    const index = this.orderCount;
    this.extraOrders += 1;
    const record: OrderRecord = { ...input, index, id: this.ids.order(index), name: `#${1001 + index}`, number: index + 1 };
    this.putOrder(record);
    return record;
  }

  createCustomer(input: NewCustomerInput): CustomerRecord {
    const index = this.customerCount;
    this.extraCustomers += 1;
    const record: CustomerRecord = { ...input, index, id: this.ids.customer(index) };
    this.putCustomer(record);
    return record;
  }

  truth(): ShopTruth {
    const customers = new Map<string, CustomerTruth>();
    const perCustomer = Array.from({ length: this.customerCount }, () => ({
      orders: 0,
      spend: 0,
      first: null as number | null,
      last: null as number | null,
    }));
    const truth: ShopTruth = {
      currency: this.params.currency,
      customers,
      guest: { orders: 0, netSpendCents: 0 },
      shop: { orders: 0, netSpendCents: 0 },
      excluded: { test: 0, cancelled: 0 },
    };
    for (let index = 0; index < this.orderCount; index += 1) {
      if (this.deletedOrders.has(index)) continue;
      const s = this.orderSummary(index);
      if (s.test) {
        truth.excluded.test += 1;
        continue;
      }
      if (s.cancelled) {
        truth.excluded.cancelled += 1;
        continue;
      }
      const net = s.totalCents - s.refundedCents;
      truth.shop.orders += 1;
      truth.shop.netSpendCents += net;
      if (s.customerIndex < 0) {
        truth.guest.orders += 1;
        truth.guest.netSpendCents += net;
        continue;
      }
      const entry = perCustomer[s.customerIndex];
      entry.orders += 1;
      entry.spend += net;
      entry.first = entry.first === null ? s.processedAt : Math.min(entry.first, s.processedAt);
      entry.last = entry.last === null ? s.processedAt : Math.max(entry.last, s.processedAt);
    }
    perCustomer.forEach((entry, index) => {
      if (this.deletedCustomers.has(index)) return;
      const customerId = this.customerGid(index);
      customers.set(customerId, {
        customerId,
        orders: entry.orders,
        netSpendCents: entry.spend,
        netSpend: restMoneyString(entry.spend),
        firstOrderAt: entry.first,
        lastOrderAt: entry.last,
      });
    });
    return truth;
  }
}
