/** Plain records the emulator stores; GraphQL and REST views are computed from these. Money in cents, times in ms. */

export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING" | "INVALID";
export type MarketingOptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";
export type CustomerAccountState = "DISABLED" | "ENABLED" | "INVITED" | "DECLINED";
export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "STAFF" | "OTHER";

export interface CustomerRecord {
  index: number;
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  countryCode: string;
  city: string;
  state: CustomerAccountState;
  verifiedEmail: boolean;
  marketingState: MarketingState;
  marketingOptInLevel: MarketingOptInLevel | null;
  marketingUpdatedAt: number | null;
  tags: string[];
  note: string | null;
  taxExempt: boolean;
  /** YYYY-MM-DD, exposed as the standard `facts.birth_date` metafield. */
  birthDate: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface LineItemRecord {
  id: number;
  productIndex: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  quantity: number;
  unitPriceCents: number;
}

export interface RefundRecord {
  id: number;
  createdAt: number;
  amountCents: number;
  note: string | null;
}

export interface OrderRecord {
  index: number;
  id: number;
  name: string;
  number: number;
  /** -1 for a guest order (no customer). */
  customerIndex: number;
  email: string | null;
  createdAt: number;
  processedAt: number;
  updatedAt: number;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  closedAt: number | null;
  test: boolean;
  sourceName: string;
  tags: string[];
  note: string | null;
  lineItems: LineItemRecord[];
  /** As the order webhook's `discount_codes`: a free-shipping code is type "shipping", its amount the shipping waived. */
  discountCodes: { code: string; amountCents: number; type: "percentage" | "fixed_amount" | "shipping" }[];
  subtotalCents: number;
  totalDiscountsCents: number;
  totalTaxCents: number;
  shippingCents: number;
  totalCents: number;
  refunds: RefundRecord[];
  fulfilled: boolean;
}

export interface ProductRecord {
  index: number;
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  sku: string;
  priceCents: number;
  createdAt: number;
}

/** What aggregates and filters need, readable without materialising the whole order. */
export interface OrderSummary {
  index: number;
  customerIndex: number;
  createdAt: number;
  processedAt: number;
  updatedAt: number;
  test: boolean;
  cancelled: boolean;
  totalCents: number;
  refundedCents: number;
}

export function orderRefundedCents(order: OrderRecord): number {
  return order.refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
}

export function summarizeOrder(order: OrderRecord): OrderSummary {
  return {
    index: order.index,
    customerIndex: order.customerIndex,
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    test: order.test,
    cancelled: order.cancelledAt !== null,
    totalCents: order.totalCents,
    refundedCents: orderRefundedCents(order),
  };
}
