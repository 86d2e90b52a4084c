/**
 * Kinship's one bulk-mutation transport (https://shopify.dev/docs/api/usage/bulk-operations/imports):
 *
 *   stage (stagedUploadsCreate, BULK_MUTATION_VARIABLES) → upload (multipart POST of the JSONL) →
 *   run (bulkOperationRunMutation) → wait (poll bulkOperation) → read the result JSONL → one outcome per line
 *
 * Each step is its own function so the caller (app/jobs/bulk-mutations.server.ts) can record progress between
 * them and resume after a crash. Up to five bulk mutations run per shop at once (2026-01 and later); a sixth is
 * answered LIMIT_REACHED (OPERATION_IN_PROGRESS before 2026-01), surfaced as {@link BulkMutationBusyError}.
 */
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import { streamJsonl } from "./jsonl.server";
import { BULK_OPERATION_STATUS, type BulkOperationStatus } from "./queries/bulk";
import {
  BULK_MUTATION_RUN,
  BULK_MUTATIONS_SINCE,
  STAGED_UPLOADS_CREATE,
  type BulkMutationRunResult,
  type BulkMutationsSinceResult,
  type StagedUploadsCreateResult,
} from "./queries/bulk-mutations";

/** The shop's bulk mutations of this app are all taken (ours after a crash, or another process's): try again later. */
export class BulkMutationBusyError extends Error {
  constructor(readonly message: string) {
    super(message);
    this.name = "BulkMutationBusyError";
  }
}

/** The staged file is gone (expired or never uploaded): stage it again. */
export class StagedFileMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StagedFileMissingError";
  }
}

/** Uploading the variables file to Shopify's storage failed (HTTP status and storage's error code). */
export class StagedUploadError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`Uploading the bulk mutation variables failed (HTTP ${status}) ${detail}`.trim());
    this.name = "StagedUploadError";
  }
}

/** Creates a staged target and uploads `jsonl` to it; returns the `stagedUploadPath` (the form's `key`). */
export async function stageBulkVariables(client: AdminClient, jsonl: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const data = await client.mutate<StagedUploadsCreateResult>(
    STAGED_UPLOADS_CREATE,
    {
      input: [
        { resource: "BULK_MUTATION_VARIABLES", filename: "kinship-bulk-variables.jsonl", mimeType: "text/jsonl", httpMethod: "POST" },
      ],
    },
    "stagedUploadsCreate",
  );
  const target = data.stagedUploadsCreate.stagedTargets?.[0];
  const key = target?.parameters.find((p) => p.name === "key")?.value;
  if (!target?.url || !key) throw new StagedUploadError(0, "stagedUploadsCreate answered no target");
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  // The file goes last: storage ignores fields after it.
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "kinship-bulk-variables.jsonl");
  const response = await fetchImpl(target.url, { method: "POST", body: form });
  // Storage answers with a small XML body either way: read it, or the connection stays busy with it.
  const body = await response.text().catch(() => "");
  if (!response.ok) throw new StagedUploadError(response.status, /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? "");
  return key;
}

/** Starts the bulk mutation; returns the operation's id. */
export async function startBulkMutation(client: AdminClient, mutation: string, stagedUploadPath: string): Promise<string> {
  const data = await client.request<BulkMutationRunResult>(BULK_MUTATION_RUN, { mutation, stagedUploadPath });
  const payload = data.bulkOperationRunMutation;
  const busy = payload.userErrors.find((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED");
  if (busy) throw new BulkMutationBusyError(busy.message);
  const missing = payload.userErrors.find((e) => e.code === "NO_SUCH_FILE");
  if (missing) throw new StagedFileMissingError(missing.message);
  if (payload.userErrors.length || !payload.bulkOperation) throw new ShopifyUserErrors("bulkOperationRunMutation", payload.userErrors);
  return payload.bulkOperation.id;
}

export async function bulkOperationStatus(client: AdminClient, id: string): Promise<BulkOperationStatus | null> {
  const data = await client.request<{ bulkOperation: BulkOperationStatus | null }>(BULK_OPERATION_STATUS, { id });
  return data.bulkOperation;
}

const RUNNING = new Set(["CREATED", "RUNNING", "CANCELING"]);

export function isRunning(op: Pick<BulkOperationStatus, "status">): boolean {
  return RUNNING.has(op.status);
}

/** The mutation's root field (tagsAdd, metafieldsSet…): what a result line is read from, and what an operation ran. */
export function rootFieldOf(mutation: string): string {
  return /\{\s*(\w+)\s*\(/.exec(mutation.slice(mutation.indexOf("{")))?.[1] ?? "";
}

/**
 * The oldest bulk mutation of this app running `rootField`, created at or after `since`, whose id is not in
 * `taken`: the operation a crashed caller started but never saved. The caller starts one run of a shop at a time
 * (the others wait for its id to be saved), so only one run is ever looking for its operation.
 */
export async function findBulkMutationStartedSince(
  client: AdminClient,
  since: Date,
  taken: ReadonlySet<string>,
  rootField: string,
): Promise<string | null> {
  const data = await client.request<BulkMutationsSinceResult>(BULK_MUTATIONS_SINCE, {
    query: `operation_type:mutation created_at:>='${since.toISOString().replace(/\.\d{3}Z$/, "Z")}'`,
  });
  return data.bulkOperations.nodes.find((op) => !taken.has(op.id) && rootFieldOf(op.query) === rootField)?.id ?? null;
}

/**
 * Polls until the operation has ended, on the caller's clock: after 1 s, then twice as long each time up to
 * `intervalMs`, so a small file is read back at once and a large one costs a poll (about 1 point) every 5 s.
 */
export async function awaitBulkOperation(
  client: AdminClient,
  id: string,
  sleep: (ms: number) => Promise<void>,
  intervalMs = 5_000,
): Promise<BulkOperationStatus> {
  let wait = Math.min(1_000, intervalMs);
  for (;;) {
    const op = await bulkOperationStatus(client, id);
    if (!op) throw new Error(`Shopify does not know bulk operation ${id}`);
    if (!isRunning(op)) return op;
    await sleep(wait);
    wait = Math.min(wait * 2, intervalMs);
  }
}

export interface BulkLineOutcome {
  /** 0-based line of the variables file. */
  lineNumber: number;
  /** The mutation's root field (tagsAdd, metafieldsSet…). */
  rootField: string;
  ok: boolean;
  /** Why the line failed: top-level errors or the mutation's userErrors. */
  error: string | null;
  /** The mutation's payload (data[rootField]), when any. */
  payload: Record<string, unknown> | null;
}

interface ResultLine {
  data?: Record<string, { userErrors?: Array<{ message: string; field?: string[] | null }> } | null>;
  errors?: Array<{ message: string }>;
  __lineNumber?: number;
}

/**
 * Reads a bulk mutation's result (or partial) file: one outcome per line it holds, in batches. A line is a
 * success when it has data for `rootField` without userErrors and no top-level errors.
 */
export async function* bulkMutationOutcomes(
  url: string,
  rootField: string,
  fetchImpl: typeof fetch = fetch,
): AsyncGenerator<BulkLineOutcome[]> {
  for await (const lines of streamJsonl<ResultLine>(url, fetchImpl)) {
    const batch: BulkLineOutcome[] = [];
    for (const { value } of lines) {
      if (typeof value.__lineNumber !== "number") continue;
      const payload = value.data?.[rootField] ?? null;
      const userErrors = payload?.userErrors ?? [];
      const error = value.errors?.length
        ? value.errors.map((e) => e.message).join("; ")
        : userErrors.length
          ? userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ")
          : payload
            ? null
            : "No result for this line";
      batch.push({
        lineNumber: value.__lineNumber,
        rootField,
        ok: error === null,
        error,
        payload: payload as Record<string, unknown> | null,
      });
    }
    if (batch.length) yield batch;
  }
}
