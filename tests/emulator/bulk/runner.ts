import { createWriteStream, mkdirSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { GraphQLError } from "graphql";
import { mulberry32 } from "../../../app/retention/random";
import type { RequestContext } from "../graphql/context";
import { mixSeed } from "../seed/hash";
import type { BulkOperationRecord } from "./operations";
import { BulkProjector, type JsonLine } from "./project";
import type { BulkQueryPlan } from "./plan";

export interface BulkRunResult {
  status: "COMPLETED" | "FAILED" | "CANCELED";
  errorCode: BulkOperationRecord["errorCode"];
  error?: string;
}

const CHUNK_BYTES = 1 << 18;

/**
 * Writes the JSONL for one bulk query operation, streaming: nodes are materialised, written and dropped one root
 * at a time, so the file size never turns into memory. With groupObjects=false, as on 2026-04, children are not
 * kept after their parent: a deterministic share is written before the parent or after the next root.
 */
export async function runBulkQuery(options: {
  op: BulkOperationRecord;
  plan: BulkQueryPlan;
  ctx: RequestContext;
  directory: string;
  yieldEvery: number;
  failWith: BulkOperationRecord["errorCode"];
  malformedLines: number;
}): Promise<BulkRunResult> {
  const { op, plan, ctx } = options;
  mkdirSync(options.directory, { recursive: true });
  const filePath = path.join(options.directory, `bulk-${op.id}.jsonl`);
  // A deep write buffer lets the disk work while the next nodes are projected, instead of pausing per chunk.
  const stream = createWriteStream(filePath, { highWaterMark: 1 << 22 });
  let buffer = "";
  const flush = async () => {
    if (!buffer) return;
    const chunk = buffer;
    buffer = "";
    if (!stream.write(chunk)) await once(stream, "drain");
  };
  const write = async (lines: JsonLine[]) => {
    for (const line of lines) {
      buffer += `${JSON.stringify(line)}\n`;
      op.objectCount += 1;
    }
    if (buffer.length >= CHUNK_BYTES) await flush();
  };
  const finish = async () => {
    await flush();
    stream.end();
    await once(stream, "close");
  };

  const projector = new BulkProjector(plan, ctx);
  const shuffle = mulberry32(mixSeed(op.id, 0xb01c));
  let deferred: JsonLine[] = [];
  let result: BulkRunResult = { status: "COMPLETED", errorCode: null };
  try {
    const roots = projector.rootSequence();
    const stopAt = options.failWith ? Math.floor(roots.size / 2) : roots.size;
    const malformedEvery = options.malformedLines > 0 ? Math.max(1, Math.floor(roots.size / (options.malformedLines + 1))) : 0;
    let malformedLeft = options.malformedLines;
    for (let p = 0; p < roots.size; p += 1) {
      if (op.cancelRequested) {
        result = { status: "CANCELED", errorCode: null };
        break;
      }
      if (p >= stopAt) {
        result = { status: "FAILED", errorCode: options.failWith, error: "failure injected by the test" };
        break;
      }
      const lines = projector.linesForRoot(roots.load(p));
      op.rootObjectCount += 1;
      const pending = deferred;
      deferred = [];
      if (op.groupObjects || lines.length === 1) {
        await write(lines);
      } else {
        const roll = shuffle();
        if (roll < 0.2) await write([...lines.slice(1), lines[0]]);
        else if (roll < 0.3) {
          await write([lines[0]]);
          deferred = lines.slice(1);
        } else await write(lines);
      }
      if (pending.length) await write(pending);
      if (malformedEvery && malformedLeft > 0 && (p + 1) % malformedEvery === 0) {
        buffer += `{"id":"gid://shopify/Broken/${p}","truncated":\n`;
        malformedLeft -= 1;
      }
      if ((p + 1) % options.yieldEvery === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (deferred.length && result.status === "COMPLETED") await write(deferred);
  } catch (error) {
    const denied = error instanceof GraphQLError && error.extensions?.code === "ACCESS_DENIED";
    result = { status: "FAILED", errorCode: denied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR", error: (error as Error).message };
  }
  await finish();

  if (op.objectCount === 0 || result.status === "CANCELED") {
    rmSync(filePath, { force: true });
  } else if (result.status === "COMPLETED") {
    op.filePath = filePath;
    op.fileSize = statSync(filePath).size;
  } else {
    op.partialFilePath = filePath;
    op.fileSize = statSync(filePath).size;
  }
  return result;
}
