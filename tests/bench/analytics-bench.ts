/**
 * Child: CLV on a shop the import bench has just synced (database in DATABASE_URL).
 *  - read the shop's value orders and build (frequency, recency, T) summaries, as recompute does;
 *  - BG/NBD + Gamma-Gamma fit (`fitShopModel`), median of --runs;
 *  - scoring every customer with the fitted model (`scoreShop`: predictions, RFM, lifecycle, insights);
 *  - `recomputeShop` end to end (read, fit, backtest, score, write every customer's scores), --recompute-runs,
 *    first, so the process's peak RSS at that point is recompute's own.
 *   DATABASE_URL=… tsx tests/bench/analytics-bench.ts --meta <meta.json> --runs 3 --recompute-runs 1
 */
import "./app-env";
import { readFileSync } from "node:fs";
import db from "../../app/db.server";
import { recomputeShop } from "../../app/jobs/recompute.server";
import { localDayConverter } from "../../app/retention/time";
import { loadValueOrders } from "../../app/models/customer-scores.server";
import { summarizeTransactions } from "../../app/retention/clv/summary";
import { fitShopModel, scoreShop } from "../../app/retention/score";
import { argValue, median, peakRssMB, progress, reportResult, requireArg, round } from "./harness";
import type { ShopDataMeta } from "./shop-data";

const meta = JSON.parse(readFileSync(requireArg(process.argv, "--meta"), "utf8")) as ShopDataMeta;
const runs = Number(argValue(process.argv, "--runs") ?? 3);
const recomputeRuns = Number(argValue(process.argv, "--recompute-runs") ?? 1);
const shop = meta.domain;
const now = new Date();
let started = 0;

progress(`recomputeShop on the ${meta.size} shop (${recomputeRuns} run${recomputeRuns > 1 ? "s" : ""})`);
const recomputeMs: number[] = [];
for (let i = 0; i < recomputeRuns; i++) {
  started = performance.now();
  await recomputeShop(shop, now);
  recomputeMs.push(performance.now() - started);
}
// Read before the measurements below load every order at once: this is recomputeShop's own peak, as
// the app process (scheduler, Settings) would see it.
const recomputePeakRssMB = peakRssMB();

progress(`CLV on the ${meta.size} shop: reading orders and summarising`);
started = performance.now();
const toLocalDay = localDayConverter(meta.timeZone);
const asOf = toLocalDay(now);
const orders = await loadValueOrders(shop);
const summaries = summarizeTransactions(
  orders.map((o) => ({ customerId: o.customerShopifyId, date: toLocalDay(o.processedAt), amount: o.netTotal })),
  { asOf, unit: "days" },
);
const loadMs = performance.now() - started;

const fitMs: number[] = [];
let model = fitShopModel(summaries);
for (let i = 0; i < runs; i++) {
  started = performance.now();
  model = fitShopModel(summaries);
  fitMs.push(performance.now() - started);
}
const scoreMs: number[] = [];
let scored = 0;
for (let i = 0; i < runs; i++) {
  started = performance.now();
  scored = scoreShop({ customers: summaries, asOf, model }).customers.length;
  scoreMs.push(performance.now() - started);
}

await db.$disconnect();

const fit = model.bgnbd.status === "fitted" ? model.bgnbd : null;
const gg = model.gammaGamma.status === "fitted" ? model.gammaGamma : null;
reportResult({
  size: meta.size,
  customers: summaries.length,
  valueOrders: orders.length,
  loadAndSummariseMs: Math.round(loadMs),
  fitMs: fitMs.map((v) => round(v, 1)),
  scoreMs: scoreMs.map((v) => round(v, 1)),
  recomputeMs: recomputeMs.map((v) => Math.round(v)),
  scoredCustomers: scored,
  recomputePeakRssMB,
  peakRssMB: peakRssMB(),
  model: {
    bgnbd: fit
      ? { r: round(fit.r, 4), alpha: round(fit.alpha, 3), a: round(fit.a, 4), b: round(fit.b, 4), converged: fit.converged }
      : model.bgnbd.status,
    gammaGamma: gg ? { p: round(gg.p, 3), q: round(gg.q, 3), v: round(gg.v, 3) } : model.gammaGamma.status,
    repeatBuyers: model.bgnbd.repeatBuyers,
  },
  medianFitMs: median(fitMs),
});
