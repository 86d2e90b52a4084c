/**
 * Drives one bulk mutation run (decision 024) from wherever it stopped:
 *
 *   prepared ─stage+upload→ uploaded ─(startingAt saved)→ starting ─run→ started ─wait, read, record→ recorded
 *
 * Every step is saved before the next begins, so a process that dies anywhere resumes without sending a line
 * twice: a run `starting` without an operation id looks for the operation of its mutation Shopify created after
 * `startingAt` (and only starts one if there is none); a `started` run waits for its operation (polled by id, so
 * several running operations are told apart) and records its result file, which stays readable for seven days.
 * Recording is idempotent (values and statuses are set, never added to).
 *
 * Up to five bulk mutations run per shop at once (API 2026-01+, https://shopify.dev/docs/api/usage/bulk-operations/imports):
 * every run of this process takes one of the shop's {@link BULK_MUTATIONS_PER_SHOP} slots, whoever asks (write-back,
 * reward delivery), so Kinship never starts a sixth; LIMIT_REACHED or OPERATION_IN_PROGRESS (another process's
 * runs) is waited out and asked again. Only one run of a shop is between "starting" and its id saved at a time, so
 * after a crash the operation a `starting` run looks for is not confused with a sibling's.
 */
import type { AdminClient } from "../shopify/admin-client.server";
import {
  awaitBulkOperation,
  BulkMutationBusyError,
  bulkMutationOutcomes,
  findBulkMutationStartedSince,
  rootFieldOf,
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
  /** Test seam, shared by the runs of one call: set when one of them "died", so the others stop too. */
  halt?: { crashed: boolean };
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

/** Bulk mutation operations Shopify runs at once per shop and app (2026-01 and later). */
export const BULK_MUTATIONS_PER_SHOP = 5;

/** At most `size` pieces of work at once; the others wait, first come first served. */
class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly size: number) {}

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.size) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

const operationSlots = new Map<string, Slots>();
const startLocks = new Map<string, Slots>();

/** Runs `work` in one of the shop's slots of `pool` (created on demand, dropped when idle). */
async function inSlot<T>(pool: Map<string, Slots>, size: number, shop: string, work: () => Promise<T>): Promise<T> {
  let slots = pool.get(shop);
  if (!slots) pool.set(shop, (slots = new Slots(size)));
  try {
    return await slots.run(work);
  } finally {
    if (slots.idle && pool.get(shop) === slots) pool.delete(shop);
  }
}

/** Below this, a shard's fixed cost (staging, a 10-point start, polls) outweighs running beside the others. */
export const MIN_SHARD_LINES = 1_000;

/** Cuts a large bulk write's lines into shards of `size` lines, each its own run and operation. */
export function shardLines<T>(lines: readonly T[], size: number): T[][] {
  const shards: T[][] = [];
  for (let i = 0; i < lines.length; i += size) shards.push(lines.slice(i, i + size));
  return shards;
}

/** Lines per shard for `totalLines` lines: a fifth of them (one operation per slot), at least `minLines`. */
export function shardSize(totalLines: number, minLines = MIN_SHARD_LINES): number {
  return Math.max(minLines, Math.ceil(totalLines / BULK_MUTATIONS_PER_SHOP), 1);
}

function crash(deps: BulkRunDeps, at: BulkCrashPoint) {
  if (deps.crashAt === at) {
    if (deps.halt) deps.halt.crashed = true;
    throw new SimulatedCrash(at);
  }
}

/** A simulated crash stops every run of the same call, as a dying process would. */
function halted(deps: BulkRunDeps) {
  if (deps.halt?.crashed) throw new SimulatedCrash(deps.crashAt ?? "afterStart");
}

/** Brings a run to `recorded` (or `failed`), recording each succeeded line with `record`, in one of the shop's slots. */
export async function driveBulkMutationRun(shop: string, runId: string, deps: BulkRunDeps, record: LineRecorder): Promise<BulkRunResult> {
  return inSlot(operationSlots, BULK_MUTATIONS_PER_SHOP, shop, () => drive(shop, runId, deps, record));
}

/**
 * Drives the runs side by side (each in its own slot, so at most five run at once with any other bulk mutation of
 * the shop) and returns their results in order. Every run is brought as far as it gets before an error is thrown.
 */
export async function driveBulkMutationRuns(
  shop: string,
  runIds: readonly string[],
  deps: BulkRunDeps,
  record: LineRecorder,
): Promise<BulkRunResult[]> {
  const shared = { ...deps, halt: deps.halt ?? { crashed: false } };
  const settled = await Promise.allSettled(runIds.map((id) => driveBulkMutationRun(shop, id, shared, record)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<BulkRunResult>).value);
}

async function drive(shop: string, runId: string, deps: BulkRunDeps, record: LineRecorder): Promise<BulkRunResult> {
  const now = deps.now ?? (() => new Date());
  const pollMs = deps.pollMs ?? 5_000;
  for (;;) {
    halted(deps);
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
        const outcome = await inSlot(startLocks, 1, shop, () => start(shop, run, deps, now));
        if (outcome === "busy") await deps.sleep(pollMs);
        continue;
      }
      case "starting": {
        // The process died between asking Shopify to start and saving the answer: find what Shopify started.
        await inSlot(startLocks, 1, shop, async () => {
          const since = new Date((run.startingAt ?? run.updatedAt).getTime() - START_SKEW_MS);
          const found = await findBulkMutationStartedSince(deps.client, since, await heldBulkOperationIds(shop), rootFieldOf(run.mutation));
          await updateBulkMutationRun(shop, run.id, found ? { status: "started", bulkOperationId: found } : { status: "uploaded" });
        });
        continue;
      }
      case "started":
        return finish(shop, run, deps, record, pollMs);
      default:
        throw new Error(`Bulk mutation run ${run.id} has an unknown status ${run.status}`);
    }
  }
}

/** Asks Shopify to start the run's operation and saves its id; "busy" when the shop's five are taken. */
async function start(shop: string, run: BulkMutationRunRow, deps: BulkRunDeps, now: () => Date): Promise<"started" | "busy" | "restage"> {
  halted(deps);
  await updateBulkMutationRun(shop, run.id, { status: "starting", startingAt: now() });
  let id: string;
  try {
    id = await startBulkMutation(deps.client, run.mutation, run.stagedUploadPath!);
  } catch (error) {
    if (error instanceof BulkMutationBusyError) {
      // Other operations of this app (another process's) hold the shop's five: wait for one to end and ask again.
      await updateBulkMutationRun(shop, run.id, { status: "uploaded" });
      return "busy";
    }
    if (error instanceof StagedFileMissingError) {
      await updateBulkMutationRun(shop, run.id, { status: "prepared", stagedUploadPath: null });
      return "restage";
    }
    throw error;
  }
  await updateBulkMutationRun(shop, run.id, { status: "started", bulkOperationId: id });
  crash(deps, "afterStart");
  return "started";
}

async function finish(
  shop: string,
  run: BulkMutationRunRow,
  deps: BulkRunDeps,
  record: LineRecorder,
  pollMs: number,
): Promise<BulkRunResult> {
  const op = await awaitBulkOperation(deps.client, run.bulkOperationId!, deps.sleep, pollMs);
  halted(deps);
  crash(deps, "afterResult");
  const variables = run.variables.split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  const rootField = rootFieldOf(run.mutation);
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
      halted(deps);
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
