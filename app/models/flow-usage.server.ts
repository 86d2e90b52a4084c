/**
 * Whether a shop has an enabled Flow workflow that uses one of Kinship's triggers, as Flow's
 * lifecycle callback last said (app/routes/flow.lifecycle.tsx). Flow's timestamp orders the
 * callbacks: an older one arriving late never overwrites a newer one.
 */
import db from "../db.server";

export interface FlowLifecycleNotice {
  flowTriggerDefinitionId: string;
  hasEnabledFlow: boolean;
  timestamp: Date;
}

/** Stores the notice unless a newer one is already stored; says whether it was applied. */
export async function applyFlowLifecycleNotice(shop: string, notice: FlowLifecycleNotice): Promise<boolean> {
  const where = { shop_flowTriggerDefinitionId: { shop, flowTriggerDefinitionId: notice.flowTriggerDefinitionId } };
  return db.$transaction(async (tx) => {
    const current = await tx.flowTriggerUsage.findUnique({ where, select: { notifiedAt: true } });
    if (current && current.notifiedAt.getTime() > notice.timestamp.getTime()) return false;
    await tx.flowTriggerUsage.upsert({
      where,
      create: {
        shop,
        flowTriggerDefinitionId: notice.flowTriggerDefinitionId,
        hasEnabledFlow: notice.hasEnabledFlow,
        notifiedAt: notice.timestamp,
      },
      update: { hasEnabledFlow: notice.hasEnabledFlow, notifiedAt: notice.timestamp },
    });
    return true;
  });
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
