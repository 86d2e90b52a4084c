/**
 * `npm run bench` — measures what merchants and Shopify's limits care about (issue 9) and prints one row
 * per measurement; writes the same figures to bench-results.json. See tests/bench/README.md.
 *
 *   npm run bench                      everything (the large shop takes several minutes per database)
 *   npm run bench -- --quick           without the large shop (the customers index then runs on medium)
 *   npm run bench -- --only sync,cdnow groups: cdnow, clv, sync, webhooks, issuance, responsive, installs, my-rewards, bulk
 *   npm run bench -- my-rewards        one group, named bare
 *   npm run bench -- --db sqlite       one database only (default: SQLite, and PostgreSQL when it answers)
 *   npm run bench -- --runs 5          runs per quick measurement (default 3; the large shop runs once)
 *   npm run bench -- --sizes large     shop sizes for the sync and responsive groups (small, medium, large)
 *   npm run bench -- --codes 300       codes the responsive group's daily run issues
 *   npm run bench -- --install-orders 20000  orders per shop in the installs group (five shops at once; 300 customers each)
 *   npm run bench -- --deliveries 5000 webhook deliveries per run
 *   npm run bench -- --reuse-data      reuse today's emulator JSONL from an earlier run instead of generating
 *   npm run bench -- --keep-data       keep the emulator JSONL (tests/.tmp/bench/data, ~1 GB with large)
 *
 * Exits non-zero only when a measurement could not run — never because a figure is slow.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateClients } from "../../scripts/generate-clients";
import type { FitBenchmark, ScoreBenchmark } from "../../app/retention/clv/benchmark";
import { cdnowBacktest } from "./cdnow";
import { dropDatabase, freshDatabase, postgresAvailable } from "./databases";
import {
  argValue,
  loadAverage,
  machine,
  median,
  progress,
  REPO_ROOT,
  round,
  runChild,
  type BenchRow,
  type BenchSize,
  type DbKind,
} from "./harness";
import { cachedMeta, metaPath, pruneStaleData, removeData, todayUtc, type ShopDataMeta } from "./shop-data";
import { renderTable } from "./table";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const runs = Math.max(1, Number(argValue(argv, "--runs") ?? 3));
const webhookDeliveries = Number(argValue(argv, "--deliveries") ?? 5_000);
// Groups may also be named bare, first: `npm run bench -- my-rewards` is `--only my-rewards`.
const named = argv[0] && !argv[0].startsWith("--") ? argv[0] : undefined;
const only = new Set((argValue(argv, "--only") ?? named ?? "cdnow,clv,sync,webhooks,issuance,responsive,installs,my-rewards").split(","));
const installOrders = Number(argValue(argv, "--install-orders") ?? 20_000);
const installCustomers = Number(argValue(argv, "--install-customers") ?? 300);
const responsiveCodes = Number(argValue(argv, "--codes") ?? 300);
const reuseData = argv.includes("--reuse-data");
const keepData = argv.includes("--keep-data");
const sizes = (argValue(argv, "--sizes")?.split(",") ?? (quick ? ["small", "medium"] : ["small", "medium", "large"])) as BenchSize[];
const dbChoice = argValue(argv, "--db");

// Each measurement's child loads the Prisma client for its database: on a fresh clone neither exists yet.
generateClients();

const cores = machine().cores;
const rows: BenchRow[] = [];
let couldNotRun = 0;
const loadSamples: number[] = [];
const loadTimer = setInterval(() => loadSamples.push(loadAverage()[0]), 15_000);
const startedAt = new Date();
const loadAtStart = loadAverage();

type RowInput = Omit<BenchRow, "median" | "meetsTarget" | "status" | "runs" | "target"> & {
  target?: string;
  /** Checks the median against the target; omit when the target is not a number to compare. */
  meets?: (median: number) => boolean;
};

function addRow(input: RowInput): void {
  const { meets, ...row } = input;
  const m = median(row.values);
  rows.push({
    ...row,
    runs: row.values.length,
    median: m === null ? null : round(m, m >= 100 ? 0 : m >= 1 ? 2 : 4),
    target: row.target ?? "",
    meetsTarget: meets && m !== null ? meets(m) : null,
    status: "ok",
  });
}

function notRun(name: string, size: string, db: string, reason: string): void {
  couldNotRun++;
  const status = `not run: ${reason.split("\n")[0].slice(0, 300)}`;
  progress(`${name} (${size}, ${db}) ${status}`);
  rows.push({
    name,
    size,
    db,
    runs: 0,
    values: [],
    median: null,
    unit: "",
    target: "",
    meetsTarget: null,
    status,
    note: reason.slice(0, 2_000),
  });
}

async function attempt(name: string, size: string, db: string, work: () => Promise<void>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    notRun(name, size, db, error instanceof Error ? error.message : String(error));
    return false;
  }
}

function moduleExports(file: string, exportName: string): boolean {
  const full = path.join(REPO_ROOT, file);
  return existsSync(full) && new RegExp(`export (async )?(function|const) ${exportName}\\b`).test(readFileSync(full, "utf8"));
}

const runsFor = (size: BenchSize) => (size === "large" ? 1 : runs);
const dbLabel = (db: DbKind) => (db === "sqlite" ? "SQLite" : "PostgreSQL");

// ------------------------------------------------------------------------------------------------------------
// CDNOW accuracy (deterministic: one run).

async function benchCdnow() {
  await attempt("CDNOW backtest", "2,357 customers", "—", async () => {
    progress("CDNOW: fitting and backtesting through the clv command");
    const r = await cdnowBacktest();
    const b = r.backtest;
    addRow({
      name: "CDNOW: BG/NBD + Gamma-Gamma parameters vs published (largest deviation)",
      size: "2,357 customers",
      db: "—",
      values: [round(r.maxParameterError * 100, 3)],
      unit: "%",
      target: "≤ 1% each (EXPECTED.md)",
      meets: (m) => m <= 1,
      note: `r ${r.parameters.r.fitted.toFixed(4)}, α ${r.parameters.alpha.fitted.toFixed(3)}, a ${r.parameters.a.fitted.toFixed(4)}, b ${r.parameters.b.fitted.toFixed(4)}, p ${r.parameters.p.fitted.toFixed(3)}, q ${r.parameters.q.fitted.toFixed(3)}, v ${r.parameters.v.fitted.toFixed(3)}; LL ${r.logLikelihood.fitted.toFixed(2)} (published ${r.logLikelihood.published})`,
      details: { ...r },
    });
    addRow({
      name: "CDNOW backtest: aggregate holdout error (39 wk)",
      size: "2,357 customers",
      db: "—",
      values: [round(b.aggregateRelativeError * 100, 2)],
      unit: "%",
      target: "",
      note: `predicted ${b.holdoutPredicted.toFixed(1)} vs actual ${b.holdoutActual} repeat purchases; naive baseline predicts ${b.naivePredicted.toFixed(1)} (${(((b.naivePredicted - b.holdoutActual) / b.holdoutActual) * 100).toFixed(1)}%)`,
    });
    addRow({
      name: "CDNOW backtest: per-customer MAE, model",
      size: "2,357 customers",
      db: "—",
      values: [round(b.mae, 4)],
      unit: "purchases",
      target: `< naive MAE ${b.naiveMae.toFixed(4)}`,
      meets: (m) => m < b.naiveMae,
      note: `model MAE is ${((1 - b.mae / b.naiveMae) * 100).toFixed(1)}% lower than the naive "same rate as the calibration period" baseline`,
    });
    const pareto = r.paretoNbd;
    addRow({
      name: "CDNOW: Pareto/NBD parameters vs published (largest deviation)",
      size: "2,357 customers",
      db: "—",
      values: [round(Math.max(...Object.values(pareto.parameters).map((p) => p.relativeError)) * 100, 3)],
      unit: "%",
      target: "≤ 1% each (Fader & Hardie 2005 note)",
      meets: (m) => m <= 1,
      note: `r ${pareto.parameters.r.fitted.toFixed(4)}, α ${pareto.parameters.alpha.fitted.toFixed(3)}, s ${pareto.parameters.s.fitted.toFixed(4)}, β ${pareto.parameters.beta.fitted.toFixed(3)}; LL ${pareto.logLikelihood.toFixed(2)}; fit ${pareto.ms.toFixed(0)} ms`,
      details: { ...pareto },
    });
    const describe = (c: { model: string; status: string; relativeMae?: number; aggregateBias?: number; criterion?: number }) =>
      c.status === "scored"
        ? `${c.model} ${c.criterion!.toFixed(3)} (MAE ${(c.relativeMae! * 100).toFixed(1)}% of naive, total ${(c.aggregateBias! * 100).toFixed(1)}% off)`
        : `${c.model} refused`;
    const choice = r.modelChoice;
    const kept = choice.holdout?.candidates.find((c) => c.model === choice.chosen);
    addRow({
      name: "CDNOW: model choice (weeks 27–39 of calibration), kept model's holdout criterion",
      size: "2,357 customers",
      db: "—",
      values: [round(kept?.criterion ?? Number.NaN, 4)],
      unit: "",
      target: "",
      note: `kept ${choice.chosen} (${choice.reason}); validation: ${choice.candidates.map(describe).join("; ")}; holdout: ${(choice.holdout?.candidates ?? []).map(describe).join("; ")}`,
      details: { ...choice },
    });
  });
}

// ------------------------------------------------------------------------------------------------------------
// The analysts' command on a 1,000,000-row transaction log (issue 19: streamed, any size; one run).

async function benchClvLog() {
  await attempt("clv fit --transactions", "1,000,000 rows", "—", async () => {
    const r = await runChild<{
      rows: number;
      sizeMB: number;
      ms: number[];
      cpuMs: number[];
      peakRssMB: number[];
      customers: number;
      repeatBuyers: number;
      rules: Record<string, unknown>;
      converged: boolean | null;
    }>("clv-log-bench.ts", ["--rows", "1000000"]);
    const size = `${r.rows.toLocaleString("en")} rows (${r.sizeMB} MB)`;
    addRow({
      name: "clv fit --transactions: read, apply the data rules, fit BG/NBD + Gamma-Gamma",
      size,
      db: "—",
      values: r.ms,
      unit: "ms",
      note: `CPU (user + system) ${r.cpuMs.join(", ")} ms; ${r.customers.toLocaleString("en")} customers, ${r.repeatBuyers.toLocaleString("en")} repeat buyers, converged ${r.converged}; rules ${JSON.stringify(r.rules)}`,
    });
    addRow({ name: "clv fit --transactions: peak RSS", size, db: "—", values: r.peakRssMB, unit: "MB" });
  });
}

// ------------------------------------------------------------------------------------------------------------
// Retention core on synthetic data (issue 5's speed targets).

interface FitRuns {
  runs: FitBenchmark[];
  peakRssMB: number;
}

interface ScoreRuns {
  runs: ScoreBenchmark[];
  peakRssMB: number;
}

const cpuNote = (cpu: number[]): string => `CPU ${cpu.map((v) => Math.round(v)).join(" / ")} ms (wall time includes waiting for a core)`;

async function benchClvCore() {
  // Issue 19: times NOT rounded to whole days, so grouping (x, t_x, T) saves nothing.
  await attempt("CDNOW: evaluations to the optimum", "2,357 customers", "—", async () => {
    const r = await runChild<{
      bgnbd: { logLikelihood: number; evaluations: number; refineEvaluations: number; gradientMax: number; converged: boolean };
      gammaGamma: { evaluations: number; converged: boolean };
    }>("clv-core-bench.ts", ["--part", "cdnow"]);
    addRow({
      name: "CDNOW: BG/NBD likelihood evaluations to the optimum (analytic gradient + BFGS)",
      size: "2,357 customers",
      db: "—",
      values: [r.bgnbd.evaluations],
      unit: "evaluations",
      target: "Nelder–Mead needed 794",
      meets: (m) => m < 794,
      note: `${r.bgnbd.refineEvaluations} of them on all customers; LL ${r.bgnbd.logLikelihood.toFixed(6)}, largest slope ${r.bgnbd.gradientMax.toExponential(1)}, converged ${r.bgnbd.converged}; Gamma-Gamma ${r.gammaGamma.evaluations} evaluations`,
      details: { ...r },
    });
  });
  for (const [customers, fitTarget, label] of [
    [100_000, 150, "100,000 customers"],
    [1_000_000, 1_500, "1,000,000 customers"],
  ] as const) {
    if (quick && customers > 100_000) continue;
    await attempt("Retention core: fits", label, "—", async () => {
      const r = await runChild<FitRuns>("clv-core-bench.ts", ["--part", "fit", "--customers", String(customers), "--runs", String(runs)]);
      addRow({
        name: "BG/NBD fit, continuous times (synthetic)",
        size: label,
        db: "—",
        values: r.runs.map((x) => Math.round(x.bgnbdMs)),
        unit: "ms",
        target: `≤ ${fitTarget.toLocaleString("en")} ms`,
        meets: (m) => m <= fitTarget,
        note: `${cpuNote(r.runs.map((x) => x.bgnbdCpuMs))}; ${r.runs[0].bgnbdEvaluations} evaluations (${r.runs[0].bgnbdRefineEvaluations} on all customers), converged ${r.runs[0].bgnbdConverged}`,
        details: { ...r },
      });
      if (customers === 100_000) {
        addRow({
          name: "Gamma-Gamma fit (synthetic)",
          size: label,
          db: "—",
          values: r.runs.map((x) => Math.round(x.gammaGammaMs)),
          unit: "ms",
          target: "≤ 50 ms",
          meets: (m) => m <= 50,
          note: `${cpuNote(r.runs.map((x) => x.gammaGammaCpuMs))}; ${r.runs[0].gammaGammaEvaluations} evaluations`,
        });
      }
    });
  }
  for (const [customers, target, label] of [
    [200_000, 1_000, "200,000 customers"],
    [2_000_000, 10_000, "2,000,000 customers"],
  ] as const) {
    if (quick && customers > 200_000) continue;
    await attempt("Retention core: scoring", label, "—", async () => {
      const r = await runChild<ScoreRuns>("clv-core-bench.ts", [
        "--part",
        "score",
        "--customers",
        String(customers),
        "--runs",
        String(customers > 200_000 ? 1 : runs),
      ]);
      addRow({
        name: "Scoring: predictions + P(alive) + RFM + lifecycle, columns streamed in chunks (synthetic)",
        size: label,
        db: "—",
        values: r.runs.map((x) => Math.round(x.ms)),
        unit: "ms",
        target: `≤ ${target.toLocaleString("en")} ms`,
        meets: (m) => m <= target,
        note: `${cpuNote(r.runs.map((x) => x.cpuMs))}`,
      });
      addRow({
        name: "Scoring: peak RSS of the process (inputs included)",
        size: label,
        db: "—",
        values: [r.peakRssMB],
        unit: "MB",
        target: "< 1,024 MB",
        meets: (m) => m < 1024,
      });
    });
  }
}

// ------------------------------------------------------------------------------------------------------------
// Emulator shops → JSONL → database; CLV and the customers index on what was synced.

async function prepareShop(size: BenchSize): Promise<ShopDataMeta | null> {
  const cached = reuseData ? cachedMeta(size) : null;
  if (cached) {
    progress(`reusing today's ${size} JSONL (${cached.fileMB} MB)`);
    return cached;
  }
  let meta: ShopDataMeta | null = null;
  await attempt("Emulator: generate shop + bulk JSONL", size, "—", async () => {
    meta = await runChild<ShopDataMeta>("prepare-shop.ts", ["--size", size]);
    const e = meta.emulator!;
    const label = `${meta.customers.toLocaleString("en")} customers / ${meta.orders.toLocaleString("en")} orders`;
    addRow({
      name: "Emulator: generate shop + write bulk JSONL",
      size,
      db: "—",
      values: [round((e.generateMs + e.jsonlMs) / 1000, 2)],
      unit: "s",
      note: `${label}; generate ${e.generateMs} ms, JSONL ${e.jsonlMs} ms, ${meta.fileMB} MB (1 run)`,
    });
    addRow({
      name: "Emulator: peak RSS generating + writing JSONL",
      size,
      db: "—",
      values: [e.peakRssMB],
      unit: "MB",
      target: size === "large" ? "< 1,536 MB (1.5 GiB)" : "",
      meets: size === "large" ? (m) => m < 1_536 : undefined,
    });
  });
  return meta ?? (existsSync(metaPath(size, todayUtc())) ? cachedMeta(size) : null);
}

interface ImportResult {
  orders: number;
  customersInDb: number;
  seconds: number;
  ordersPerSecond: number;
  cpuSeconds: number;
  ordersPerCpuSecond: number;
  parseOnlyPerSecond: number;
  peakRssMB: number;
  status: string;
  check: {
    customersCompared: number;
    mismatches: number;
    shopOrders: { db: number; shopify: number };
    shopNetCents: { db: number; shopify: number };
  };
}

interface AnalyticsResult {
  customers: number;
  valueOrders: number;
  loadAndSummariseMs: number;
  fitMs: number[];
  scoreMs: number[];
  recomputeMs: number[];
  recomputePeakRssMB: number;
  peakRssMB: number;
  model: { bgnbd: unknown; gammaGamma: unknown; repeatBuyers: number };
}

interface IndexResult {
  customers: number;
  synced: number;
  added: number;
  iterations: number;
  scenarios: Record<string, { label: string; p50: number; p95: number; max: number; rows: number; total: number | null }>;
}

function checkNote(check: ImportResult["check"]): string {
  const exact =
    check.mismatches === 0 && check.shopOrders.db === check.shopOrders.shopify && check.shopNetCents.db === check.shopNetCents.shopify;
  return exact
    ? `matches the emulator for all ${check.customersCompared.toLocaleString("en")} customers`
    : `DOES NOT MATCH the emulator: ${check.mismatches} customers differ; orders ${check.shopOrders.db} vs ${check.shopOrders.shopify}`;
}

async function benchSync(size: BenchSize, meta: ShopDataMeta, db: DbKind) {
  const label = dbLabel(db);
  const n = runsFor(size);
  const results: ImportResult[] = [];
  let keptUrl: string | null = null;
  for (let i = 0; i < n; i++) {
    const ok = await attempt("JSONL → DB import", size, label, async () => {
      const url = await freshDatabase(db, `${size}_${i}`);
      try {
        results.push(await runChild<ImportResult>("import-bench.ts", ["--meta", metaPath(size, meta.asOf)], { DATABASE_URL: url }));
      } catch (error) {
        await dropDatabase(url);
        throw error;
      }
      if (keptUrl) await dropDatabase(keptUrl);
      keptUrl = url;
    });
    if (!ok) break;
  }
  if (results.length === n) {
    const last = results[results.length - 1];
    const runsNote = size === "large" ? "1 run (a run takes minutes)" : `${n} run(s), a fresh database each`;
    addRow({
      name: "JSONL → DB import (parse + batched upserts + aggregates)",
      size,
      db: label,
      values: results.map((r) => r.ordersPerSecond),
      unit: "orders/s",
      target: db === "sqlite" ? "≥ 50,000" : "",
      meets: db === "sqlite" ? (m) => m >= 50_000 : undefined,
      note:
        `${last.orders.toLocaleString("en")} orders in ${last.seconds.toFixed(1)} s (${last.cpuSeconds.toFixed(1)} CPU s: ` +
        `${last.ordersPerCpuSecond.toLocaleString("en")} orders per CPU second); reading + JSON.parse alone, no database: ` +
        `${last.parseOnlyPerSecond.toLocaleString("en")} lines/s; ${runsNote}; ${checkNote(last.check)}`,
      details: { runs: results },
    });
    addRow({
      name: "JSONL → DB import: peak RSS of the importing process",
      size,
      db: label,
      values: results.map((r) => r.peakRssMB),
      unit: "MB",
      target: size === "large" ? "< 1,024 MB (1 GiB)" : "",
      meets: size === "large" ? (m) => m < 1_024 : undefined,
      note: db === "postgresql" ? "app process only; the PostgreSQL server's memory is not included" : undefined,
    });
  }
  if (!keptUrl) return;
  const url: string = keptUrl;
  try {
    await attempt("CLV on the synced shop", size, label, async () => {
      const pure = db === "sqlite";
      const r = await runChild<AnalyticsResult>(
        "analytics-bench.ts",
        [
          "--meta",
          metaPath(size, meta.asOf),
          "--runs",
          pure ? String(runsFor(size) === 1 ? 3 : runs) : "0",
          "--recompute-runs",
          String(runsFor(size)),
        ],
        { DATABASE_URL: url },
      );
      if (pure) {
        addRow({
          name: "BG/NBD + Gamma-Gamma fit (synced shop)",
          size,
          db: "—",
          values: r.fitMs,
          unit: "ms",
          note: `${r.customers.toLocaleString("en")} customers, ${r.model.repeatBuyers.toLocaleString("en")} repeat buyers; BG/NBD ${JSON.stringify(r.model.bgnbd)}`,
        });
        addRow({
          name: "Score all customers with the fitted model (synced shop)",
          size,
          db: "—",
          values: r.scoreMs,
          unit: "ms",
          note: `${r.customers.toLocaleString("en")} customers: predictions, P(alive), RFM, lifecycle, shop insights`,
        });
      }
      addRow({
        name: "recomputeShop end to end (read, fit, backtest, score, write)",
        size,
        db: label,
        values: r.recomputeMs.map((ms) => round(ms / 1000, 2)),
        unit: "s",
        note: `reading ${r.valueOrders.toLocaleString("en")} orders + summarising alone: ${r.loadAndSummariseMs} ms`,
      });
      addRow({
        name: "recomputeShop: peak RSS (first thing in a fresh process)",
        size,
        db: label,
        values: [r.recomputePeakRssMB],
        unit: "MB",
        target: size === "large" ? "< 1,024 MB (1 GiB)" : "",
        meets: size === "large" ? (m) => m < 1_024 : undefined,
      });
    });
    const indexSize: BenchSize = sizes.includes("large") ? "large" : sizes[sizes.length - 1];
    if (size === indexSize) await benchIndex(size, meta, db, url);
  } finally {
    await dropDatabase(url);
  }
}

async function benchIndex(size: BenchSize, meta: ShopDataMeta, db: DbKind, url: string) {
  const label = dbLabel(db);
  if (!moduleExports("app/models/views/customer-index.server.ts", "listCustomers")) {
    notRun("Customers index (listCustomers)", size, label, "listCustomers missing");
    return;
  }
  await attempt("Customers index (listCustomers)", size, label, async () => {
    const customers = size === "large" ? 200_000 : 0;
    const r = await runChild<IndexResult>(
      "index-bench.ts",
      ["--meta", metaPath(size, meta.asOf), "--customers", String(customers), "--iterations", "100"],
      {
        DATABASE_URL: url,
      },
    );
    const how =
      r.added > 0
        ? `${r.synced.toLocaleString("en")} customers synced from the emulator's orders + ${r.added.toLocaleString("en")} without orders written directly`
        : `${r.customers.toLocaleString("en")} customers synced from the emulator`;
    for (const key of ["first", "firstNoTotal", "filtered", "deep", "search"]) {
      const s = r.scenarios[key];
      addRow({
        name: `Customers index: ${s.label} — p50`,
        size: `${size} (${r.customers.toLocaleString("en")})`,
        db: label,
        values: [s.p50],
        unit: "ms",
        note:
          key === "first"
            ? `${how}; 1 run of ${r.iterations} calls per scenario (after 5 warm-up calls), 50 rows each, with the total count unless said`
            : undefined,
      });
      addRow({
        name: `Customers index: ${s.label} — p95`,
        size: `${size} (${r.customers.toLocaleString("en")})`,
        db: label,
        values: [s.p95],
        unit: "ms",
        target: db === "sqlite" ? "< 200 ms" : "",
        meets: db === "sqlite" ? (m) => m < 200 : undefined,
        note: `max ${s.max} ms${s.total === null ? "" : `; ${s.total.toLocaleString("en")} matching`}`,
      });
    }
  });
}

// ------------------------------------------------------------------------------------------------------------
// Webhooks (medium shop) and discount issuance.

interface WebhookResult {
  deliveries: number;
  seconds: number;
  ordersPerSecond: number;
  cpuSeconds: number;
  ordersPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  mix: Record<string, number>;
  check: { customersCompared: number; mismatches: number; shopOrders: { db: number; shopify: number } };
}

async function benchWebhooks(meta: ShopDataMeta, db: DbKind) {
  const label = dbLabel(db);
  const size = meta.size;
  await attempt("Webhook processing", size, label, async () => {
    const results: WebhookResult[] = [];
    for (let i = 0; i < runs; i++) {
      const url = await freshDatabase(db, `webhooks_${size}`);
      try {
        results.push(
          await runChild<WebhookResult>(
            "webhook-bench.ts",
            ["--meta", metaPath(size, meta.asOf), "--deliveries", String(webhookDeliveries)],
            { DATABASE_URL: url },
          ),
        );
      } finally {
        await dropDatabase(url);
      }
    }
    const wrong = results.filter((r) => r.check.mismatches > 0 || r.check.shopOrders.db !== r.check.shopOrders.shopify);
    const non200: Record<string, number> = {};
    for (const r of results)
      for (const [status, count] of Object.entries(r.statuses)) if (status !== "200") non200[status] = (non200[status] ?? 0) + count;
    const r = results[0];
    addRow({
      name: `Webhook processing, sequential (${r.deliveries.toLocaleString("en")} order deliveries)`,
      size,
      db: label,
      values: results.map((x) => x.ordersPerSecond),
      unit: "orders/s",
      target: "≥ 200",
      meets: (m) => m >= 200,
      note: `${results.length} run(s), each ${r.deliveries} deliveries (${Object.entries(r.mix)
        .map(([k, v]) => `${v} ${k}`)
        .join(
          ", ",
        )}) in ${results.map((x) => x.seconds.toFixed(1)).join(" / ")} s (${results.map((x) => x.ordersPerCpuSecond).join(" / ")} deliveries per CPU second); ${
        wrong.length ? `DOES NOT MATCH the emulator afterwards in ${wrong.length} run(s)` : "database equals the emulator afterwards"
      }${Object.keys(non200).length ? `; non-200 answers: ${JSON.stringify(non200)}` : ""}`,
      details: { runs: results },
    });
    addRow({
      name: "Webhook latency p50 (route: HMAC, claim, upsert, aggregates)",
      size,
      db: label,
      values: results.map((x) => x.p50Ms),
      unit: "ms",
    });
    addRow({
      name: "Webhook latency p99",
      size,
      db: label,
      values: results.map((x) => x.p99Ms),
      unit: "ms",
      note: `max ${Math.max(...results.map((x) => x.maxMs))} ms`,
    });
  });
}

interface IssuanceResult {
  plan: string;
  codes: number;
  failed: number;
  seconds: number;
  codesPerSecond: number;
  pointsPerCode: number;
  restoreRate: number;
  throttledRetries: number;
  theoreticalCodesPerSecond: number | null;
  fractionOfMaximum: number | null;
}

async function benchIssuance() {
  if (!moduleExports("app/jobs/issuance.server.ts", "runIssuance")) {
    notRun("Discount issuance", "—", "SQLite", "runIssuance missing");
    return;
  }
  const plans: { plan: string; codes: number }[] = [
    { plan: "basic", codes: 60 },
    { plan: "plus", codes: 300 },
  ];
  for (const { plan, codes } of plans) {
    await attempt(`Discount issuance (${plan} plan)`, `${codes} codes`, "SQLite", async () => {
      const results: IssuanceResult[] = [];
      for (let i = 0; i < runs; i++) {
        const url = await freshDatabase("sqlite", `issuance_${plan}`);
        try {
          results.push(
            await runChild<IssuanceResult>("issuance-bench.ts", ["--plan", plan, "--codes", String(codes)], { DATABASE_URL: url }),
          );
        } finally {
          await dropDatabase(url);
        }
      }
      const r = results[0];
      const ceiling = r.theoreticalCodesPerSecond;
      addRow({
        name: `Discount issuance, ${plan} plan (create code + metafields + Flow)`,
        size: `${codes} codes`,
        db: "SQLite",
        values: results.map((x) => x.codesPerSecond),
        unit: "codes/s",
        target: ceiling === null ? "" : `throttle max ${ceiling.toFixed(2)}`,
        note: `${r.pointsPerCode} points per code at ${r.restoreRate} points/s, bucket starting empty; ${results.reduce((s, x) => s + x.throttledRetries, 0)} THROTTLED retries, ${results.reduce((s, x) => s + x.failed, 0)} failed`,
        details: { runs: results },
      });
      addRow({
        name: `Discount issuance, ${plan} plan: share of the throttle's maximum`,
        size: `${codes} codes`,
        db: "SQLite",
        values: results.filter((x) => x.fractionOfMaximum !== null).map((x) => round(x.fractionOfMaximum! * 100, 1)),
        unit: "%",
        target: "100% = throttle-bound",
      });
    });
  }
}

interface CampaignResult extends IssuanceResult {
  path: "shared" | "per-customer";
  customers: number;
  delivered: number;
  wallSeconds: number;
  pointsPer1000Customers: number;
}

/**
 * A campaign to 10,000 customers (100,000 without --quick) on the standard plan, bucket starting empty,
 * in the throttle's time (the emulated clock): audience codes sharing one discount (bulk add, decision 021)
 * and, for comparison, one discount per code as before.
 */
async function benchCampaign(paths: ReadonlyArray<"per-customer" | "shared"> = ["per-customer", "shared"]) {
  const sizes = quick ? [10_000] : [10_000, 100_000];
  for (const customers of sizes) {
    for (const path of paths) {
      // The per-customer path at 100,000 only repeats what 10,000 shows (30 points a code), in 20 more minutes.
      if (path === "per-customer" && customers > 10_000) continue;
      await attempt(`Campaign issuance (${path})`, `${customers} customers`, "SQLite", async () => {
        const url = await freshDatabase("sqlite", `campaign_${path}_${customers}`);
        let r: CampaignResult;
        try {
          const flags = [
            "--plan",
            "basic",
            "--codes",
            String(customers),
            "--emulated-clock",
            ...(path === "per-customer" ? ["--per-customer"] : []),
          ];
          r = await runChild<CampaignResult>("issuance-bench.ts", flags, { DATABASE_URL: url });
        } finally {
          await dropDatabase(url);
        }
        addRow({
          name: `Campaign issued and delivered, basic plan, ${path === "shared" ? "shared discount, codes in bulk, delivery in bulk" : "one discount per code"}`,
          size: `${customers} customers`,
          db: "SQLite",
          values: [round(r.seconds / 60, 1)],
          unit: "min (throttle time)",
          target: "< 10 min at 100,000 (#21)",
          note: `${r.pointsPer1000Customers} points per 1,000 customers; ${r.codes} codes, ${r.delivered} delivered, ${r.failed} failed; ${r.wallSeconds} s on this machine (emulated clock)`,
          details: { runs: [r] },
        });
      });
    }
  }
}

interface WriteBackBenchResult {
  mode: "bulk" | "direct";
  customers: number;
  customersChanged: number;
  failures: number;
  bulkOperations: number;
  bulkLines: number;
  linesPerSecond: number;
  seconds: number;
  wallSeconds: number;
  pointsPer1000Customers: number;
  requests: Record<string, number>;
}

/**
 * The first write-back (kinship: tags + five value metafields) of 100,000 customers (10,000 with --quick) as bulk
 * mutations (decision 024), and of 10,000 customer by customer as before, on the standard plan's throttle, bucket
 * starting empty, in Shopify's time (the emulated clock; bulk lines at the emulator's documented rate).
 */
async function benchWriteBack() {
  const runsToDo: Array<{ mode: "bulk" | "direct"; customers: number }> = [
    { mode: "direct", customers: 10_000 },
    { mode: "bulk", customers: quick ? 10_000 : 100_000 },
  ];
  for (const { mode, customers } of runsToDo) {
    await attempt(`First write-back (${mode})`, `${customers} customers`, "SQLite", async () => {
      const url = await freshDatabase("sqlite", `write_back_${mode}_${customers}`);
      let r: WriteBackBenchResult;
      try {
        r = await runChild<WriteBackBenchResult>(
          "write-back-bench.ts",
          ["--plan", "basic", "--customers", String(customers), "--mode", mode],
          {
            DATABASE_URL: url,
          },
        );
      } finally {
        await dropDatabase(url);
      }
      addRow({
        name: `First write-back (tags + value metafields), basic plan, ${mode === "bulk" ? "bulk mutations" : "customer by customer"}`,
        size: `${customers} customers`,
        db: "SQLite",
        values: [round(r.seconds / 60, 1)],
        unit: "min (Shopify time)",
        target: "< 10 min at 100,000 (#21)",
        note:
          `${r.pointsPer1000Customers} points per 1,000 customers; ${r.customersChanged} customers written, ${r.failures} failed; ` +
          (mode === "bulk"
            ? `${r.bulkOperations} bulk operations, ${r.bulkLines} lines at ${r.linesPerSecond} lines/s (emulator's assumption); `
            : "") +
          `${r.wallSeconds} s on this machine (emulated clock)`,
        details: { runs: [r] },
      });
    });
  }
}

// ------------------------------------------------------------------------------------------------------------
// The admin while the shop imports again and its daily run proceeds (issue 23, item 3).

interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

interface ResponsivenessResult {
  orders: number;
  seconds: number;
  importSeconds: number;
  importStatus: string;
  importError: string | null;
  dailySeconds: number;
  dailyStatus: string;
  dailyError: string | null;
  codesCreated: number;
  pages: Record<string, LatencyStats>;
  pageStatuses: Record<string, number>;
  webhooks: LatencyStats;
  webhookStatuses: Record<string, number>;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
}

async function benchResponsiveness(meta: ShopDataMeta, db: DbKind) {
  const label = dbLabel(db);
  const size = meta.size;
  await attempt("Admin during import + daily run", size, label, async () => {
    const url = await freshDatabase(db, `responsive_${size}`);
    let r: ResponsivenessResult;
    try {
      r = await runChild<ResponsivenessResult>(
        "responsiveness-bench.ts",
        ["--meta", metaPath(size, meta.asOf), "--codes", String(responsiveCodes), ...(argv.includes("--probe") ? ["--probe"] : [])],
        { DATABASE_URL: url },
      );
    } finally {
      await dropDatabase(url);
    }
    const fivexx = Object.entries(r.webhookStatuses).reduce((n, [status, count]) => (Number(status) >= 500 ? n + count : n), 0);
    const context =
      `${r.orders.toLocaleString("en")} orders imported again in ${r.importSeconds} s (${r.importStatus}${r.importError ? `: ${r.importError}` : ""}); ` +
      `daily run (recompute + ${r.codesCreated} codes) ${r.dailySeconds} s (${r.dailyStatus}${r.dailyError ? `: ${r.dailyError}` : ""}); ` +
      `event loop's longest stall ${r.eventLoopMaxMs} ms (p99 ${r.eventLoopP99Ms} ms); page statuses ${JSON.stringify(r.pageStatuses)}`;
    for (const [page, s] of Object.entries(r.pages)) {
      addRow({
        name: `Admin page during import + daily run: ${page} — p95`,
        size,
        db: label,
        values: [s.p95],
        unit: "ms",
        target: "< 500 ms",
        meets: (m) => m < 500,
        note: `p50 ${s.p50} ms, max ${s.max} ms, ${s.count} loads${page === "all" ? `; ${context}` : ""}`,
        details: page === "all" ? { ...r } : undefined,
      });
    }
    addRow({
      name: "Webhooks during import + daily run: 5xx answers",
      size,
      db: label,
      values: [fivexx],
      unit: "answers",
      target: "0",
      meets: (m) => m === 0,
      note: `${r.webhooks.count} deliveries, statuses ${JSON.stringify(r.webhookStatuses)}; latency p50 ${r.webhooks.p50} ms, p95 ${r.webhooks.p95} ms, max ${r.webhooks.max} ms`,
    });
  });
}

interface FiveShopsResult {
  customers: number;
  orders: number;
  installStatuses: number[];
  timedOut: boolean;
  importedSeconds: number;
  scoredSeconds: number;
  seconds: number;
  shops: Array<{ shop: string; status: string; error: string | null; mismatches: number; imported: boolean; scored: boolean }>;
  importedAndScored: number;
  pages: LatencyStats;
  pageStatuses: Record<string, number>;
  webhookStatuses: Record<string, number>;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
}

/** Issue 23: five shops installing at once all end imported and scored (five-shops-bench.ts). */
async function benchFiveShops(db: DbKind) {
  const label = dbLabel(db);
  const size = `5 × ${installOrders.toLocaleString("en")} orders`;
  await attempt("Five shops installing at once", size, label, async () => {
    const url = await freshDatabase(db, "installs");
    let r: FiveShopsResult;
    try {
      r = await runChild<FiveShopsResult>(
        "five-shops-bench.ts",
        ["--customers", String(installCustomers), "--orders", String(installOrders)],
        { DATABASE_URL: url },
      );
    } finally {
      await dropDatabase(url);
    }
    const fivexx = Object.entries(r.webhookStatuses).reduce((n, [status, count]) => (Number(status) >= 500 ? n + count : n), 0);
    const failed = r.shops.filter((s) => !s.imported || !s.scored).map((s) => `${s.shop}: ${s.status}${s.error ? ` (${s.error})` : ""}`);
    addRow({
      name: "Five shops installing at once: imported and scored",
      size,
      db: label,
      values: [r.importedAndScored],
      unit: "shops",
      target: "5",
      meets: (m) => m === 5,
      note:
        `imports ended after ${r.importedSeconds} s, scoring after ${r.scoredSeconds} s, tag write-back after ${r.seconds} s${r.timedOut ? " (timed out)" : ""}; ` +
        `first loads ${JSON.stringify(r.installStatuses)}; webhooks ${JSON.stringify(r.webhookStatuses)} (${fivexx} 5xx); ` +
        `event loop's longest stall ${r.eventLoopMaxMs} ms (p99 ${r.eventLoopP99Ms} ms)${failed.length ? `; not done: ${failed.join("; ")}` : ""}`,
      details: { ...r },
    });
    addRow({
      name: "Dashboard while five shops install: p95",
      size,
      db: label,
      values: [r.pages.p95],
      unit: "ms",
      target: "< 500 ms",
      meets: (m) => m < 500,
      note: `p50 ${r.pages.p50} ms, max ${r.pages.max} ms, ${r.pages.count} loads, statuses ${JSON.stringify(r.pageStatuses)}`,
    });
  });
}

// ------------------------------------------------------------------------------------------------------------
// The customer account page's backend (issue #16): GET /api/my-rewards at 200k customers.

interface MyRewardsResult {
  customers: number;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  plans: Record<string, string>;
  scans: string[];
}

async function benchMyRewards(db: DbKind): Promise<void> {
  const label = db === "sqlite" ? "SQLite" : "PostgreSQL";
  const customers = quick ? 20_000 : 200_000;
  const size = `${customers.toLocaleString("en")} customers`;
  await attempt("My rewards: GET /api/my-rewards", size, label, async () => {
    const url = await freshDatabase(db, "my_rewards");
    try {
      const r = await runChild<MyRewardsResult>("my-rewards-bench.ts", ["--customers", String(customers), "--requests", "400"], {
        DATABASE_URL: url,
      });
      const note = `${r.requests} requests for random customers (20 warm-up) through the route: token check, limiter, read model, load record; 3 orders, 2 ledger rows each; no store credit (a Shopify call); max ${r.max} ms; ${r.scans.length ? `shop scans in: ${r.scans.join(", ")}` : "every read on an index"}`;
      addRow({ name: "My rewards: GET /api/my-rewards — p50", size, db: label, values: [r.p50], unit: "ms", note });
      addRow({
        name: "My rewards: GET /api/my-rewards — p95",
        size,
        db: label,
        values: [r.p95],
        unit: "ms",
        target: "< 150 ms",
        meets: (m) => m < 150,
      });
    } finally {
      await dropDatabase(url);
    }
  });
}

// ------------------------------------------------------------------------------------------------------------

const dbs: DbKind[] = dbChoice === "sqlite" || dbChoice === "postgresql" ? [dbChoice] : ["sqlite"];
if (!dbChoice || dbChoice === "both") {
  if (await postgresAvailable()) dbs.push("postgresql");
  else notRun("PostgreSQL measurements", "all", "PostgreSQL", "PostgreSQL did not answer on 127.0.0.1:5432 (KINSHIP_PG_ADMIN_URL)");
}

progress(`machine: ${cores} cores; load average ${loadAtStart.join(" ")}; databases: ${dbs.join(", ")}; sizes: ${sizes.join(", ")}`);
if (!reuseData) pruneStaleData();

if (only.has("cdnow")) await benchCdnow();
if (only.has("clv")) await benchClvCore();
if (only.has("clv")) await benchClvLog();

const prepared = new Map<BenchSize, ShopDataMeta>();
if (only.has("sync") || only.has("webhooks") || only.has("responsive")) {
  for (const size of only.has("sync") || only.has("responsive") ? sizes : (["medium"] as BenchSize[])) {
    const meta = await prepareShop(size);
    if (!meta) continue;
    prepared.set(size, meta);
    if (only.has("sync")) for (const db of dbs) await benchSync(size, meta, db);
    if (only.has("responsive")) for (const db of dbs) await benchResponsiveness(meta, db);
  }
}
if (only.has("webhooks")) {
  const meta = prepared.get("medium");
  if (meta) for (const db of dbs) await benchWebhooks(meta, db);
  else notRun("Webhook processing", "medium", "—", "the medium shop's data could not be prepared");
}
if (only.has("installs")) for (const db of dbs) await benchFiveShops(db);
if (only.has("issuance")) await benchIssuance();
if (only.has("issuance")) await benchCampaign();
if (only.has("my-rewards")) for (const db of dbs) await benchMyRewards(db);
// Issue 21's two 100,000-customer targets: the campaign (shared discount, bulk delivery) and the first write-back.
if (only.has("bulk") && !only.has("issuance")) await benchCampaign(["shared"]);
if (only.has("bulk")) await benchWriteBack();
if (!keepData) removeData();

clearInterval(loadTimer);
const loadAtEnd = loadAverage();
if (!loadSamples.length) loadSamples.push(loadAtEnd[0]);
const load = {
  atStart: loadAtStart,
  atEnd: loadAtEnd,
  oneMinuteSamples: {
    min: Math.min(...loadSamples, loadAtStart[0]),
    max: Math.max(...loadSamples, loadAtStart[0]),
    mean: round(loadSamples.reduce((s, v) => s + v, 0) / loadSamples.length),
  },
};
const finishedAt = new Date();
const results = {
  startedAt: startedAt.toISOString(),
  finishedAt: finishedAt.toISOString(),
  minutes: round((finishedAt.getTime() - startedAt.getTime()) / 60_000, 1),
  machine: machine(),
  loadAverage: load,
  options: { quick, runs, only: [...only], databases: dbs, sizes, webhookDeliveries, responsiveCodes, installOrders, installCustomers },
  couldNotRun,
  rows,
};
writeFileSync(path.join(REPO_ROOT, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);

process.stdout.write(renderTable(rows, cores));
process.stdout.write(
  `\n${cores} cores (${results.machine.cpuModel}), Node ${process.version}; load average (1 min) during the run: ` +
    `${load.oneMinuteSamples.min}–${load.oneMinuteSamples.max}, mean ${load.oneMinuteSamples.mean} — other work on the machine skews figures.\n` +
    `${results.minutes} minutes. Figures written to bench-results.json.\n`,
);
if (couldNotRun) {
  process.stdout.write(`\n${couldNotRun} measurement(s) could not run (see "not run" rows).\n`);
  process.exitCode = 1;
}
