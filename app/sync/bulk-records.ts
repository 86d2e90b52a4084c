import { money, type CustomerRecord, type OrderRecord } from "./records";

interface MoneyBag {
  shopMoney?: { amount: string; currencyCode: string } | null;
}

/** One line of the backfill JSONL (see BACKFILL_BULK_QUERY). */
export interface BulkOrderLine {
  id: string;
  __parentId?: string;
  name?: string | null;
  processedAt?: string | null;
  createdAt: string;
  updatedAt?: string | null;
  cancelledAt?: string | null;
  test?: boolean;
  discountCodes?: string[];
  totalPriceSet?: MoneyBag | null;
  currentTotalPriceSet?: MoneyBag | null;
  totalRefundedSet?: MoneyBag | null;
  totalDiscountsSet?: MoneyBag | null;
  customer?: {
    id: string;
    firstName?: string | null;
    lastName?: string | null;
    updatedAt?: string | null;
    tags?: string[];
    defaultEmailAddress?: { emailAddress?: string | null; marketingState?: string | null } | null;
    statistics?: { rfmGroup?: string | null } | null;
    birthDate?: { value: string; updatedAt?: string | null } | null;
  } | null;
}

const date = (value: string | null | undefined) => (value ? new Date(value) : null);

export function orderFromBulkLine(line: BulkOrderLine): OrderRecord {
  if (!line.id?.startsWith("gid://shopify/Order/")) throw new Error(`not an order (id ${JSON.stringify(line.id)})`);
  const total = line.totalPriceSet?.shopMoney;
  if (!total) throw new Error(`order ${line.id} has no totalPriceSet.shopMoney`);
  return {
    shopifyId: line.id,
    customerShopifyId: line.customer?.id ?? null,
    name: line.name ?? null,
    // processedAt is the purchase date (it differs from createdAt for imported orders).
    processedAt: new Date(line.processedAt ?? line.createdAt),
    shopifyUpdatedAt: date(line.updatedAt),
    totalPrice: money(total.amount),
    totalRefunded: money(line.totalRefundedSet?.shopMoney?.amount),
    currencyCode: total.currencyCode,
    cancelledAt: date(line.cancelledAt),
    test: line.test === true,
    discountCodes: line.discountCodes ?? [],
    totalDiscounts: money(line.totalDiscountsSet?.shopMoney?.amount),
  };
}

export function customerFromBulkLine(line: BulkOrderLine): CustomerRecord | null {
  const c = line.customer;
  if (!c) return null;
  return {
    shopifyId: c.id,
    email: c.defaultEmailAddress?.emailAddress ?? null,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    marketingState: c.defaultEmailAddress?.marketingState ?? null,
    birthday: c.birthDate?.value ?? null,
    birthdayChangedAt: date(c.birthDate?.updatedAt),
    tags: c.tags ?? [],
    shopifyRfmGroup: c.statistics?.rfmGroup ?? null,
    shopifyUpdatedAt: date(c.updatedAt),
  };
}
