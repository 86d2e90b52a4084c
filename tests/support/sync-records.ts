import { simulateCustomer } from "../../app/retention/clv/simulate";
import type { CustomerRecord, OrderRecord } from "../../app/sync/records";

const DAY = 86_400_000;

/** An order as the sync writes it: a paid EUR order unless the fields say otherwise. */
export function orderRecord(
  fields: Pick<OrderRecord, "shopifyId" | "customerShopifyId" | "processedAt" | "totalPrice"> & Partial<OrderRecord>,
): OrderRecord {
  return {
    name: null,
    shopifyUpdatedAt: null,
    totalRefunded: 0,
    currencyCode: "EUR",
    cancelledAt: null,
    test: false,
    discountCodes: [],
    totalDiscounts: 0,
    ...fields,
  };
}

/** A customer as the sync writes it, with nothing but an email. */
export function customerRecord(shopifyId: string, email: string, fields: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    shopifyId,
    email,
    firstName: null,
    lastName: null,
    marketingState: null,
    birthday: null,
    tags: [],
    shopifyRfmGroup: null,
    shopifyUpdatedAt: null,
    ...fields,
  };
}

/**
 * Customers 1..count who first bought 60–719 days before `now` and then by a BG/NBD process (daily units,
 * CDNOW-like spend), simulated for `daysAfterNow` days past `now` too; `repeat: false` gives each one order.
 */
export function simulatedShopRecords(
  rng: () => number,
  count: number,
  now: Date,
  { repeat = true, daysAfterNow = 0 }: { repeat?: boolean; daysAfterNow?: number } = {},
): { orders: OrderRecord[]; people: CustomerRecord[] } {
  const orders: OrderRecord[] = [];
  const people: CustomerRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const gid = `gid://shopify/Customer/${i}`;
    const age = 60 + Math.floor(rng() * 660);
    const { times, amounts } = repeat
      ? simulateCustomer(rng, { r: 0.6, alpha: 60, a: 0.8, b: 3 }, { p: 6, q: 4, v: 90 }, age + daysAfterNow)
      : { times: [0], amounts: [50] };
    times.forEach((t, k) => {
      orders.push(
        orderRecord({
          shopifyId: `gid://shopify/Order/${orders.length + 1}`,
          customerShopifyId: gid,
          processedAt: new Date(now.getTime() - (age - t) * DAY),
          totalPrice: Math.round(amounts[k] * 100) / 100,
        }),
      );
    });
    people.push(customerRecord(gid, `c${i}@shop.test`));
  }
  return { orders, people };
}
