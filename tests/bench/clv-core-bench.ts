/**
 * Child: the retention core's own speed benchmark (issue 5) on synthetic CDNOW-like data — BG/NBD fit on
 * 100,000 customers and scoring 200,000 with a fitted model — repeated --runs times.
 *   tsx tests/bench/clv-core-bench.ts --runs 3
 */
import { runRetentionBenchmark, type RetentionBenchmark } from "../../app/retention/clv/benchmark";
import { argValue, peakRssMB, progress, reportResult } from "./harness";

const runs = Number(argValue(process.argv, "--runs") ?? 3);
const results: RetentionBenchmark[] = [];
for (let i = 0; i < runs; i++) {
  progress(`retention core benchmark, run ${i + 1} of ${runs}`);
  results.push(runRetentionBenchmark());
}
reportResult({
  fitCustomers: results[0].fitCustomers,
  scoreCustomers: results[0].scoreCustomers,
  fitMs: results.map((r) => Math.round(r.fitMs)),
  fitEvaluations: results.map((r) => r.fitEvaluations),
  scoreMs: results.map((r) => Math.round(r.scoreMs)),
  fitAndScoreMs: results.map((r) => Math.round(r.fitAndScoreMs)),
  peakRssMB: peakRssMB(),
});
