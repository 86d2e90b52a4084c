/**
 * Child: the retention core's speed (issue 19) on synthetic CDNOW-like data with continuous times, one part
 * per process so each part's peak RSS is its own. Parts: fit (100k, and 1M with --large), score (200k or 2M),
 * cdnow (evaluations to the optimum on the CDNOW sample).
 *   tsx tests/bench/clv-core-bench.ts --part fit --customers 100000 --runs 3
 */
import {
  benchmarkShop,
  runFitBenchmark,
  runScoreBenchmark,
  type FitBenchmark,
  type ScoreBenchmark,
} from "../../app/retention/clv/benchmark";
import { fitBgNbd } from "../../app/retention/clv/bgnbd";
import { fitGammaGamma } from "../../app/retention/clv/gamma-gamma";
import { customerColumns } from "../../app/retention/customer-score";
import { fitShopModel } from "../../app/retention/score";
import { cdnowFile, readNumericCsv } from "../support/shared-data";
import { argValue, peakRssMB, progress, reportResult } from "./harness";

const part = argValue(process.argv, "--part") ?? "fit";
const runs = Number(argValue(process.argv, "--runs") ?? 3);
const customers = Number(argValue(process.argv, "--customers") ?? 100_000);

if (part === "cdnow") {
  const summary = readNumericCsv(cdnowFile("cdnow_customers_summary.csv")).map((row) => ({
    frequency: row.frequency,
    recency: row.recency,
    T: row.T,
  }));
  const spend = readNumericCsv(cdnowFile("cdnow_customers_summary_with_transactions.csv")).map((row) => ({
    frequency: row.x,
    monetaryValue: row.zbar,
  }));
  const bgnbd = fitBgNbd(summary);
  const gg = fitGammaGamma(spend);
  if (bgnbd.status !== "fitted" || gg.status !== "fitted") throw new Error("CDNOW did not fit");
  reportResult({
    bgnbd: {
      r: bgnbd.r,
      alpha: bgnbd.alpha,
      a: bgnbd.a,
      b: bgnbd.b,
      logLikelihood: bgnbd.logLikelihood,
      evaluations: bgnbd.evaluations,
      refineEvaluations: bgnbd.refineEvaluations,
      gradientMax: bgnbd.gradientMax,
      converged: bgnbd.converged,
    },
    gammaGamma: { p: gg.p, q: gg.q, v: gg.v, evaluations: gg.evaluations, converged: gg.converged },
  });
} else if (part === "fit") {
  progress(`retention core: simulating ${customers.toLocaleString("en")} customers`);
  const shop = benchmarkShop(customers);
  const results: FitBenchmark[] = [];
  for (let i = 0; i < runs; i++) {
    progress(`fits on ${customers.toLocaleString("en")} customers, run ${i + 1} of ${runs}`);
    results.push(runFitBenchmark(shop));
  }
  reportResult({ runs: results, peakRssMB: peakRssMB() });
} else {
  progress(`retention core: simulating ${customers.toLocaleString("en")} customers to score`);
  const { columns, model } = scoringInput(customers);
  const results: ScoreBenchmark[] = [];
  for (let i = 0; i < runs; i++) {
    progress(`scoring ${customers.toLocaleString("en")} customers, run ${i + 1} of ${runs}`);
    results.push(runScoreBenchmark(columns, model));
  }
  reportResult({ runs: results, peakRssMB: peakRssMB() });
}

/** The shop as columns with its model; the summaries as objects are garbage once this returns. */
function scoringInput(customers: number) {
  const shop = benchmarkShop(customers, 7);
  return { columns: customerColumns(shop), model: fitShopModel(shop) };
}
