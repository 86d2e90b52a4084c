/**
 * Bulk mutation runs (decision 024): what was sent in one `bulkOperationRunMutation` and how far it got, so a
 * run interrupted at any step is finished, never sent twice. The variables are kept until the result is
 * recorded, then dropped (they hold customer ids and codes that have no use afterwards).
 */
import db from "../db.server";

export type BulkMutationPurpose = "writeBack" | "rewardDelivery";
export type BulkMutationRunStatus = "prepared" | "uploaded" | "starting" | "started" | "recorded" | "failed";

export type BulkMutationRunRow = Awaited<ReturnType<typeof db.bulkMutationRun.findUniqueOrThrow>>;

export async function createBulkMutationRun(
  shop: string,
  run: { purpose: BulkMutationPurpose; mutation: string; lines: readonly unknown[] },
): Promise<BulkMutationRunRow> {
  return db.bulkMutationRun.create({
    data: {
      shop,
      purpose: run.purpose,
      mutation: run.mutation,
      variables: run.lines.map((line) => JSON.stringify(line)).join("\n"),
      lineCount: run.lines.length,
      status: "prepared",
    },
  });
}

/** Runs of the purpose not yet recorded, oldest first. */
export async function unfinishedBulkMutationRuns(shop: string, purpose: BulkMutationPurpose): Promise<BulkMutationRunRow[]> {
  return db.bulkMutationRun.findMany({
    where: { shop, purpose, status: { in: ["prepared", "uploaded", "starting", "started"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export async function updateBulkMutationRun(
  shop: string,
  id: string,
  data: Partial<Pick<BulkMutationRunRow, "status" | "stagedUploadPath" | "startingAt" | "bulkOperationId" | "error">>,
): Promise<void> {
  await db.bulkMutationRun.updateMany({ where: { shop, id }, data });
}

/** Operation ids other runs of the shop already hold. */
export async function heldBulkOperationIds(shop: string): Promise<Set<string>> {
  const rows = await db.bulkMutationRun.findMany({ where: { shop, bulkOperationId: { not: null } }, select: { bulkOperationId: true } });
  return new Set(rows.map((r) => r.bulkOperationId!));
}

/** The run's result is in the database: counts kept, variables dropped. */
export async function markBulkMutationRecorded(
  shop: string,
  id: string,
  counts: { succeeded: number; failed: number; error?: string | null },
) {
  await db.bulkMutationRun.updateMany({
    where: { shop, id },
    data: { status: "recorded", succeeded: counts.succeeded, failed: counts.failed, error: counts.error ?? null, variables: "" },
  });
}

export async function findBulkMutationRun(shop: string, id: string): Promise<BulkMutationRunRow | null> {
  return db.bulkMutationRun.findFirst({ where: { shop, id } });
}
