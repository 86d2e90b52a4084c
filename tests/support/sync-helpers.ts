import db from "../../app/db.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import type { Emulator } from "../emulator/server";

/** The shop row and an offline session, as after install; returns an admin client on its token. */
export async function installShop(emulator: Emulator, shop: string): Promise<AdminClient> {
  const { accessToken } = emulator.issueAccessToken(shop);
  const state = emulator.shop(shop);
  await db.shop.upsert({
    where: { shop },
    create: { shop, name: state.name, currencyCode: state.currency, ianaTimezone: state.timeZone },
    update: {},
  });
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken, scope: emulator.appScopes.join(",") },
    update: { accessToken },
  });
  return createAdminClient({ shop, accessToken }, { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))) });
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every customer's order count and net spend in the database versus what the emulator holds. */
export async function compareWithTruth(emulator: Emulator, shop: string) {
  const truth = emulator.shop(shop).truth();
  const rows = await db.customer.findMany({ where: { shop }, select: { shopifyId: true, orderCount: true, totalSpent: true } });
  const stored = new Map(rows.map((r) => [r.shopifyId, r]));
  const mismatches: string[] = [];
  for (const [id, expected] of truth.customers) {
    if (expected.orders === 0) continue;
    const row = stored.get(id);
    const spent = row ? Math.round(row.totalSpent * 100) : null;
    if (!row || row.orderCount !== expected.orders || spent !== expected.netSpendCents) {
      mismatches.push(`${id}: db ${row?.orderCount}/${spent} vs shopify ${expected.orders}/${expected.netSpendCents}`);
    }
  }
  const totals = await db.order.aggregate({
    where: { shop, test: false, cancelledAt: null },
    _count: { _all: true },
    _sum: { netTotal: true },
  });
  return {
    customersCompared: [...truth.customers.values()].filter((c) => c.orders > 0).length,
    mismatches,
    shopOrders: { db: totals._count._all, shopify: truth.shop.orders },
    shopNetCents: { db: Math.round((totals._sum.netTotal ?? 0) * 100), shopify: truth.shop.netSpendCents },
  };
}
