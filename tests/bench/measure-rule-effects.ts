/**
 * What the results page would say about the demo shop's rules once customers have answered them (issue #18's
 * closing note; not a test: it measures). The demo has no customer behaviour after codes go out, so this
 * script simulates it with a known true effect and reads the rules' results back through the page's read model:
 *   1. the demo's shop (tests/emulator/demo.ts's generator and seed) imported and scored as on install;
 *   2. four rule kinds with their form defaults (budgets and caps included) and a holdout, one daily run
 *      through the scheduler (`runShopDay`) against the emulator;
 *   3. customers answer (seeded): every assigned customer, treated or held out, buys in the window with
 *      BASE_RATE; a treated customer whose code was created buys with BASE_RATE + the rule's true lift and
 *      uses a code. Orders are made by the emulator and reach the app as orders/create webhooks (code and
 *      total discount in the payload, as Shopify sends them); the scheduler's `recordRedemptions` marks codes used;
 *   4. `ruleResults` (what app.rules.$id_.results.tsx loads) as of a `now` after every window has ended.
 * A customer assigned by several rules makes one decision: the lifts of the rules that treated them add up, and
 * the order falls inside all of their windows, so each rule's expected difference is its own lift. Such an order
 * carries one code (the first rule's in the list), so the other rule's discount cost reads a little low.
 * The true lift printed is the intention-to-treat one: lift × share of treated customers whose code was created.
 * With the defaults, a treated customer stopped by the per-customer cap or the budget gets no ledger row while a
 * held-out one always gets one, so the arms stop being comparable; `--no-limits` (caps at their maximum, no
 * budgets) shows the measurement on its own.
 *   npx tsx tests/bench/measure-rule-effects.ts [--no-limits]
 */
import type { RuleKind } from "../../app/retention/rewards";
import { demoShopScored, ruleDraft } from "./demo-shop-scored";

const BASE_RATE = 0.1;
const HOLDOUT_PERCENT = "40";
const SEED = 18;
const RULES: { kind: RuleKind; lift: number }[] = [
  { kind: "winback", lift: 0.15 },
  { kind: "loyaltyTiers", lift: 0.1 },
  { kind: "secondOrder", lift: 0.15 },
  { kind: "holidayCampaign", lift: 0 },
];
const DAY_MS = 86_400_000;
const NO_LIMITS = process.argv.includes("--no-limits");

const { shop, timeZone, emulator, client } = await demoShopScored("rule-effects.sqlite");
const { default: db } = await import("../../app/db.server");
const { settled } = await import("../../app/jobs/background.server");
const { runShopDay } = await import("../../app/jobs/scheduler.server");
const { applyFlowLifecycleNotice } = await import("../../app/models/flow-usage.server");
const { recordRedemptions, ruleResults } = await import("../../app/models/reward-results.server");
const { createRule } = await import("../../app/models/rules.server");
const { loadShopScale } = await import("../../app/models/shop-scale.server");
const { saveShopSettings } = await import("../../app/models/shop-settings.server");
const { mulberry32 } = await import("../../app/retention/random");
const core = await import("../../app/retention/rewards");
const { startAppWebhookServer } = await import("../support/app-webhook-server");
const { stopEmulatedShopify } = await import("../support/emulated-shopify");

const webhooks = await startAppWebhookServer();
emulator.setAppUrl(webhooks.url);
// A Flow workflow on Kinship's trigger: without one every code is withheld (#15).
await applyFlowLifecycleNotice(shop, { flowTriggerDefinitionId: "kinship-reward-issued", hasEnabledFlow: true, timestamp: new Date() });

const runAt = new Date();
const today = core.localDateAt(runAt, timeZone);
const scale = core.scaledDefaults(await loadShopScale(shop));
const ruleIds: string[] = [];
for (const { kind } of RULES) {
  const draft = await ruleDraft(kind, today, scale, HOLDOUT_PERCENT);
  ruleIds.push(await createRule(shop, { ...draft, enabled: true, ...(NO_LIMITS ? { budget: null } : {}) }));
}
if (NO_LIMITS) {
  const { perDay, per30Days } = core.CUSTOMER_CAP_BOUNDS;
  await saveShopSettings(shop, { customerCaps: { perDay: perDay.max, per30Days: per30Days.max } });
}

const outcome = await runShopDay(shop, { clientFor: async () => client, now: () => runAt });
if (outcome.status !== "ran") throw new Error(`daily run: ${JSON.stringify(outcome)}`);

// Each customer's assignments: arm, window, and the code if Shopify created it.
const ledger = await db.issuedDiscount.findMany({
  where: { shop, ruleId: { in: ruleIds }, kind: { in: ["issue", "holdout"] } },
  select: {
    ruleId: true,
    customerShopifyId: true,
    kind: true,
    code: true,
    shopifyDiscountId: true,
    startsAt: true,
    endsAt: true,
    createdAt: true,
  },
  orderBy: [{ createdAt: "asc" }, { id: "asc" }],
});
interface Assignment {
  rule: number;
  start: number;
  end: number;
  code: string | null;
}
const byCustomer = new Map<string, Assignment[]>();
const withCode = RULES.map(() => 0);
const treated = RULES.map(() => 0);
let lastEnd = runAt.getTime();
for (const row of ledger) {
  const rule = ruleIds.indexOf(row.ruleId);
  const list = byCustomer.get(row.customerShopifyId) ?? [];
  if (list.some((a) => a.rule === rule)) continue; // first assignment only, as the results count it
  const start = (row.startsAt ?? row.createdAt).getTime();
  const end = row.endsAt?.getTime() ?? start + core.OPEN_ENDED_WINDOW_DAYS * DAY_MS;
  const code = row.kind === "issue" && row.shopifyDiscountId ? row.code : null;
  if (row.kind === "issue") treated[rule]++;
  if (code) withCode[rule]++;
  list.push({ rule, start, end, code });
  byCustomer.set(row.customerShopifyId, list);
  lastEnd = Math.max(lastEnd, end);
}

console.error(`daily run done: ${byCustomer.size} customers assigned; treated ${treated.join("/")}, codes ${withCode.join("/")}`);

// Customers answer: one seeded decision each, in the order they were assigned.
const rng = mulberry32(SEED);
const spend = new Map(
  (
    await db.customer.findMany({
      where: { shop },
      select: { shopifyId: true, totalSpent: true, orderCount: true },
    })
  ).map((c) => [c.shopifyId, c.orderCount > 0 ? c.totalSpent / c.orderCount : 0]),
);
let orders = 0;
let redeemed = 0;
// What the simulation decided, per rule and arm, to compare with what the read model measured.
const simulatedBuyers = RULES.map(() => ({ treated: 0, heldOut: 0 }));
for (const [customerId, assigned] of byCustomer) {
  const coded = assigned.filter((a) => a.code);
  const p = Math.min(1, BASE_RATE + coded.reduce((sum, a) => sum + RULES[a.rule].lift, 0));
  if (rng() >= p) continue;
  const from = Math.max(runAt.getTime() + 60_000, ...assigned.map((a) => a.start));
  const until = Math.min(...assigned.map((a) => a.end));
  const processedAt = from + Math.floor(rng() * Math.max(0, until - from - 60_000));
  // The customer's own average basket (the demo's UAH prices), at least UAH 100.
  const subtotalCents = Math.round(Math.max(100, spend.get(customerId) ?? 0) * (0.7 + 0.6 * rng()) * 100);
  const code = coded[0]?.code ?? null;
  const value = code ? emulator.shop(shop).discounts.discountForCode(code)?.value : undefined;
  const amountCents =
    value?.type === "percentage"
      ? Math.round(subtotalCents * value.percentage)
      : value?.type === "amount"
        ? Math.min(subtotalCents, value.amountCents)
        : 0;
  const discountCode =
    code && value && value.type !== "freeShipping"
      ? ({ code, amountCents, type: value.type === "percentage" ? "percentage" : "fixed_amount" } as const)
      : undefined;
  const { delivered } = emulator
    .mutate(shop)
    .createOrder({ customerId, totalCents: subtotalCents - amountCents, processedAt, discountCode });
  const answers = await delivered;
  if (!answers.every((a) => a.delivered)) throw new Error(`orders/create for ${customerId} was not accepted`);
  orders++;
  if (discountCode) redeemed++;
  for (const a of assigned)
    simulatedBuyers[a.rule][
      ledger.some((r) => r.ruleId === ruleIds[a.rule] && r.customerShopifyId === customerId && r.kind === "issue") ? "treated" : "heldOut"
    ]++;
}
await settled();
await recordRedemptions(shop);

const resultsAt = new Date(lastEnd + DAY_MS);
const results = await ruleResults(shop, ruleIds, resultsAt);
const pct = (x: number) => `${(x * 100).toFixed(1)}`;
const money = (e: { difference: number; lower: number; upper: number } | null) =>
  e ? `${e.difference.toFixed(0)} [${e.lower.toFixed(0)}, ${e.upper.toFixed(0)}]` : "—";
console.log(
  `Demo shop ${shop} (${(await db.customer.count({ where: { shop, orderCount: { gt: 0 } } })).toLocaleString("en")} customers with orders, UAH), ` +
    `daily run ${today}${NO_LIMITS ? " with no caps or budgets" : " with default caps and budgets"}; holdout ${HOLDOUT_PERCENT}%, base purchase rate ${pct(BASE_RATE)}% in every arm, seed ${SEED}; ` +
    `${orders} simulated orders (${redeemed} with a code); results as of ${resultsAt.toISOString().slice(0, 10)}.`,
);
results.forEach((r, i) => {
  const e = r.experiment;
  const trueItt = treated[i] ? (RULES[i].lift * withCode[i]) / treated[i] : 0;
  const rate = e?.purchaseRate;
  const covered = rate ? (rate.lower <= trueItt && trueItt <= rate.upper ? "covers" : "MISSES") : "—";
  console.log(
    [
      `\n${RULES[i].kind}: eligible treated ${r.treated.customers} (codes created ${withCode[i]}), held out ${r.heldOut.customers}; measured ${r.treated.complete} / ${r.heldOut.complete}`,
      `  state: ${e?.state ?? "no holdout"} (simulated buyers: treated ${simulatedBuyers[i].treated}, held out ${simulatedBuyers[i].heldOut}; measured ${r.treated.purchasers} / ${r.heldOut.purchasers})`,
      `  purchase rate: treated ${pct(r.treated.windowPurchaseRate ?? 0)}%, held out ${pct(r.heldOut.windowPurchaseRate ?? 0)}%; ` +
        `difference ${rate ? `${pct(rate.difference)} pts [${pct(rate.lower)}, ${pct(rate.upper)}]` : "—"}; ` +
        `true lift ${pct(RULES[i].lift)} pts, ITT ${pct(trueItt)} pts (${covered})`,
      `  per 100 eligible, UAH: incremental revenue ${money(e?.money.revenue ?? null)}, discount cost ${money(e?.money.discountCost ?? null)}, ` +
        `profit ${money(e?.money.profit ?? null)} (margin ${e?.money.grossMargin ?? "—"})`,
    ].join("\n"),
  );
});
const overlap = [...byCustomer.values()].filter((a) => a.length > 1).length;
console.log(
  `\n${overlap} customers were assigned by more than one rule. Load average ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}.`,
);

await webhooks.close();
await stopEmulatedShopify(emulator);
await db.$disconnect();
process.exit(0);
