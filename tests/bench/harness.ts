/**
 * Shared plumbing of `npm run bench`: child processes that print one result line, statistics, and the
 * row format of the results table / bench-results.json.
 */
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(BENCH_DIR, "../..");
/** Scratch space (git-ignored): bench databases and the emulator's JSONL files. */
export const TMP_DIR = path.join(REPO_ROOT, "tests/.tmp/bench");

const RESULT_PREFIX = "BENCH_RESULT ";

export type DbKind = "sqlite" | "postgresql";
export type BenchSize = "small" | "medium" | "large";

/** One line of the results table. `values` are the individual runs; `median` is what the table shows. */
export interface BenchRow {
  name: string;
  size: string;
  db: string;
  runs: number;
  values: number[];
  median: number | null;
  unit: string;
  /** The target from the issues, in words ("≥ 50,000", "< 200 ms"); "" when the issues set none. */
  target: string;
  /** true/false when the target is numeric and checkable; null otherwise. */
  meetsTarget: boolean | null;
  /** "ok", or "not run: <reason>" when the measurement could not run. */
  status: string;
  note?: string;
  details?: Record<string, unknown>;
}

/** Called by a child script: its result, on a line of its own that the parent looks for. */
export function reportResult(result: unknown): void {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Progress for the person watching (stderr, so stdout keeps only the table and result lines). */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * Runs a bench script in its own Node process (a fresh DATABASE_URL, and a peak RSS that is this
 * measurement's alone) and returns what it reported with `reportResult`.
 */
export function runChild<T>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<T> {
  const childLog = process.env.KINSHIP_BENCH_CHILD_LOG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, script), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      // Children's progress lines pass through; everything is kept for the error message.
      for (const line of text.split("\n")) if (line.startsWith("[bench ")) process.stderr.write(`  ${line}\n`);
      stderrTail = (stderrTail + text).slice(-4_000);
      // KINSHIP_BENCH_CHILD_LOG=<file>: every child's whole stderr (the app's warnings, e.g. why a webhook failed).
      if (childLog) appendFileSync(childLog, text);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout
        .split("\n")
        .reverse()
        .find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
        return;
      }
      const reason = stderrTail.trim().split("\n").slice(-12).join("\n") || stdout.trim().split("\n").slice(-5).join("\n");
      reject(new Error(`${script} ${args.join(" ")} exited ${code}${line ? "" : " without a result"}: ${reason}`));
    });
  });
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [round(a), round(b), round(c)];
}

export function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function requireArg(argv: readonly string[], name: string): string {
  const value = argValue(argv, name);
  if (value === undefined) throw new Error(`missing ${name}`);
  return value;
}

/** The HTTP status a route handler answered with (Remix throws Responses; anything else thrown is a 500). */
export async function statusOf(work: () => Promise<unknown>): Promise<number> {
  try {
    const result = await work();
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    console.error(thrown);
    return 500;
  }
}
