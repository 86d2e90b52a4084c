import { gid } from "../ids";
import { DEFAULT_MUTATION_LINES_PER_SECOND } from "./mutation-runner";
import { StagedUploadStore } from "./staged-uploads";

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkOperationErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperationRecord {
  id: number;
  type: "QUERY" | "MUTATION";
  status: BulkOperationStatus;
  errorCode: BulkOperationErrorCode | null;
  query: string;
  groupObjects: boolean;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  filePath: string | null;
  /** Set when a failed operation still wrote some lines. */
  partialFilePath: string | null;
  urlExpiresAt: number | null;
  cancelRequested: boolean;
  /** Bulk mutations: the clock value up to which every due line has run (benches wait for it before moving the clock). */
  caughtUpTo?: number;
}

export const RUNNING_STATUSES: readonly BulkOperationStatus[] = ["CREATED", "RUNNING", "CANCELING"];

/** Test knobs for bulk behaviour, per shop. */
export interface BulkControls {
  /**
   * Running bulk operations allowed at once per shop (app), counted for queries and for mutations separately
   * (2026-01+: five of each; earlier versions: one, answered OPERATION_IN_PROGRESS instead of LIMIT_REACHED).
   */
  concurrency: number;
  /** Keep new operations RUNNING until `release()` (to test the concurrency limit). */
  hold: boolean;
  /** The next operation fails with this code after writing some lines (partialDataUrl is set). */
  failNext: BulkOperationErrorCode | null;
  /** The next operation's file gets this many malformed lines mixed in. */
  malformedLinesNext: number;
  /** How long `url` stays valid after completion; Shopify keeps it seven days. */
  urlTtlMs: number;
  /** Roots written between event-loop yields, so the server stays responsive while a big file is written. */
  yieldEvery: number;
  /** Lines a bulk mutation runs per second of the emulator's clock (bulk/mutation-runner.ts says why this default). */
  mutationLinesPerSecond: number;
}

export const DEFAULT_BULK_CONTROLS: BulkControls = {
  concurrency: 5,
  hold: false,
  failNext: null,
  malformedLinesNext: 0,
  urlTtlMs: 7 * 86_400_000,
  yieldEvery: 200,
  mutationLinesPerSecond: DEFAULT_MUTATION_LINES_PER_SECOND,
};

export class BulkOperationStore {
  readonly byId = new Map<number, BulkOperationRecord>();
  readonly controls: BulkControls = { ...DEFAULT_BULK_CONTROLS };
  /** Files staged for bulk mutations (stagedUploadsCreate). */
  readonly stagedUploads = new StagedUploadStore();
  private readonly finished = new Map<number, Promise<void>>();

  running(type: "QUERY" | "MUTATION" = "QUERY"): BulkOperationRecord[] {
    return [...this.byId.values()].filter((op) => op.type === type && RUNNING_STATUSES.includes(op.status));
  }

  /**
   * The userError a new operation of `type` gets when `concurrency` of that type are already running, else null
   * (https://shopify.dev/docs/api/usage/bulk-operations/imports: "In API versions 2026-01 and higher, you can run
   * up to five bulk mutation operations at a time per shop"; the queries guide says the same of bulk queries).
   */
  refusal(type: "QUERY" | "MUTATION"): { field: null; message: string; code: "LIMIT_REACHED" | "OPERATION_IN_PROGRESS" } | null {
    const limit = this.controls.concurrency;
    const running = this.running(type);
    if (running.length < limit) return null;
    const kind = type === "QUERY" ? "query" : "mutation";
    if (limit === 1) {
      return {
        field: null,
        message: `A bulk ${kind} operation for this app and shop is already in progress: ${gid("BulkOperation", running[0].id)}.`,
        code: "OPERATION_IN_PROGRESS",
      };
    }
    return {
      field: null,
      message: `Bulk operations limit reached: ${limit} bulk ${kind} operations are already running for this app and shop. Please try again later.`,
      code: "LIMIT_REACHED",
    };
  }

  /** Newest first, as `bulkOperations` sorts by default. */
  all(): BulkOperationRecord[] {
    return [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  }

  /** Lets held operations finish. */
  release(): void {
    this.controls.hold = false;
  }

  track(id: number, done: Promise<void>): void {
    this.finished.set(id, done);
  }

  /** Resolves when the operation's background run has ended (any final status). */
  async whenFinished(id: number): Promise<BulkOperationRecord | undefined> {
    await this.finished.get(id);
    return this.byId.get(id);
  }
}
