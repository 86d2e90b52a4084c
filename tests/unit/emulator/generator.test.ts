import { describe, expect, it } from "vitest";
import { DEFAULT_BGNBD, DEFAULT_GG, generateShopData, ORDER_FLAG } from "../../emulator/seed/generate";
import { ShopMutations } from "../../emulator/mutations";
import { ShopState } from "../../emulator/shop";
import { orderRefundedCents } from "../../emulator/store/records";

const AS_OF = "2026-06-01T00:00:00Z";

function fingerprint(options: Parameters<typeof generateShopData>[0]) {
  const data = generateShopData(options);
  return {
    params: data.params,
    products: data.products,
    customers: Object.fromEntries(
      Object.entries(data.customers).map(([k, v]) => [k, typeof v === "number" ? v : Array.from(v as ArrayLike<number>)]),
    ),
    orders: Object.fromEntries(
      Object.entries(data.orders).map(([k, v]) => [k, typeof v === "number" ? v : Array.from(v as ArrayLike<number>)]),
    ),
  };
}

describe("seeded shop generator", () => {
  it("is deterministic: same seed and options give the same data, another seed does not", () => {
    const a = fingerprint({ size: "tiny", seed: 123, asOf: AS_OF });
    const b = fingerprint({ size: "tiny", seed: 123, asOf: AS_OF });
    const c = fingerprint({ size: "tiny", seed: 124, asOf: AS_OF });
    expect(a).toEqual(b);
    expect(c.orders.totalCents).not.toEqual(a.orders.totalCents);

    const shopA = new ShopState({ domain: "det", size: "tiny", seed: 123, asOf: AS_OF }, Date.now);
    const shopB = new ShopState({ domain: "det", size: "tiny", seed: 123, asOf: AS_OF }, Date.now);
    for (let i = 0; i < shopA.data.orderCount; i += 1) expect(shopA.data.order(i)).toEqual(shopB.data.order(i));
    for (let c2 = 0; c2 < shopA.data.customerCount; c2 += 1) expect(shopA.data.customer(c2)).toEqual(shopB.data.customer(c2));
  });

  it("lands exactly on the named sizes and records the generating parameters", () => {
    const shop = new ShopState({ domain: "sizes", size: "tiny", seed: 2, asOf: AS_OF }, Date.now);
    expect(shop.data.customerCount).toBe(50);
    expect(shop.data.orderCount).toBe(250);
    expect(shop.generation).toMatchObject({
      seed: 2,
      size: "tiny",
      customers: 50,
      targetOrders: 250,
      timeUnit: "week",
      bgnbd: DEFAULT_BGNBD,
      gg: DEFAULT_GG,
    });
    const small = generateShopData({ size: "small", seed: 2, asOf: AS_OF });
    expect(small.customers.count).toBe(2000);
    expect(small.orders.count).toBe(10_000);
  });

  it("produces the behaviours sync and analytics must handle", () => {
    const data = generateShopData({ size: "small", seed: 8, asOf: AS_OF });
    const { orders, customers } = data;
    const count = (predicate: (j: number) => boolean) => Array.from({ length: orders.count }, (_, j) => j).filter(predicate).length;
    expect(count((j) => (orders.flags[j] & ORDER_FLAG.TEST) !== 0)).toBeGreaterThan(10);
    expect(count((j) => (orders.flags[j] & ORDER_FLAG.CANCELLED) !== 0)).toBeGreaterThan(100);
    expect(count((j) => orders.refundCents[j] > 0 && orders.refundCents[j] < orders.totalCents[j])).toBeGreaterThan(100);
    expect(count((j) => orders.customerIndex[j] < 0)).toBeGreaterThan(100);
    for (let j = 1; j < orders.count; j += 1) expect(orders.processedAt[j]).toBeGreaterThanOrEqual(orders.processedAt[j - 1]);
    expect(Math.max(...orders.processedAt)).toBeLessThan(Date.parse(AS_OF));
    const birthdays = Array.from(customers.birthDay).filter((d) => d !== -2147483648).length / customers.count;
    expect(birthdays).toBeGreaterThan(0.25);
    expect(birthdays).toBeLessThan(0.35);
    expect(new Set(customers.consent).size).toBe(5);
    const repeaters =
      customers.count -
      Array.from({ length: customers.count }, (_, c) => data.ordersByCustomer.offsets[c + 1] - data.ordersByCustomer.offsets[c]).filter(
        (n) => n <= 1,
      ).length;
    expect(repeaters).toBeGreaterThan(customers.count * 0.3);
  });

  it("generates shops in other currencies and time zones with spend in that currency", () => {
    const uah = new ShopState({ domain: "kyiv", size: "tiny", seed: 3, currency: "UAH", asOf: AS_OF }, Date.now);
    expect(uah.currency).toBe("UAH");
    expect(uah.timeZone).toBe("Europe/Kyiv");
    expect(uah.generation.gg.v).toBe(DEFAULT_GG.v * 40);
    const eur = new ShopState({ domain: "berlin", size: "tiny", seed: 3, currency: "EUR", asOf: AS_OF }, Date.now);
    expect(eur.timeZone).toBe("Europe/Berlin");
    const mean = (shop: ShopState) => {
      let sum = 0;
      for (let i = 0; i < shop.data.orderCount; i += 1) sum += shop.data.orderSummary(i).totalCents;
      return sum / shop.data.orderCount / 100;
    };
    expect(mean(uah)).toBeGreaterThan(10 * mean(eur));
  });

  it("keeps the truth consistent with the materialised orders (test and cancelled excluded, refunds netted)", () => {
    const shop = new ShopState({ domain: "truth", size: "tiny", seed: 31, asOf: AS_OF }, Date.now);
    const truth = shop.truth();
    const perCustomer = new Map<string, { orders: number; cents: number }>();
    let guestCents = 0;
    for (let i = 0; i < shop.data.orderCount; i += 1) {
      const order = shop.data.order(i);
      if (order.test || order.cancelledAt !== null) continue;
      const net = order.totalCents - orderRefundedCents(order);
      if (order.customerIndex < 0) {
        guestCents += net;
        continue;
      }
      const key = shop.data.customerGid(order.customerIndex);
      const entry = perCustomer.get(key) ?? { orders: 0, cents: 0 };
      entry.orders += 1;
      entry.cents += net;
      perCustomer.set(key, entry);
    }
    expect(truth.customers.size).toBe(50);
    for (const [id, entry] of truth.customers) {
      expect({ orders: entry.orders, cents: entry.netSpendCents }).toEqual(perCustomer.get(id) ?? { orders: 0, cents: 0 });
      expect(entry.netSpend).toBe((entry.netSpendCents / 100).toFixed(2));
    }
    expect(truth.guest.netSpendCents).toBe(guestCents);
    expect(truth.shop.netSpendCents).toBe(guestCents + [...perCustomer.values()].reduce((s, e) => s + e.cents, 0));
  });

  it("updates the truth when orders change through the mutation helpers", () => {
    const shop = new ShopState({ domain: "moving", size: "tiny", seed: 12, asOf: AS_OF }, Date.now);
    const customerId = shop.data.customerGid(3);
    const before = shop.truth().customers.get(customerId)!;
    const host = { clock: Date.now, deliverWebhook: async () => [], revokeShopTokens: () => undefined };
    const mutate = new ShopMutations(host, shop);
    const created = mutate.createOrder({ customerId, total: "40.00" }, { deliver: false }).record;
    mutate.createOrder({ customerId, total: "15.00", test: true }, { deliver: false });
    mutate.refundOrder(created.id, 1000, { deliver: false });
    const after = shop.truth().customers.get(customerId)!;
    expect(after.orders).toBe(before.orders + 1);
    expect(after.netSpendCents).toBe(before.netSpendCents + 3000);
    mutate.cancelOrder(created.id, {}, { deliver: false });
    expect(shop.truth().customers.get(customerId)).toMatchObject({ orders: before.orders, netSpendCents: before.netSpendCents });
  });
});
