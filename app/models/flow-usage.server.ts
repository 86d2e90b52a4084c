/**
 * Whether a shop has an enabled Flow workflow that uses one of Kinship's triggers, as Flow's
 * lifecycle callback last said (app/routes/flow.lifecycle.tsx). Flow's timestamp orders the
 * callbacks: an older one arriving late never overwrites a newer one.
 */
import db from "../db.server";
import { isUniqueViolation } from "./sql/transient-errors.server";

export interface FlowLifecycleNotice {
  flowTriggerDefinitionId: string;
  hasEnabledFlow: boolean;
  timestamp: Date;
}

/**
 * Stores the notice unless a newer one is already stored; says whether it was applied.
 *
 * Single statements, no interactive transaction: Flow wants a prompt 2xx, and a transaction that waited
 * behind an import's writes for its start (P2028) answered Flow 500 (seen in the browser tests on a loaded
 * machine). "Newer wins" is the update's own condition; a racing first notice is settled by the unique key.
 */
export async function applyFlowLifecycleNotice(shop: string, notice: FlowLifecycleNotice): Promise<boolean> {
  const key = { shop, flowTriggerDefinitionId: notice.flowTriggerDefinitionId };
  const data = { hasEnabledFlow: notice.hasEnabledFlow, notifiedAt: notice.timestamp };
  const updateIfNewer = async () =>
    (await db.flowTriggerUsage.updateMany({ where: { ...key, notifiedAt: { lte: notice.timestamp } }, data })).count > 0;
  if (await updateIfNewer()) return true;
  try {
    await db.flowTriggerUsage.create({ data: { ...key, ...data } });
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another notice stored the row first: this one still wins if it is the newer.
    return updateIfNewer();
  }
}

export interface FlowUsage {
  /** At least one enabled workflow uses a Kinship trigger. */
  active: boolean;
  /** When Flow last told us anything (null: never, so no workflow has ever been enabled). */
  lastNoticeAt: Date | null;
}

export async function flowUsage(shop: string): Promise<FlowUsage> {
  const rows = await db.flowTriggerUsage.findMany({ where: { shop }, select: { hasEnabledFlow: true, notifiedAt: true } });
  const last = rows.reduce<Date | null>((max, r) => (!max || r.notifiedAt > max ? r.notifiedAt : max), null);
  return { active: rows.some((r) => r.hasEnabledFlow), lastNoticeAt: last };
}
