import type { BulkOperationRecord } from "./bulk/operations";
import { gid } from "./ids";
import { restMoneyString } from "./money";
import type { ShopState } from "./shop";
import { orderRefundedCents, type CustomerRecord, type OrderRecord } from "./store/records";
import { isoInZone, nullableIsoInZone } from "./time";

/**
 * Webhook bodies in Shopify's REST JSON shape: numeric ids plus `admin_graphql_api_id`, money as two-decimal
 * strings (with `*_set` bags), timestamps in the shop's zone with an offset, enums in lower case.
 */

const moneySet = (cents: number, currency: string) => {
  const money = { amount: restMoneyString(cents), currency_code: currency };
  return { shop_money: money, presentment_money: { ...money } };
};

/** A customer's email consent in the REST shape (the consent topics and nothing else carry it since 2025-01). */
function emailConsent(shop: ShopState, customer: CustomerRecord) {
  return {
    state: customer.email ? customer.marketingState.toLowerCase() : null,
    opt_in_level: customer.email ? (customer.marketingOptInLevel?.toLowerCase() ?? null) : null,
    consent_updated_at: nullableIsoInZone(customer.marketingUpdatedAt, shop.timeZone),
  };
}

export function customerPayload(shop: ShopState, customer: CustomerRecord) {
  const tz = shop.timeZone;
  const address = {
    id: customer.id + 1_000_000,
    customer_id: customer.id,
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: null,
    address1: null,
    address2: null,
    city: customer.city,
    province: null,
    country: shop.data.profile.country,
    zip: null,
    phone: customer.phone,
    name: [customer.firstName, customer.lastName].filter(Boolean).join(" "),
    province_code: null,
    country_code: customer.countryCode,
    country_name: shop.data.profile.country,
    default: true,
  };
  return {
    id: customer.id,
    email: customer.email,
    created_at: isoInZone(customer.createdAt, tz),
    updated_at: isoInZone(customer.updatedAt, tz),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    phone: customer.phone,
    currency: shop.currency,
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", customer.id),
    default_address: address,
    addresses: [address],
    // Since 2025-01 no customer payload carries `tags`, `email_marketing_consent` or `sms_marketing_consent`
    // (changelog "New customer's webhook and changes to existing customer's webhooks payload"): they come
    // through customer.tags_added/removed, customers_email_marketing_consent/update and
    // customers_marketing_consent/update.
  };
}

/** The customer inside an order payload: the customer fields without the address list (as in Shopify's example). */
function orderCustomerPayload(shop: ShopState, customer: CustomerRecord) {
  const { addresses: _addresses, ...nested } = customerPayload(shop, customer);
  return nested;
}

/** customers_email_marketing_consent/update (enum CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE). */
export function emailConsentPayload(shop: ShopState, customer: CustomerRecord) {
  return { customer_id: customer.id, email_address: customer.email, email_marketing_consent: emailConsent(shop, customer) };
}

/** customers_marketing_consent/update (enum CUSTOMERS_MARKETING_CONSENT_UPDATE): the SMS consent. */
export function smsConsentPayload(shop: ShopState, customer: CustomerRecord) {
  return {
    id: customer.id,
    phone: customer.phone,
    sms_marketing_consent: customer.phone
      ? { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null, consent_collected_from: "other" }
      : null,
  };
}

/** customer.tags_added / customer.tags_removed: GraphQL-style ids and UTC time, only the tags that changed. */
export function customerTagsPayload(customer: CustomerRecord, tags: string[], occurredAt: number) {
  return { customerId: gid("Customer", customer.id), tags, occurredAt: new Date(occurredAt).toISOString() };
}

/** customers/delete: the id and little else. */
export function customerDeletePayload(customer: Pick<CustomerRecord, "id">) {
  return { id: customer.id, tax_exemptions: [], admin_graphql_api_id: gid("Customer", customer.id) };
}

/** orders/delete: the id only. */
export function orderDeletePayload(order: Pick<OrderRecord, "id">) {
  return { id: order.id };
}

/** customers/merge (enum CUSTOMERS_MERGE, scope read_customer_merge). */
export function customerMergePayload(
  keptId: number,
  deletedId: number,
  jobId: number,
  status: "completed" | "failed",
  errors: unknown[] = [],
) {
  return {
    admin_graphql_api_customer_kept_id: gid("Customer", keptId),
    admin_graphql_api_customer_deleted_id: gid("Customer", deletedId),
    admin_graphql_api_job_id: gid("Job", jobId),
    status,
    errors,
  };
}

function financialStatus(order: OrderRecord): string {
  const refunded = orderRefundedCents(order);
  if (refunded >= order.totalCents && order.totalCents > 0) return "refunded";
  if (refunded > 0) return "partially_refunded";
  if (order.cancelledAt !== null) return "voided";
  return "paid";
}

export function orderPayload(shop: ShopState, order: OrderRecord) {
  const tz = shop.timeZone;
  const currency = shop.currency;
  const refunded = orderRefundedCents(order);
  const current = order.totalCents - refunded;
  const customer = order.customerIndex >= 0 ? shop.data.customer(order.customerIndex) : null;
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.marketingState === "SUBSCRIBED",
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: nullableIsoInZone(order.cancelledAt, tz),
    closed_at: nullableIsoInZone(order.closedAt, tz),
    confirmation_number: `K${String(order.id).slice(-8)}`,
    confirmed: true,
    contact_email: order.email,
    created_at: isoInZone(order.createdAt, tz),
    currency,
    current_subtotal_price: restMoneyString(Math.max(0, order.subtotalCents - refunded)),
    current_subtotal_price_set: moneySet(Math.max(0, order.subtotalCents - refunded), currency),
    current_total_discounts: restMoneyString(order.totalDiscountsCents),
    current_total_discounts_set: moneySet(order.totalDiscountsCents, currency),
    current_total_price: restMoneyString(current),
    current_total_price_set: moneySet(current, currency),
    current_total_tax: restMoneyString(order.totalTaxCents),
    current_total_tax_set: moneySet(order.totalTaxCents, currency),
    customer_locale: customer?.locale ?? null,
    discount_codes: order.discountCodes.map((d) => ({ code: d.code, amount: restMoneyString(d.amountCents), type: d.type })),
    email: order.email,
    estimated_taxes: false,
    financial_status: financialStatus(order),
    fulfillment_status: order.fulfilled ? "fulfilled" : null,
    name: order.name,
    note: order.note,
    number: order.number,
    order_number: order.number + 1000,
    phone: null,
    presentment_currency: currency,
    processed_at: isoInZone(order.processedAt, tz),
    source_name: order.sourceName,
    subtotal_price: restMoneyString(order.subtotalCents),
    subtotal_price_set: moneySet(order.subtotalCents, currency),
    tags: order.tags.join(", "),
    taxes_included: false,
    test: order.test,
    total_discounts: restMoneyString(order.totalDiscountsCents),
    total_discounts_set: moneySet(order.totalDiscountsCents, currency),
    total_line_items_price: restMoneyString(order.subtotalCents),
    total_line_items_price_set: moneySet(order.subtotalCents, currency),
    total_outstanding: "0.00",
    total_price: restMoneyString(order.totalCents),
    total_price_set: moneySet(order.totalCents, currency),
    total_shipping_price_set: moneySet(order.shippingCents, currency),
    total_tax: restMoneyString(order.totalTaxCents),
    total_tax_set: moneySet(order.totalTaxCents, currency),
    total_weight: 0,
    updated_at: isoInZone(order.updatedAt, tz),
    user_id: null,
    customer: customer ? orderCustomerPayload(shop, customer) : null,
    line_items: order.lineItems.map((item) => {
      const product = shop.data.products[item.productIndex];
      return {
        id: item.id,
        admin_graphql_api_id: gid("LineItem", item.id),
        name: item.title,
        title: item.title,
        price: restMoneyString(item.unitPriceCents),
        price_set: moneySet(item.unitPriceCents, currency),
        quantity: item.quantity,
        sku: item.sku,
        vendor: item.vendor,
        product_id: product?.id ?? null,
        variant_id: product ? product.id + 500_000_000 : null,
        variant_title: item.variantTitle,
        total_discount: "0.00",
        taxable: true,
        gift_card: false,
        requires_shipping: true,
      };
    }),
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      admin_graphql_api_id: gid("Refund", refund.id),
      created_at: isoInZone(refund.createdAt, tz),
      processed_at: isoInZone(refund.createdAt, tz),
      note: refund.note,
      order_id: order.id,
      restock: false,
      user_id: null,
      order_adjustments: [],
      refund_line_items: [],
      transactions: [
        {
          id: refund.id + 7,
          admin_graphql_api_id: gid("OrderTransaction", refund.id + 7),
          amount: restMoneyString(refund.amountCents),
          currency,
          kind: "refund",
          status: "success",
          gateway: order.test ? "bogus" : "shopify_payments",
          created_at: isoInZone(refund.createdAt, tz),
          order_id: order.id,
          test: order.test,
        },
      ],
    })),
  };
}

export function shopPayload(shop: ShopState) {
  return {
    id: shop.shopId,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    country_code: shop.data.profile.countryCode,
    currency: shop.currency,
    iana_timezone: shop.timeZone,
    plan_name: shop.plan,
    created_at: isoInZone(shop.createdAt, shop.timeZone),
    updated_at: isoInZone(shop.createdAt, shop.timeZone),
  };
}

export function bulkFinishPayload(shop: ShopState, op: BulkOperationRecord) {
  return {
    admin_graphql_api_id: gid("BulkOperation", op.id),
    completed_at: nullableIsoInZone(op.completedAt, shop.timeZone),
    created_at: isoInZone(op.createdAt, shop.timeZone),
    error_code: op.errorCode?.toLowerCase() ?? null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}

export function customerRedactPayload(shop: ShopState, customer: CustomerRecord, orderIds: number[]) {
  return {
    shop_id: shop.shopId,
    shop_domain: shop.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    orders_to_redact: orderIds,
  };
}

export function customerDataRequestPayload(shop: ShopState, customer: CustomerRecord, orderIds: number[], requestId: number) {
  return {
    shop_id: shop.shopId,
    shop_domain: shop.domain,
    orders_requested: orderIds,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    data_request: { id: requestId },
  };
}

export function shopRedactPayload(shop: ShopState) {
  return { shop_id: shop.shopId, shop_domain: shop.domain };
}
