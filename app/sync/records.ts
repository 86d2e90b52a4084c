/**
 * Kinship's own shape of an order and a customer, whatever Shopify channel they came from (bulk
 * JSONL from GraphQL, or a REST-shaped webhook). Money is in the shop's currency (`shopMoney`).
 */
export interface OrderRecord {
  shopifyId: string;
  customerShopifyId: string | null;
  name: string | null;
  processedAt: Date;
  shopifyUpdatedAt: Date | null;
  totalPrice: number;
  totalRefunded: number;
  currencyCode: string;
  cancelledAt: Date | null;
  test: boolean;
  discountCodes: string[];
  /** Everything discounted on the order (codes, automatic; line and order level), before returns. */
  totalDiscounts: number;
}

export interface CustomerRecord {
  shopifyId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  marketingState: string | null;
  birthday: string | null;
  /** When Shopify last wrote the birthday metafield (null: unknown, the snapshot time stands in). */
  birthdayChangedAt?: Date | null;
  tags: string[];
  shopifyRfmGroup: string | null;
  shopifyUpdatedAt: Date | null;
}

/** Shopify money strings ("29.99") to a number rounded to the cent. */
export function money(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const value = typeof amount === "number" ? amount : Number.parseFloat(amount);
  if (!Number.isFinite(value)) throw new Error(`Not a money amount: ${JSON.stringify(amount)}`);
  return Math.round(value * 100) / 100;
}

/**
 * Exactness rules (also in the README): test orders and cancelled orders count for nothing in value
 * metrics; refunds are subtracted; guest orders (no customer) count in shop totals only.
 */
export function netOrderValue(order: Pick<OrderRecord, "totalPrice" | "totalRefunded" | "cancelledAt" | "test">): number {
  if (order.test || order.cancelledAt) return 0;
  return Math.round((order.totalPrice - order.totalRefunded) * 100) / 100;
}

export function countsForValue(order: Pick<OrderRecord, "cancelledAt" | "test">): boolean {
  return !order.test && !order.cancelledAt;
}
