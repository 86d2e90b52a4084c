/**
 * Issue #15's closing note (not a test: it measures). Who the day's rewards reach on the demo shop, per rule kind
 * with its default rule on, in three situations:
 *   before          as the engine behaved before #15: every code delivered regardless (a Flow workflow assumed)
 *                   and no kind needing marketing consent;
 *   after           the shop as installed: no Flow workflow yet, the default consent policy;
 *   after, Flow on  the same, once Flow's lifecycle callback said a workflow uses Kinship's trigger.
 *   npx tsx tests/bench/measure-reach.ts
 * Eligible = issued + withheld + excluded for consent + capped + held out (every customer a rule selected today).
 */
import type { RuleKind } from "../../app/retention/rewards";
import { demoShopScored } from "./demo-shop-scored";

const { shop, timeZone, emulator } = await demoShopScored("reach-measure.sqlite");
const { default: db } = await import("../../app/db.server");
const { loadScheduleInput } = await import("../../app/jobs/issuance.server");
const { createRule } = await import("../../app/models/rules.server");
const { loadShopScale } = await import("../../app/models/shop-scale.server");
const core = await import("../../app/retention/rewards");
const { formToRuleInput } = await import("../../app/routes/app.rules.$id");
const { stopEmulatedShopify } = await import("../support/emulated-shopify");

const now = new Date();
const today = core.localDateAt(now, timeZone);
const scale = core.scaledDefaults(await loadShopScale(shop));

/** A rule of `kind` as the new-rule form fills it in, switched on. */
function ruleOf(kind: RuleKind) {
  const values = {
    kind,
    name: kind,
    enabled: "true",
    holdoutShare: "0",
    ...core.rewardKind(kind).formDefaults(today, { presetId: null, scale }),
  };
  for (const [path] of Object.entries(core.rewardKind(kind).formTexts?.(values) ?? {})) (values as Record<string, string>)[path] = path;
  const { input: raw } = formToRuleInput(Object.entries(values));
  const result = core.validateRuleInput(raw, { knownTiers: [] });
  if (!result.ok) throw new Error(`${kind}: ${JSON.stringify(result.fieldErrors)}`);
  return { ...result.rule, enabled: true };
}

const kindOfRule = new Map<string, RuleKind>();
for (const kind of core.RULE_KINDS) kindOfRule.set(await createRule(shop, ruleOf(kind)), kind);

type Input = Awaited<ReturnType<typeof loadScheduleInput>>["input"];
const { input: installed } = await loadScheduleInput(shop, today, now);
const situations: Record<string, Input> = {
  before: { ...installed, delivery: { flowWorkflow: true }, kindsNeedingConsent: [] },
  after: installed,
  "after, Flow on": { ...installed, delivery: { flowWorkflow: true } },
};

const rows: Array<Record<string, string | number>> = [];
for (const [situation, input] of Object.entries(situations)) {
  const result = core.decideDay(input);
  const totals = new Map<
    string,
    { eligible: number; issued: number; noDeliveryChannel: number; consent: number; capped: number; heldOut: number }
  >();
  const of = (ruleId: string) => {
    const kind = kindOfRule.get(ruleId) ?? "?";
    if (!totals.has(kind)) totals.set(kind, { eligible: 0, issued: 0, noDeliveryChannel: 0, consent: 0, capped: 0, heldOut: 0 });
    return totals.get(kind)!;
  };
  for (const ruleId of kindOfRule.keys()) of(ruleId);
  for (const d of result.decisions) {
    if (d.kind === "holdout") of(d.ruleId).heldOut++;
    else if (d.kind !== "issue") continue;
    else if (d.withheldReason === "noDeliveryChannel") of(d.ruleId).noDeliveryChannel++;
    else if (!d.withheldReason) of(d.ruleId).issued++;
  }
  for (const c of result.capped) of(c.ruleId).capped++;
  for (const [ruleId, n] of Object.entries(result.excludedForConsent)) of(ruleId).consent += n;
  const all = { eligible: 0, issued: 0, noDeliveryChannel: 0, consent: 0, capped: 0, heldOut: 0 };
  for (const [kind, t] of totals) {
    t.eligible = t.issued + t.noDeliveryChannel + t.consent + t.capped + t.heldOut;
    for (const k of Object.keys(all) as (keyof typeof all)[]) all[k] += t[k];
    rows.push({ situation, kind, ...t });
  }
  rows.push({ situation, kind: "ALL", ...all });
}

const customers = await db.customer.count({ where: { shop, orderCount: { gt: 0 } } });
const withoutConsent = await db.customer.count({
  where: { shop, OR: [{ marketingState: null }, { marketingState: { not: "SUBSCRIBED" } }] },
});
console.log(JSON.stringify({ shop, today, customers, withoutConsent }));
console.table(rows);
await stopEmulatedShopify(emulator);
await db.$disconnect();
process.exit(0);
