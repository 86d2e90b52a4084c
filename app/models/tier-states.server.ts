/**
 * Loyalty tier state per program and customer (tier, since, grace start, dated history).
 *
 * Stored as one JSON document per program in a `JobRun` row keyed `tier-states:<ruleId>` because the
 * schema has no table for it yet (Customer.tier/tierSince hold only the current tier, not the grace
 * start or the history). Only customers with a tier or a running grace period are kept. The
 * proposed `CustomerTier` table would replace this module's internals without changing its API.
 * Customer.tier/tierSince are kept in step for the first program, for the customer pages.
 */
import db from "../db.server";
import { NO_TIER, type TierState, type TierUpdate } from "../retention/rewards";

const KEY_PREFIX = "tier-states:";
const STATE_STATUS = "state";

type StatesByCustomer = Record<string, TierState>;

function parseStates(text: string | null | undefined): StatesByCustomer {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as StatesByCustomer) : {};
  } catch {
    return {};
  }
}

/** customerId → ruleId → state, for the programs given. */
export async function loadTierStates(shop: string, ruleIds: readonly string[]): Promise<Map<string, Record<string, TierState>>> {
  const byCustomer = new Map<string, Record<string, TierState>>();
  if (ruleIds.length === 0) return byCustomer;
  const rows = await db.jobRun.findMany({ where: { shop, jobKey: { in: ruleIds.map((id) => KEY_PREFIX + id) } } });
  for (const row of rows) {
    const ruleId = row.jobKey.slice(KEY_PREFIX.length);
    for (const [customerId, state] of Object.entries(parseStates(row.result))) {
      const entry = byCustomer.get(customerId) ?? {};
      entry[ruleId] = state;
      byCustomer.set(customerId, entry);
    }
  }
  return byCustomer;
}

function worthKeeping(state: TierState): boolean {
  return state.tier !== null || state.belowSince !== null || state.history.length > 0;
}

/**
 * Merges today's changed states. `primaryRuleId` is the program whose tier is mirrored onto the
 * Customer row (the first loyalty program).
 */
export async function saveTierUpdates(shop: string, updates: readonly TierUpdate[], primaryRuleId: string | null): Promise<void> {
  const byRule = new Map<string, TierUpdate[]>();
  for (const u of updates) byRule.set(u.ruleId, [...(byRule.get(u.ruleId) ?? []), u]);
  for (const [ruleId, list] of byRule) {
    const jobKey = KEY_PREFIX + ruleId;
    const row = await db.jobRun.findUnique({ where: { shop_jobKey: { shop, jobKey } } });
    const states = parseStates(row?.result);
    for (const u of list) {
      if (worthKeeping(u.state)) states[u.customerId] = u.state;
      else delete states[u.customerId];
    }
    const result = JSON.stringify(states);
    await db.jobRun.upsert({
      where: { shop_jobKey: { shop, jobKey } },
      create: { shop, jobKey, status: STATE_STATUS, result },
      update: { result, finishedAt: new Date() },
    });
    if (ruleId !== primaryRuleId) continue;
    for (const u of list) {
      if (u.changes.length === 0) continue;
      await db.customer.updateMany({
        where: { shop, shopifyId: u.customerId },
        data: { tier: u.state.tier, tierSince: u.state.since ? new Date(`${u.state.since}T00:00:00Z`) : null },
      });
    }
  }
}

/** One customer's state in a program (NO_TIER when unknown). */
export async function tierStateOf(shop: string, ruleId: string, customerId: string): Promise<TierState> {
  return (await loadTierStates(shop, [ruleId])).get(customerId)?.[ruleId] ?? NO_TIER;
}
