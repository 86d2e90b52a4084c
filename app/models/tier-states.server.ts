/**
 * Loyalty tier state per program and customer (tier, since, grace start, dated history), one
 * CustomerTier row each. Only customers with a tier, a running grace period or a history are kept.
 * Customer.tier/tierSince mirror the first program's tier, for the customer pages and tags.
 */
import db from "../db.server";
import { NO_TIER, type TierChange, type TierState, type TierUpdate } from "../retention/rewards";

function parseHistory(text: string): TierChange[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as TierChange[]) : [];
  } catch {
    return [];
  }
}

/** customerId → ruleId → state, for the programs given. */
export async function loadTierStates(shop: string, ruleIds: readonly string[]): Promise<Map<string, Record<string, TierState>>> {
  const byCustomer = new Map<string, Record<string, TierState>>();
  if (ruleIds.length === 0) return byCustomer;
  const rows = await db.customerTier.findMany({ where: { shop, ruleId: { in: [...ruleIds] } } });
  for (const row of rows) {
    const entry = byCustomer.get(row.customerShopifyId) ?? {};
    entry[row.ruleId] = { tier: row.tier, since: row.since, belowSince: row.belowSince, history: parseHistory(row.history) };
    byCustomer.set(row.customerShopifyId, entry);
  }
  return byCustomer;
}

function worthKeeping(state: TierState): boolean {
  return state.tier !== null || state.belowSince !== null || state.history.length > 0;
}

/**
 * Saves today's changed states. `primaryRuleId` is the program whose tier is mirrored onto the
 * Customer row (the first loyalty program).
 */
export async function saveTierUpdates(shop: string, updates: readonly TierUpdate[], primaryRuleId: string | null): Promise<void> {
  for (const u of updates) {
    const key = { shop_ruleId_customerShopifyId: { shop, ruleId: u.ruleId, customerShopifyId: u.customerId } };
    if (worthKeeping(u.state)) {
      const data = { tier: u.state.tier, since: u.state.since, belowSince: u.state.belowSince, history: JSON.stringify(u.state.history) };
      await db.customerTier.upsert({
        where: key,
        create: { shop, ruleId: u.ruleId, customerShopifyId: u.customerId, ...data },
        update: data,
      });
    } else {
      await db.customerTier.deleteMany({ where: { shop, ruleId: u.ruleId, customerShopifyId: u.customerId } });
    }
    if (u.ruleId !== primaryRuleId || u.changes.length === 0) continue;
    await db.customer.updateMany({
      where: { shop, shopifyId: u.customerId },
      data: { tier: u.state.tier, tierSince: u.state.since ? new Date(`${u.state.since}T00:00:00Z`) : null },
    });
  }
}

/** One customer's state in a program (NO_TIER when unknown). */
export async function tierStateOf(shop: string, ruleId: string, customerId: string): Promise<TierState> {
  // One row by its unique key: reading the whole program's states costs ~1 s a call at 100k members.
  const row = await db.customerTier.findUnique({
    where: { shop_ruleId_customerShopifyId: { shop, ruleId, customerShopifyId: customerId } },
  });
  return row ? { tier: row.tier, since: row.since, belowSince: row.belowSince, history: parseHistory(row.history) } : NO_TIER;
}
