/**
 * The demo shop's first run when a merchant turns rules on (not a test: it measures, #23).
 *   npx tsx tests/bench/measure-first-run.ts
 * Seeds the demo's shop (tests/emulator/demo.ts: 1,762 customers with orders, UAH, Europe/Kyiv), imports
 * and scores it as on install, then prints, per rule kind with its new (shop-scaled) defaults, what the
 * confirmation shows (the scheduler's dry run), and the day's total with every kind on, against the old
 * defaults (tiers 100 / 500 / 1,000, a UAH 5 thank-you, all on, no per-customer cap).
 */
import type { RuleKind, ScaledDefaults } from "../../app/retention/rewards";
import { demoShopScored, ruleDraft } from "./demo-shop-scored";

const { shop, timeZone, emulator } = await demoShopScored("guard-measure.sqlite");
const { default: db } = await import("../../app/db.server");
const { firstRunForShop, loadScheduleInput } = await import("../../app/jobs/issuance.server");
const { createRule, setRuleEnabled, listRules } = await import("../../app/models/rules.server");
const { loadShopScale } = await import("../../app/models/shop-scale.server");
const core = await import("../../app/retention/rewards");
const { stopEmulatedShopify } = await import("../support/emulated-shopify");
const { applyFlowLifecycleNotice } = await import("../../app/models/flow-usage.server");

// The merchant has a Flow workflow on Kinship's trigger: without one every code is withheld (#15), costs
// nothing and uses no cap, and the figures below would all be 0.
await applyFlowLifecycleNotice(shop, { flowTriggerDefinitionId: "kinship-reward-issued", hasEnabledFlow: true, timestamp: new Date() });

const now = new Date();

const today = core.localDateAt(now, timeZone);
const scale = core.scaledDefaults(await loadShopScale(shop));
const round = (n: number) => Math.round(n * 100) / 100;

const draftOf = (kind: RuleKind, s: ScaledDefaults) => ruleDraft(kind, today, s);

async function dayTotals(caps: boolean) {
  const { input } = await loadScheduleInput(shop, today, now);
  const result = core.decideDay(caps ? input : { ...input, customerCaps: null });
  // Codes that would be created; a decision withheld for want of a channel is no code.
  const issued = result.decisions.filter((d) => d.kind === "issue" && !d.withheldReason);
  const perCustomer = new Map<string, number>();
  for (const d of issued) perCustomer.set(d.customerId, (perCustomer.get(d.customerId) ?? 0) + 1);
  return {
    codes: issued.length,
    maxCost: round(issued.reduce((sum, d) => sum + d.estimatedCost, 0)),
    capped: result.capped.length,
    withheld: result.decisions.filter((d) => d.withheldReason).length,
    customersWith5PlusCodes: [...perCustomer.values()].filter((n) => n >= 5).length,
    mostCodesForOneCustomer: Math.max(0, ...perCustomer.values()),
  };
}

const customers = await db.customer.count({ where: { shop, orderCount: { gt: 0 } } });
const report: Record<string, unknown> = { shop, customers, today, scale };

// New defaults: each kind alone (what its confirmation shows), then all of them on.
const perKind: Record<string, unknown> = {};
for (const kind of core.RULE_KINDS) {
  const id = await createRule(shop, await draftOf(kind, scale));
  const run = await firstRunForShop(shop, id, now);
  perKind[kind] = { audience: run!.audience, codes: run!.count, maxCost: run!.maxCost, capped: run!.capped, heldOut: run!.heldOut };
}
report.newDefaultsEachKindAlone = perKind;
for (const { rule } of (await listRules(shop)).rules) await setRuleEnabled(shop, rule.id, true);
report.newDefaultsAllOnWithCaps = await dayTotals(true);
report.newDefaultsAllOnWithoutCaps = await dayTotals(false);

// Old defaults, all on, no cap (what the demo did before #23).
await db.discountRule.deleteMany({ where: { shop } });
const old: ScaledDefaults = { tierThresholds: [100, 500, 1000], thankYouAmount: 5 };
for (const kind of core.RULE_KINDS) await createRule(shop, { ...(await draftOf(kind, old)), enabled: true });
report.oldDefaultsAllOnNoCaps = await dayTotals(false);

console.log(JSON.stringify(report, null, 2));
await stopEmulatedShopify(emulator);
await db.$disconnect();
process.exit(0);
