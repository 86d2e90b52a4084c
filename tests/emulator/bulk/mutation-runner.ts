/**
 * `bulkOperationRunMutation` (https://shopify.dev/docs/api/usage/bulk-operations/imports): one mutation, run once
 * per line of a staged JSONL file of variables, against the same schema and resolvers as a direct call, in the
 * background. The result is a JSONL file with one line per input line, in input order: the mutation's `data`
 * (its `userErrors` inside, as for a direct call) or top-level `errors` (a line whose variables do not fit),
 * and `__lineNumber`, 0-based, so a result line is matched to its input line.
 *
 * Rules modelled, each as Shopify states it:
 * - up to five running bulk mutations per shop (app), beside up to five bulk queries ("In API versions 2026-01 and
 *   higher, you can run up to five bulk mutation operations at a time per shop"); the sixth answers
 *   `LIMIT_REACHED` (`controls.concurrency`; set to 1 it models earlier versions: `OPERATION_IN_PROGRESS`);
 * - any mutation may run in bulk (changelog "faster-bulk-operations", 2026-01: "you can execute any mutation using
 *   bulk operations across all API versions"); one the emulator does not serve answers each line with the same
 *   NOT_IMPLEMENTED error a direct call gets;
 * - `NO_SUCH_FILE` for an unknown or never-uploaded staged path, `INVALID_STAGED_UPLOAD_FILE` for a line that is
 *   not a JSON object, `INVALID_MUTATION` for a document that is not one mutation with one root field, or that
 *   calls `bulkOperationRunMutation`/`bulkOperationRunQuery` (bulk operations cannot be nested);
 * - lines are not charged to the app's rate-limit bucket; only the `bulkOperationRunMutation` call is (10 points);
 * - an operation that has not finished after 24 hours fails with `TIMEOUT`, keeping what it wrote as partial data;
 * - `bulk_operations/finish` is sent when it ends.
 *
 * How fast Shopify runs the lines is not documented. The emulator's clock drives it at
 * `controls.mutationLinesPerSecond` lines per second (default {@link DEFAULT_MUTATION_LINES_PER_SECOND}): lines are
 * executed as that clock passes, so a bench on an emulated clock measures a 100,000-line file as 100,000 ÷ rate
 * seconds. Each running operation is driven independently at that rate (five at once run five times the lines). The default is deliberately not optimistic: the rate a Shopify Plus app could reach by sending the same
 * 10-point mutation directly (1,000 points/s ÷ 10). A bench can pass another rate to see how a figure depends on it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execute, getOperationAST, GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import type { RequestContext } from "../graphql/context";
import { fieldResolver, typeResolver } from "../graphql/registry";
import type { BulkOperationRecord } from "./operations";

export const DEFAULT_MUTATION_LINES_PER_SECOND = 100;
export const BULK_MUTATION_TIME_LIMIT_MS = 24 * 3_600_000;

/** Root fields that cannot run inside a bulk mutation: bulk operations are not nested. */
export const NOT_IN_BULK_ROOT_FIELDS: ReadonlySet<string> = new Set(["bulkOperationRunMutation", "bulkOperationRunQuery"]);

export type BulkMutationErrorCode =
  "INVALID_MUTATION" | "INVALID_STAGED_UPLOAD_FILE" | "NO_SUCH_FILE" | "OPERATION_IN_PROGRESS" | "LIMIT_REACHED";

export interface BulkMutationUserError {
  field: string[] | null;
  message: string;
  code: BulkMutationErrorCode;
}

export interface CompiledBulkMutation {
  document: DocumentNode;
  rootField: string;
}

/** Checks the mutation text: one mutation operation, valid against the schema, one root field that is not a bulk operation. */
export function compileBulkMutation(schema: GraphQLSchema, mutation: string): CompiledBulkMutation | BulkMutationUserError {
  const invalid = (message: string): BulkMutationUserError => ({ field: ["mutation"], message, code: "INVALID_MUTATION" });
  let document: DocumentNode;
  try {
    document = parse(mutation);
  } catch (error) {
    return invalid(`Failed to parse the mutation - ${(error as Error).message}`);
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = getOperationAST(document);
  if (operations.length !== 1 || !operation || operation.operation !== "mutation") {
    return invalid("Bulk mutations must contain exactly one mutation operation.");
  }
  const errors = validate(schema, document);
  if (errors.length) return invalid(`Invalid mutation: ${errors.map((e) => e.message).join("; ")}`);
  const roots = operation.selectionSet.selections;
  if (roots.length !== 1 || roots[0].kind !== Kind.FIELD) return invalid("Bulk mutations must call exactly one mutation field.");
  const rootField = roots[0].name.value;
  if (NOT_IN_BULK_ROOT_FIELDS.has(rootField)) return invalid(`The mutation ${rootField} cannot be run inside a bulk operation.`);
  return { document, rootField };
}

/** Splits a staged file into variable objects, or says which line is not one. */
export function parseVariablesFile(body: Buffer): { lines: Record<string, unknown>[] } | BulkMutationUserError {
  const lines: Record<string, unknown>[] = [];
  const text = body.toString("utf8").split("\n");
  for (let i = 0; i < text.length; i++) {
    const raw = text[i].trim();
    if (!raw) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = null;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return {
        field: null,
        message: `The JSONL file could not be parsed: line ${i + 1} is not a JSON object.`,
        code: "INVALID_STAGED_UPLOAD_FILE",
      };
    }
    lines.push(value as Record<string, unknown>);
  }
  return { lines };
}

export interface BulkMutationRun {
  op: BulkOperationRecord;
  compiled: CompiledBulkMutation;
  lines: Record<string, unknown>[];
  ctx: () => RequestContext;
  clock: () => number;
  directory: string;
  linesPerSecond: number;
  /** Fail with this code after half the lines (partial data kept). */
  failWith: BulkOperationRecord["errorCode"];
  /** How long to wait (real time) between looks at the clock while nothing is due. */
  idleMs?: number;
}

export interface BulkMutationOutcome {
  status: "COMPLETED" | "FAILED" | "CANCELED";
  errorCode: BulkOperationRecord["errorCode"];
}

/**
 * Runs the lines as the emulator's clock passes and writes the result file. Resolves when the operation has ended.
 */
export async function runBulkMutation(run: BulkMutationRun): Promise<BulkMutationOutcome> {
  const { op, lines, clock } = run;
  const msPerLine = 1000 / Math.max(run.linesPerSecond, 1e-9);
  const startedAt = op.createdAt;
  const withinLimit = Math.min(lines.length, Math.floor(BULK_MUTATION_TIME_LIMIT_MS / msPerLine));
  const failAt = run.failWith ? Math.floor(lines.length / 2) : Number.POSITIVE_INFINITY;
  const out: string[] = [];
  let done = 0;
  let outcome: BulkMutationOutcome | null = null;
  while (!outcome) {
    if (op.cancelRequested) {
      outcome = { status: "CANCELED", errorCode: null };
      break;
    }
    const at = clock();
    const elapsed = at - startedAt;
    const due = Math.min(lines.length, Math.floor(elapsed / msPerLine));
    while (done < due && !outcome) {
      if (done >= failAt) {
        outcome = { status: "FAILED", errorCode: run.failWith };
        break;
      }
      if (done >= withinLimit) {
        outcome = { status: "FAILED", errorCode: "TIMEOUT" };
        break;
      }
      out.push(JSON.stringify({ ...(await executeLine(run, lines[done])), __lineNumber: done }));
      done += 1;
      op.objectCount = done;
      op.rootObjectCount = done;
      if (done % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (outcome) break;
    op.caughtUpTo = at;
    if (done >= lines.length) {
      outcome = { status: "COMPLETED", errorCode: null };
      break;
    }
    if (elapsed >= BULK_MUTATION_TIME_LIMIT_MS) {
      outcome = { status: "FAILED", errorCode: "TIMEOUT" };
      break;
    }
    await new Promise<void>((resolve) => setTimeout(resolve, run.idleMs ?? 5));
  }
  if (out.length && outcome.status !== "CANCELED") {
    mkdirSync(run.directory, { recursive: true });
    const filePath = path.join(run.directory, `bulk-${op.id}.jsonl`);
    const text = `${out.join("\n")}\n`;
    writeFileSync(filePath, text);
    op.fileSize = Buffer.byteLength(text);
    if (outcome.status === "COMPLETED") op.filePath = filePath;
    else op.partialFilePath = filePath;
  }
  return outcome;
}

async function executeLine(run: BulkMutationRun, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ctx = run.ctx();
  try {
    const result = await execute({
      schema: ctx.services.schema,
      document: run.compiled.document,
      variableValues: variables,
      contextValue: ctx,
      rootValue: {},
      fieldResolver,
      typeResolver,
    });
    const line: Record<string, unknown> = {};
    if (result.data) line.data = result.data;
    if (result.errors?.length) line.errors = result.errors.map((e) => ({ message: e.message, ...(e.path ? { path: e.path } : {}) }));
    return line;
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : "Internal error";
    return { errors: [{ message }] };
  }
}

/**
 * Resolves once every running bulk mutation of the shop has run the lines due at the clock's current value. A bench
 * on an emulated clock calls it before moving the clock, so the clock never runs ahead of the lines (this machine's
 * speed would otherwise show up as Shopify's time).
 */
export async function bulkMutationsCaughtUp(
  store: { running(type: "MUTATION"): BulkOperationRecord[] },
  clock: () => number,
): Promise<void> {
  for (;;) {
    const now = clock();
    if (!store.running("MUTATION").some((op) => (op.caughtUpTo ?? Number.NEGATIVE_INFINITY) < now)) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}
