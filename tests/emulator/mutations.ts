import { gid, numericId } from "./ids";
import { parseDecimalToCents } from "./money";
import { customerChangeEvents } from "./customer-events";
import { distinctTags } from "./store/tags";
import {
  customerDataRequestPayload,
  customerDeletePayload,
  customerMergePayload,
  customerPayload,
  customerRedactPayload,
  orderDeletePayload,
  orderPayload,
  shopPayload,
  shopRedactPayload,
} from "./rest-payloads";
import type { ShopState } from "./shop";
import { orderRefundedCents, type CancelReason, type CustomerRecord, type LineItemRecord, type OrderRecord } from "./store/records";
import type { SendOptions, WebhookDelivery } from "./webhooks";
import { fulfillmentEventPayload, fulfillmentPayload, type FulfillmentEventStatus, type FulfillmentRecord } from "./fulfillments";

export interface EmitOptions extends SendOptions {
  /** false: only prepare the webhook (send it later, e.g. out of order, with `emulator.webhooks.send`). */
  deliver?: boolean;
  webhookId?: string;
}

export interface PreparedEvent {
  topic: string;
  payload: unknown;
  webhookId?: string;
}

export interface MutationResult<T> {
  record: T;
  events: PreparedEvent[];
  /** Settles when every webhook copy was delivered or ran out of retries (empty if deliver: false). */
  delivered: Promise<WebhookDelivery[]>;
}

/** What the mutation helpers need from the emulator. */
export interface MutationHost {
  clock(): number;
  deliverWebhook(shop: string, topic: string, payload: unknown, options?: EmitOptions): Promise<WebhookDelivery[]>;
  revokeShopTokens(shop: string): void;
}

type Id = string | number;

export interface NewOrderInput {
  customerId?: Id | null;
  /** Major units ("49.90" or 49.9) or use totalCents. */
  total?: string | number;
  totalCents?: number;
  processedAt?: number | Date | string;
  test?: boolean;
  email?: string | null;
  tags?: string[];
  /** "shipping": a free-shipping code, whose amount is the shipping charge it waived (the items' subtotal is unchanged). */
  discountCode?: { code: string; amountCents: number; type?: "percentage" | "fixed_amount" | "shipping" };
}

const toMs = (value: number | Date | string): number =>
  value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;

/**
 * Test helpers that change a shop the way a merchant or buyer would, and emit the webhook Shopify would send.
 * `updatedAt` always moves forward (even under a frozen fake clock), so ordering by it is meaningful.
 */
export class ShopMutations {
  constructor(
    private readonly host: MutationHost,
    readonly shop: ShopState,
  ) {}

  private tick(previous = 0): number {
    return Math.max(Math.floor(this.host.clock() / 1000) * 1000, previous + 1000);
  }

  private emit<T>(record: T, events: PreparedEvent[], options: EmitOptions): MutationResult<T> {
    if (options.deliver === false) return { record, events, delivered: Promise.resolve([]) };
    const delivered = Promise.all(
      events.map((event, k) =>
        this.host.deliverWebhook(this.shop.domain, event.topic, event.payload, {
          ...options,
          webhookId: k === 0 ? options.webhookId : undefined,
        }),
      ),
    ).then((lists) => lists.flat());
    return { record, events, delivered };
  }

  customerIndex(id: Id): number {
    const index = this.shop.data.findCustomer(numericId(id, "Customer") ?? -1);
    if (index < 0) throw new Error(`No customer ${id} in ${this.shop.domain}`);
    return index;
  }

  orderIndex(id: Id): number {
    const index = this.shop.data.findOrder(numericId(id, "Order") ?? -1);
    if (index < 0) throw new Error(`No order ${id} in ${this.shop.domain}`);
    return index;
  }

  createCustomer(input: Partial<Omit<CustomerRecord, "index" | "id">> = {}, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const now = this.tick();
    const n = this.shop.data.customerCount + 1;
    const record = this.shop.data.createCustomer({
      firstName: "New",
      lastName: `Customer ${n}`,
      email: `new.customer.${n}@example.com`,
      phone: null,
      locale: this.shop.data.profile.locale,
      countryCode: this.shop.data.profile.countryCode,
      city: this.shop.data.profile.city,
      state: "DISABLED",
      verifiedEmail: true,
      marketingState: "NOT_SUBSCRIBED",
      marketingOptInLevel: null,
      marketingUpdatedAt: null,
      note: null,
      taxExempt: false,
      birthDate: null,
      createdAt: now,
      ...input,
      tags: distinctTags(input.tags ?? []),
      updatedAt: input.updatedAt ?? now,
    });
    // Tags and a consent given at creation come through their own topics, as for an update.
    const blank: CustomerRecord = {
      ...record,
      tags: [],
      marketingState: "NOT_SUBSCRIBED",
      marketingOptInLevel: record.marketingOptInLevel,
    };
    const extra = customerChangeEvents(this.shop, blank, record, record.updatedAt).slice(1);
    return this.emit(record, [{ topic: "customers/create", payload: customerPayload(this.shop, record) }, ...extra], options);
  }

  /**
   * Changes a customer as the merchant would in the admin; emits customers/update and, for tags and
   * consent, the topics that carry them since 2025-01 (a consent change also moves its consent date).
   */
  updateCustomer(id: Id, patch: Partial<Omit<CustomerRecord, "index" | "id">>, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const current = this.shop.data.customer(this.customerIndex(id));
    const updatedAt = patch.updatedAt ?? this.tick(current.updatedAt);
    const consentChanged = patch.marketingState !== undefined && patch.marketingState !== current.marketingState;
    const record: CustomerRecord = {
      ...current,
      ...(consentChanged && patch.marketingUpdatedAt === undefined ? { marketingUpdatedAt: updatedAt } : {}),
      ...patch,
      ...(patch.tags ? { tags: distinctTags(patch.tags) } : {}),
      updatedAt,
    };
    this.shop.data.putCustomer(record);
    return this.emit(record, customerChangeEvents(this.shop, current, record, updatedAt), options);
  }

  /**
   * The merchant sets (or clears) a customer's birthday on the customer page in Shopify's admin: the
   * `facts.birth_date` metafield gets the value and the customer is saved, so its updatedAt moves and
   * customers/update is sent, whose payload carries no metafields. (That an admin edit moves the
   * customer's updatedAt is how the admin's save behaves; Shopify does not document it for API writes,
   * so metafieldsSet here leaves the customer alone.)
   */
  setCustomerBirthday(id: Id, birthDate: string | null, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const current = this.shop.data.customer(this.customerIndex(id));
    const ownerId = gid("Customer", current.id);
    const updatedAt = this.tick(current.updatedAt);
    this.shop.metafields.delete(ownerId, "facts", "birth_date");
    if (birthDate !== null)
      this.shop.metafields.set(
        { ownerId, ownerType: "CUSTOMER", namespace: "facts", key: "birth_date", type: "date", value: birthDate },
        updatedAt,
      );
    return this.updateCustomer(id, { birthDate, updatedAt }, options);
  }

  /** Deletes a customer (Shopify refuses for customers with orders); emits customers/delete. */
  deleteCustomer(id: Id, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const current = this.shop.data.customer(this.customerIndex(id));
    if (this.shop.data.customerOrderIndices(current.index).length) throw new Error(`Customer ${id} has orders and can't be deleted`);
    this.shop.data.deleteCustomer(current.index);
    return this.emit(current, [{ topic: "customers/delete", payload: customerDeletePayload(current) }], options);
  }

  /** Deletes an order; emits orders/delete. */
  deleteOrder(id: Id, options: EmitOptions = {}): MutationResult<OrderRecord> {
    const current = this.shop.data.order(this.orderIndex(id));
    this.shop.data.deleteOrder(current.index);
    return this.emit(current, [{ topic: "orders/delete", payload: orderDeletePayload(current) }], options);
  }

  /**
   * Merges `deletedId` into `keptId` (customerMerge): the deleted customer's orders move to the kept
   * one, then customers/merge is sent with status "completed".
   */
  mergeCustomers(keptId: Id, deletedId: Id, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const kept = this.shop.data.customer(this.customerIndex(keptId));
    const deleted = this.shop.data.customer(this.customerIndex(deletedId));
    for (const orderIndex of this.shop.data.customerOrderIndices(deleted.index)) {
      const order = this.shop.data.order(orderIndex);
      this.shop.data.putOrder({ ...order, customerIndex: kept.index, updatedAt: this.tick(order.updatedAt) });
    }
    this.shop.data.deleteCustomer(deleted.index);
    const payload = customerMergePayload(kept.id, deleted.id, this.shop.nextId(), "completed");
    return this.emit(kept, [{ topic: "customers/merge", payload }], options);
  }

  createOrder(input: NewOrderInput = {}, options: EmitOptions = {}): MutationResult<OrderRecord> {
    const now = this.tick();
    const customerIndex = input.customerId === undefined || input.customerId === null ? -1 : this.customerIndex(input.customerId);
    const totalCents = input.totalCents ?? (input.total !== undefined ? parseDecimalToCents(input.total) : 5000);
    if (!(totalCents >= 0)) throw new Error(`Invalid order total ${String(input.total)}`);
    const discount = input.discountCode;
    const waivesShipping = discount?.type === "shipping";
    const subtotalCents = totalCents + (discount && !waivesShipping ? discount.amountCents : 0);
    const product = this.shop.data.products[0];
    const index = this.shop.data.orderCount;
    const lineItems: LineItemRecord[] = product
      ? [
          {
            id: this.shop.data.ids.lineItem(index, 0),
            productIndex: product.index,
            title: product.title,
            variantTitle: null,
            sku: product.sku,
            vendor: product.vendor,
            quantity: 1,
            unitPriceCents: subtotalCents,
          },
        ]
      : [];
    const processedAt = input.processedAt !== undefined ? toMs(input.processedAt) : now;
    const record = this.shop.data.createOrder({
      customerIndex,
      email:
        input.email !== undefined
          ? input.email
          : customerIndex >= 0
            ? this.shop.data.customerEmail(customerIndex)
            : `guest.new.${index + 1}@example.net`,
      createdAt: now,
      processedAt,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      test: input.test ?? false,
      sourceName: "web",
      tags: input.tags ?? [],
      note: null,
      lineItems,
      discountCodes: discount ? [{ code: discount.code, amountCents: discount.amountCents, type: discount.type ?? "fixed_amount" }] : [],
      subtotalCents,
      totalDiscountsCents: discount?.amountCents ?? 0,
      totalTaxCents: 0,
      shippingCents: 0,
      totalCents,
      refunds: [],
      fulfilled: false,
    });
    // A code used at checkout counts as used on its discount (`asyncUsageCount`).
    const used = discount ? this.shop.discounts.discountForCode(discount.code) : null;
    const usedCode = used?.codes.find((c) => c.code.toLowerCase() === discount!.code.toLowerCase());
    if (used && usedCode)
      this.shop.discounts.save({
        ...used,
        codes: used.codes.map((c) => (c === usedCode ? { ...c, asyncUsageCount: c.asyncUsageCount + 1 } : c)),
      });
    if (customerIndex >= 0) {
      // Placing an order changes the customer's stats, so Shopify bumps the customer too.
      const customer = this.shop.data.customer(customerIndex);
      this.shop.data.putCustomer({ ...customer, updatedAt: Math.max(customer.updatedAt, now) });
    }
    return this.emit(record, [{ topic: "orders/create", payload: orderPayload(this.shop, record) }], options);
  }

  updateOrder(
    id: Id,
    patch: Partial<Omit<OrderRecord, "index" | "id" | "name" | "number">>,
    options: EmitOptions = {},
  ): MutationResult<OrderRecord> {
    const current = this.shop.data.order(this.orderIndex(id));
    const record: OrderRecord = { ...current, ...patch, updatedAt: patch.updatedAt ?? this.tick(current.updatedAt) };
    this.shop.data.putOrder(record);
    return this.emit(record, [{ topic: "orders/updated", payload: orderPayload(this.shop, record) }], options);
  }

  /** Adds a refund (cents, capped at what is left to refund); emits orders/updated. */
  refundOrder(id: Id, amountCents: number, options: EmitOptions = {}): MutationResult<OrderRecord> {
    const current = this.shop.data.order(this.orderIndex(id));
    const at = this.tick(current.updatedAt);
    const left = current.totalCents - orderRefundedCents(current);
    const refund = {
      id: this.shop.data.ids.refund(current.index, current.refunds.length + 1),
      createdAt: at,
      amountCents: Math.min(amountCents, left),
      note: null,
    };
    const record: OrderRecord = { ...current, refunds: [...current.refunds, refund], updatedAt: at };
    this.shop.data.putOrder(record);
    return this.emit(record, [{ topic: "orders/updated", payload: orderPayload(this.shop, record) }], options);
  }

  /** Cancels (refunding what is left unless refund: false); emits orders/cancelled then orders/updated, as Shopify does. */
  cancelOrder(id: Id, details: { reason?: CancelReason; refund?: boolean } = {}, options: EmitOptions = {}): MutationResult<OrderRecord> {
    const current = this.shop.data.order(this.orderIndex(id));
    const at = this.tick(current.updatedAt);
    const left = current.totalCents - orderRefundedCents(current);
    const refunds =
      details.refund === false || left <= 0
        ? current.refunds
        : [
            ...current.refunds,
            {
              id: this.shop.data.ids.refund(current.index, current.refunds.length + 1),
              createdAt: at,
              amountCents: left,
              note: "Order cancelled",
            },
          ];
    const record: OrderRecord = {
      ...current,
      cancelledAt: at,
      cancelReason: details.reason ?? "CUSTOMER",
      closedAt: at,
      refunds,
      fulfilled: false,
      updatedAt: at,
    };
    this.shop.data.putOrder(record);
    const payload = orderPayload(this.shop, record);
    return this.emit(
      record,
      [
        { topic: "orders/cancelled", payload },
        { topic: "orders/updated", payload },
      ],
      options,
    );
  }

  /** The merchant uninstalls the app: tokens are revoked, then app/uninstalled is sent. */
  /**
   * Fulfils an order as the merchant would (all of it, one fulfillment), with or without tracking;
   * emits fulfillments/create.
   */
  fulfillOrder(
    orderId: Id,
    input: { tracking?: { company: string; number: string; url?: string } | null; at?: number | Date | string } = {},
    options: EmitOptions = {},
  ): MutationResult<FulfillmentRecord> {
    const order = this.shop.data.order(this.orderIndex(orderId));
    const at = input.at !== undefined ? toMs(input.at) : this.tick();
    const record: FulfillmentRecord = {
      id: this.shop.nextId(),
      orderId: order.id,
      orderName: order.name,
      email: order.email,
      createdAt: at,
      updatedAt: at,
      trackingCompany: input.tracking?.company ?? null,
      trackingNumber: input.tracking?.number ?? null,
      trackingUrl: input.tracking?.url ?? null,
      events: [],
    };
    this.shop.fulfillments.set(record.id, record);
    return this.emit(record, [{ topic: "fulfillments/create", payload: fulfillmentPayload(this.shop, record) }], options);
  }

  /** A carrier's tracking update (e.g. "delivered"); emits fulfillment_events/create. */
  addFulfillmentEvent(
    fulfillmentId: number,
    status: FulfillmentEventStatus,
    input: { happenedAt?: number | Date | string; message?: string } = {},
    options: EmitOptions = {},
  ): MutationResult<FulfillmentRecord> {
    const record = this.shop.fulfillments.get(fulfillmentId);
    if (!record) throw new Error(`No fulfillment ${fulfillmentId} in ${this.shop.domain}`);
    const now = this.tick(record.updatedAt);
    const event = {
      id: this.shop.nextId(),
      status,
      happenedAt: input.happenedAt !== undefined ? toMs(input.happenedAt) : now,
      createdAt: now,
      message: input.message ?? null,
    };
    record.events.push(event);
    record.updatedAt = now;
    return this.emit(record, [{ topic: "fulfillment_events/create", payload: fulfillmentEventPayload(this.shop, record, event) }], options);
  }

  uninstallApp(options: EmitOptions = {}): MutationResult<ShopState> {
    this.shop.installed = false;
    this.host.revokeShopTokens(this.shop.domain);
    return this.emit(this.shop, [{ topic: "app/uninstalled", payload: shopPayload(this.shop) }], options);
  }

  requestCustomerData(customerId: Id, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const index = this.customerIndex(customerId);
    const customer = this.shop.data.customer(index);
    const orderIds = this.shop.data.customerOrderIndices(index).map((o) => this.shop.data.ids.order(o));
    return this.emit(
      customer,
      [{ topic: "customers/data_request", payload: customerDataRequestPayload(this.shop, customer, orderIds, this.shop.nextId()) }],
      options,
    );
  }

  redactCustomer(customerId: Id, options: EmitOptions = {}): MutationResult<CustomerRecord> {
    const index = this.customerIndex(customerId);
    const customer = this.shop.data.customer(index);
    const orderIds = this.shop.data.customerOrderIndices(index).map((o) => this.shop.data.ids.order(o));
    return this.emit(customer, [{ topic: "customers/redact", payload: customerRedactPayload(this.shop, customer, orderIds) }], options);
  }

  redactShop(options: EmitOptions = {}): MutationResult<ShopState> {
    return this.emit(this.shop, [{ topic: "shop/redact", payload: shopRedactPayload(this.shop) }], options);
  }
}
