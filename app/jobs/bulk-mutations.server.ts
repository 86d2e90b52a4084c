/**
 * Drives one bulk mutation run (decision 024) from wherever it stopped:
 *
 *   prepared ─stage+upload→ uploaded ─(startingAt saved)→ starting ─run→ started ─wait, read, record→ recorded
 *
 * Every step is saved before the next begins, so a process that dies anywhere resumes without sending a line
 * twice: a run `starting` without an operation id looks for the operation Shopify created after `startingAt`
 * (and only starts one if there is none); a `started` run waits for its operation and records its result file,
 * which stays readable for seven days. Recording is idempotent (values and statuses are set, never added to).
 * One bulk mutation per shop at a time: runs are serialised per shop in this process, and Shopify's
 * OPERATION_IN_PROGRESS (another process's run) is waited out.
 */
import type { AdminClient } from "../shopify/admin-client.server";
import {
  awaitBulkOperation,
  BulkMutationBusyError,
  bulkMutationOutcomes,
  findBulkMutationStartedSince,
  StagedFileMissingError,
  stageBulkVariables,
  startBulkMutation,
  type BulkLineOutcome,
} from "../shopify/bulk-mutations.server";
import {
  findBulkMutationRun,
  heldBulkOperationIds,
  markBulkMutationRecorded,
  updateBulkMutationRun,
  type BulkMutationRunRow,
} from "../models/bulk-mutation-runs.server";

/** Where a test makes the process "die" (an error thrown right after that step was saved). */
export type BulkCrashPoint = "afterUpload" | "afterStart" | "afterResult" | "beforeRecord";

export class SimulatedCrash extends Error {
  constructor(readonly at: BulkCrashPoint) {
    super(`simulated crash ${at}`);
    this.name = "SimulatedCrash";
  }
}

export interface BulkRunDeps {
  client: AdminClient;
  now?: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** How often the operation's status is asked (on the caller's clock). */
  pollMs?: number;
  /** Test seam: die after this step. */
  crashAt?: BulkCrashPoint;
  fetch?: typeof fetch;
}

export interface LineResult {
  variables: Record<string, unknown>;
  outcome: BulkLineOutcome;
}

/** Writes what the succeeded lines did into the database (idempotent). */
export type LineRecorder = (lines: LineResult[]) => Promise<void>;

export interface BulkRunResult {
  succeeded: number;
  failed: LineResult[];
}

/** Allowed difference between our clock and Shopify's when finding an operation started before a crash. */
const START_SKEW_MS = 60_000;
const RECORD_BATCH = 1_000;

const shopQueues = new Map<string, Promise<unknown>>();

/** Runs `work` after the shop's earlier bulk work in this process has ended. */
export function serialisedForShop<T>(shop: string, work: () => Promise<T>): Promise<T> {
  const before = shopQueues.get(shop) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(work);
  const tail = next.catch(() => undefined);
  shopQueues.set(shop, tail);
  void tail.then(() => {
    if (shopQueues.get(shop) === tail) shopQueues.delete(shop);
  });
  return next;
}

function crash(deps: BulkRunDeps, at: BulkCrashPoint) {
  if (deps.crashAt === at) throw new SimulatedCrash(at);
}

/** Brings a run to `recorded` (or `failed`), recording each succeeded line with `record`. */
export async function driveBulkMutationRun(shop: string, runId: string, deps: BulkRunDeps, record: LineRecorder): Promise<BulkRunResult> {
  return serialisedForShop(shop, () => drive(shop, runId, deps, record));
}

async function drive(shop: string, runId: string, deps: BulkRunDeps, record: LineRecorder): Promise<BulkRunResult> {
  const now = deps.now ?? (() => new Date());
  const pollMs = deps.pollMs ?? 5_000;
  for (;;) {
    const run = await findBulkMutationRun(shop, runId);
    if (!run) throw new Error(`No bulk mutation run ${runId}`);
    switch (run.status) {
      case "recorded":
      case "failed":
        return { succeeded: run.succeeded, failed: [] };
      case "prepared": {
        const path = await stageBulkVariables(deps.client, `${run.variables}\n`, deps.fetch);
        await updateBulkMutationRun(shop, run.id, { status: "uploaded", stagedUploadPath: path });
        crash(deps, "afterUpload");
        continue;
      }
      case "uploaded": {
        await updateBulkMutationRun(shop, run.id, { status: "starting", startingAt: now() });
        let id: string;
        try {
          id = await startBulkMutation(deps.client, run.mutation, run.stagedUploadPath!);
        } catch (error) {
          if (error instanceof BulkMutationBusyError) {
            // Another run of this app holds the shop's one bulk mutation: wait for it and ask again.
            await updateBulkMutationRun(shop, run.id, { status: "uploaded" });
            await deps.sleep(pollMs);
            continue;
          }
          if (error instanceof StagedFileMissingError) {
            await updateBulkMutationRun(shop, run.id, { status: "prepared", stagedUploadPath: null });
            continue;
          }
          throw error;
        }
        await updateBulkMutationRun(shop, run.id, { status: "started", bulkOperationId: id });
        crash(deps, "afterStart");
        continue;
      }
      case "starting": {
        // The process died between asking Shopify to start and saving the answer: find what Shopify started.
        const since = new Date((run.startingAt ?? run.updatedAt).getTime() - START_SKEW_MS);
        const found = await findBulkMutationStartedSince(deps.client, since, await heldBulkOperationIds(shop));
        await updateBulkMutationRun(shop, run.id, found ? { status: "started", bulkOperationId: found } : { status: "uploaded" });
        continue;
      }
      case "started":
        return finish(shop, run, deps, record, pollMs);
      default:
        throw new Error(`Bulk mutation run ${run.id} has an unknown status ${run.status}`);
    }
  }
}

async function finish(
  shop: string,
  run: BulkMutationRunRow,
  deps: BulkRunDeps,
  record: LineRecorder,
  pollMs: number,
): Promise<BulkRunResult> {
  const op = await awaitBulkOperation(deps.client, run.bulkOperationId!, deps.sleep, pollMs);
  crash(deps, "afterResult");
  const variables = run.variables.split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  const rootField = /\{\s*(\w+)\s*\(/.exec(run.mutation.slice(run.mutation.indexOf("{")))?.[1] ?? "";
  const url = op.url ?? op.partialDataUrl;
  const answered = new Set<number>();
  const failed: LineResult[] = [];
  let succeeded = 0;
  if (url) {
    for await (const batch of bulkMutationOutcomes(url, rootField, deps.fetch)) {
      const lines = batch
        .filter((o) => o.lineNumber >= 0 && o.lineNumber < variables.length && !answered.has(o.lineNumber))
        .map((outcome) => ({ variables: variables[outcome.lineNumber], outcome }));
      for (const line of lines) answered.add(line.outcome.lineNumber);
      const ok = lines.filter((l) => l.outcome.ok);
      failed.push(...lines.filter((l) => !l.outcome.ok));
      crash(deps, "beforeRecord");
      for (let i = 0; i < ok.length; i += RECORD_BATCH) await record(ok.slice(i, i + RECORD_BATCH));
      succeeded += ok.length;
    }
  }
  // Lines the file does not answer were never run (a failed or cancelled operation): the caller sends them again.
  const why =
    op.status === "COMPLETED"
      ? "Shopify's result has no line for this"
      : `The bulk operation ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`;
  variables.forEach((v, lineNumber) => {
    if (!answered.has(lineNumber)) failed.push({ variables: v, outcome: { lineNumber, rootField, ok: false, error: why, payload: null } });
  });
  await markBulkMutationRecorded(shop, run.id, {
    succeeded,
    failed: failed.length,
    error: failed.length ? (failed[0].outcome.error ?? why).slice(0, 2000) : null,
  });
  return { succeeded, failed };
}
