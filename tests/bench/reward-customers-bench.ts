/**
 * Child: the daily run's customer snapshot on a shop the import bench has synced (and scored): time and
 * memory of `loadRewardCustomers` without and with the customers' order history (decision 005: a kind
 * that declares `readsOrderHistory` makes the run read every order), and `decideDay` over it for one rule
 * of --kind. One mode per process, so the peak RSS is that mode's own.
 *   DATABASE_URL=… node --expose-gc --import tsx tests/bench/reward-customers-bench.ts --meta <meta.json> --history on --runs 3
 */
import "./app-env";
import { readFileSync } from "node:fs";
import { loadRewardCustomers } from "../../app/models/reward-customers.server";
import { decideDay, localDateAt, orderCount, rewardKind, validateRuleInput, type RuleKind } from "../../app/retention/rewards";
import { argValue, median, peakRssMB, progress, reportResult, requireArg, round } from "./harness";
import type { ShopDataMeta } from "./shop-data";

const meta = JSON.parse(readFileSync(requireArg(process.argv, "--meta"), "utf8")) as ShopDataMeta;
const withHistory = argValue(process.argv, "--history") === "on";
const runs = Number(argValue(process.argv, "--runs") ?? 3);
const kind = (argValue(process.argv, "--kind") ?? "orderMilestones") as RuleKind;
const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  return round(process.memoryUsage().heapUsed / 1024 / 1024, 1);
};
const now = new Date();
const today = localDateAt(now, meta.timeZone);

const baseHeap = heapMB();
const baseRss = peakRssMB();
const loadMs: number[] = [];
let customers: Awaited<ReturnType<typeof loadRewardCustomers>> = [];
for (let i = 0; i < runs; i++) {
  customers = [];
  heapMB();
  progress(`loadRewardCustomers, history ${withHistory ? "on" : "off"}, run ${i + 1} of ${runs}`);
  const started = performance.now();
  customers = await loadRewardCustomers(meta.domain, meta.timeZone, now, new Map(), undefined, withHistory);
  loadMs.push(round(performance.now() - started, 0));
}
const snapshotHeapMB = round(heapMB() - baseHeap, 1);
const orders = withHistory ? customers.reduce((n, c) => n + orderCount(c.orderHistory!), 0) : null;

const draft = validateRuleInput({ kind, name: "bench", enabled: true, ...formValues(kind) }, { knownTiers: [] });
if (!draft.ok) throw new Error(`bench rule rejected: ${JSON.stringify(draft.fieldErrors)}`);
const rule = { ...draft.rule, id: "bench-rule" };
const decideMs: number[] = [];
let decisions = 0;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  decisions = decideDay({
    today,
    timeZone: meta.timeZone,
    rules: [rule],
    customers,
    issued: [],
    costAssumptions: { averageOrderValue: 50, averageShippingCost: 5 },
    currencyCode: meta.currency,
  }).decisions.length;
  decideMs.push(round(performance.now() - started, 0));
}

reportResult({
  history: withHistory,
  customers: customers.length,
  orders,
  loadMs,
  loadMedianMs: median(loadMs),
  snapshotHeapMB,
  peakRssMB: peakRssMB(),
  rssBeforeMB: baseRss,
  kind,
  decisions,
  decideMs,
});

/** The kind's form defaults as rule input (numbers as the form posts them). */
function formValues(k: RuleKind): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(rewardKind(k).formDefaults(today, {}))) {
    const keys = path.split(".");
    let at = out;
    keys.slice(0, -1).forEach((key, i) => {
      const nextIsIndex = /^\d+$/.test(keys[i + 1]);
      at[key] ??= nextIsIndex ? [] : {};
      at = at[key] as Record<string, unknown>;
    });
    at[keys[keys.length - 1]] = value;
  }
  return out;
}
