/**
 * Speed benchmark of the retention core (for `npm run bench`, not a test). Issue 19's targets, on synthetic
 * CDNOW-like shops whose times are NOT rounded to whole days (every T and t_x distinct, so grouping saves
 * nothing): BG/NBD fit on 100,000 customers ≤ 150 ms and on 1,000,000 ≤ 1.5 s, Gamma-Gamma on 100,000
 * ≤ 50 ms; scoring 200,000 ≤ 1 s and 2,000,000 ≤ 10 s under 1 GB peak RSS (typed-array columns in, chunks of
 * columns out, none kept).
 */
import { mulberry32 } from "../random";
import type { CustomerColumns } from "../customer-score";
import { scoreShopChunks, type ShopModel } from "../score";
import { fitBgNbd } from "./bgnbd";
import { fitGammaGamma } from "./gamma-gamma";
import type { CustomerSummary } from "./summary";
import { syntheticSummaries } from "./synthetic";

/** Day-based shop resembling CDNOW's buying pattern, two years of history, continuous times. */
const SHOP = {
  bgnbd: { r: 0.25, alpha: 30, a: 0.8, b: 2.5 },
  gammaGamma: { p: 6, q: 4, v: 15 },
  minT: 1,
  maxT: 730,
  wholeUnits: false,
};

export function benchmarkShop(customers: number, seed = 20240601): CustomerSummary[] {
  return syntheticSummaries(mulberry32(seed), { ...SHOP, customers });
}

/** Wall and CPU milliseconds of one call (CPU time is the steadier figure on a shared machine). */
export function timed<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

export interface FitBenchmark {
  customers: number;
  bgnbdMs: number;
  bgnbdCpuMs: number;
  bgnbdEvaluations: number;
  bgnbdRefineEvaluations: number;
  bgnbdConverged: boolean;
  gammaGammaMs: number;
  gammaGammaCpuMs: number;
  gammaGammaEvaluations: number;
}

export function runFitBenchmark(customers: readonly CustomerSummary[]): FitBenchmark {
  const bgnbd = timed(() => fitBgNbd(customers));
  const gg = timed(() => fitGammaGamma(customers));
  const b = bgnbd.value;
  return {
    customers: customers.length,
    bgnbdMs: bgnbd.ms,
    bgnbdCpuMs: bgnbd.cpuMs,
    bgnbdEvaluations: b.status === "fitted" ? b.evaluations : 0,
    bgnbdRefineEvaluations: b.status === "fitted" ? b.refineEvaluations : 0,
    bgnbdConverged: b.status === "fitted" && b.converged,
    gammaGammaMs: gg.ms,
    gammaGammaCpuMs: gg.cpuMs,
    gammaGammaEvaluations: gg.value.status === "fitted" ? gg.value.evaluations : 0,
  };
}

export interface ScoreBenchmark {
  customers: number;
  ms: number;
  cpuMs: number;
}

/**
 * scoreShop's work with the model given (predictions, P(alive), RFM, lifecycle, insights) on customers as columns,
 * the results streamed as chunks of columns and dropped (a caller writes each chunk, then forgets it).
 */
export function runScoreBenchmark(customers: CustomerColumns, model: ShopModel): ScoreBenchmark {
  const run = timed(() => {
    let rows = 0;
    const scoring = scoreShopChunks({ customers, asOf: "2026-01-31", model });
    for (let step = scoring.next(); !step.done; step = scoring.next()) rows += step.value.length;
    return rows;
  });
  return { customers: run.value, ms: run.ms, cpuMs: run.cpuMs };
}
