/**
 * The analysts' command on a large transaction log: writes a seeded 1,000,000-row CSV (customers drawn from
 * BG/NBD and Gamma-Gamma over two years, with date-times, refund lines, a duplicate export, one extreme order
 * and one future-dated row), then runs `clv fit --transactions` on it as a separate process and reports its
 * wall time and peak RSS (read by a preload in the child, so the figure is the command's own).
 *
 *   node --import tsx tests/bench/clv-log-bench.ts [--rows 1000000] [--runs 1] [--keep]
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { simulateCustomer } from "../../app/retention/clv/simulate";
import { mulberry32 } from "../../app/retention/random";
import { argValue, progress, REPO_ROOT, reportResult } from "./harness";

const argv = process.argv.slice(2);
const rows = Number(argValue(argv, "--rows") ?? 1_000_000);
const runs = Math.max(1, Number(argValue(argv, "--runs") ?? 1));
const dir = path.join(REPO_ROOT, "tests/.tmp/bench/clv-log");
const file = path.join(dir, `log-${rows}.csv`);
const CLI = path.join(REPO_ROOT, "app/retention/clv/cli.ts");

/** Seeded log in the named-column layout, columns in an unusual order; `rows` lines after the header. */
async function writeLog(target: string, count: number): Promise<void> {
  const out = createWriteStream(target);
  const rng = mulberry32(19);
  const start = Date.UTC(2023, 0, 1);
  const span = 730;
  let written = 0;
  let chunk = "amount,order_date,channel,customer_id\n";
  const put = async (line: string) => {
    chunk += line;
    written += 1;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  };
  for (let c = 0; written < count; c++) {
    const joined = Math.floor(rng() * (span - 30));
    const { times, amounts } = simulateCustomer(rng, { r: 0.8, alpha: 60, a: 0.6, b: 4 }, { p: 6, q: 4, v: 15 }, span - joined);
    for (let i = 0; i < times.length && written < count; i++) {
      const at = new Date(start + (joined + times[i]) * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
      const amount = c === 7 && i === 0 ? 1e9 : amounts[i];
      await put(`${amount.toFixed(2)},${at},web,c${c}\n`);
      // About 3% of orders get a refund line a few days later; 0.5% are exported twice.
      const u = rng();
      if (u < 0.03 && written < count) {
        const later = new Date(start + (joined + times[i] + 3) * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
        await put(`-${amount.toFixed(2)},${later},web,c${c}\n`);
      } else if (u < 0.035 && written < count) {
        await put(`${amount.toFixed(2)},${at},web,c${c}\n`);
      }
    }
    if (c === 11 && written < count) await put(`25.00,2031-03-01 10:00:00,web,c${c}\n`);
  }
  out.write(chunk);
  out.end();
  await once(out, "finish");
}

/** Wall time, CPU time (user + system: the figure that means something on a shared, loaded machine) and peak RSS. */
function runCli(target: string): Promise<{ ms: number; cpuMs: number; peakRssMB: number; output: Record<string, unknown> }> {
  const preload = path.join(dir, "peak-rss.mjs");
  writeFileSync(
    preload,
    'import { writeSync } from "node:fs";\nprocess.on("exit", () => { const u = process.resourceUsage(); writeSync(2, `\\n[peak-rss-kb] ${u.maxRSS} [cpu-us] ${u.userCPUTime + u.systemCPUTime}\\n`); });\n',
  );
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", "--import", preload, CLI, "fit", target, "--transactions"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const rss = /\[peak-rss-kb\] (\d+) \[cpu-us\] (\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`clv exited ${code}: ${stderr.slice(-2_000)}`));
      resolve({
        ms,
        cpuMs: Math.round(Number(rss[2]) / 1000),
        peakRssMB: Math.round(Number(rss[1]) / 1024),
        output: JSON.parse(stdout) as Record<string, unknown>,
      });
    });
  });
}

mkdirSync(dir, { recursive: true });
if (!existsSync(file)) {
  progress(`clv log: writing ${rows.toLocaleString("en")} rows`);
  await writeLog(file, rows);
}
const sizeMB = Math.round(statSync(file).size / 1e5) / 10;
const ms: number[] = [];
const peakRssMB: number[] = [];
const cpuMs: number[] = [];
let output: Record<string, unknown> = {};
for (let i = 0; i < runs; i++) {
  progress(`clv log: clv fit --transactions (${sizeMB} MB), run ${i + 1}/${runs}`);
  const r = await runCli(file);
  ms.push(Math.round(r.ms));
  peakRssMB.push(r.peakRssMB);
  cpuMs.push(r.cpuMs);
  output = r.output;
}
if (!argv.includes("--keep")) rmSync(dir, { recursive: true, force: true });
const { customers, repeatBuyers, lines, calibrationEnd, rules, bgnbd } = output as Record<string, unknown>;
const converged = (bgnbd as { converged?: boolean } | null)?.converged ?? null;
reportResult({ rows, sizeMB, ms, cpuMs, peakRssMB, customers, repeatBuyers, lines, calibrationEnd, rules, converged });
