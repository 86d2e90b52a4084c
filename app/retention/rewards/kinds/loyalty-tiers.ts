/**
 * Loyalty tiers: customers move up (immediately) and down (after a grace period) through named
 * tiers by net spend, order count or predicted CLV; reaching a tier with a reward issues its code.
 */
import { z } from "zod";
import { periods } from "../codes";
import { guardrails, msg, minimumSubtotal, number, numeric, rewardSchema, TIER_METRICS, TIER_WINDOWS, wholeDays } from "../rule-fields";
import type { Candidate } from "../day-run";
import { evaluateTier, NO_TIER } from "../tiers";
import { daysValidFrom, defineKind, EARNED_COMBINES, offerFields } from "./kind";
export const tierSchema = z.object({
  name: z
    .string({
      required_error: "rules.kind.loyaltyTiers.error.nameTheTier",
      invalid_type_error: "rules.kind.loyaltyTiers.error.nameTheTier",
    })
    .trim()
    .min(1, "rules.kind.loyaltyTiers.error.nameTheTier")
    .max(40, "rules.kind.loyaltyTiers.error.keepTierNamesUnder40Characters"),
  threshold: numeric(
    number("rules.kind.loyaltyTiers.error.enterTheThresholdToReachThis").min(0, "rules.kind.loyaltyTiers.error.aThresholdCanTBeNegative"),
  ),
  /** A tier without a reward is recognition only: reaching it issues no code. */
  reward: rewardSchema.nullable().optional(),
  minimumSubtotal,
});
export type Tier = z.infer<typeof tierSchema>;

export const tierProgramSchema = z.object({
  kind: z.literal("loyaltyTiers"),
  ...guardrails,
  metric: z.enum(TIER_METRICS, {
    errorMap: () => ({ message: "rules.kind.loyaltyTiers.error.chooseWhatTiersAreBasedOn" }),
  }),
  /** Ignored for predictedClv, which is already a 12-month forecast. */
  window: z
    .enum(TIER_WINDOWS, { errorMap: () => ({ message: "rules.kind.loyaltyTiers.error.chooseLifetimeOrTheLast12" }) })
    .default("lifetime"),
  graceDays: numeric(wholeDays("rules.kind.loyaltyTiers.label.gracePeriod", 0, 730)).default(30),
  validityDays: numeric(wholeDays("rules.label.validity", 1, 366)).default(30),
  /** One code per tier per customer, ever (moving down and back up again issues nothing). */
  oncePerCustomer: z.boolean().default(true),
  tiers: z
    .array(tierSchema, {
      required_error: "rules.kind.loyaltyTiers.error.addAtLeastOneTier",
      invalid_type_error: "rules.kind.loyaltyTiers.error.addAtLeastOneTier",
    })
    .min(1, "rules.kind.loyaltyTiers.error.addAtLeastOneTier")
    .max(10, "rules.kind.loyaltyTiers.error.useAtMost10Tiers"),
});
export type TierProgramDraft = z.infer<typeof tierProgramSchema>;

export const loyaltyTiers = defineKind<"loyaltyTiers", typeof tierProgramSchema, TierProgramDraft>({
  kind: "loyaltyTiers",
  schema: tierProgramSchema,
  reason: "tierUpgrade",
  issuedAs: "audience",
  channel: "transactional",
  combinesWith: EARNED_COMBINES,
  notifyOnIssue: true,
  decidesFirst: true,
  check(rule, _ctx, addError) {
    const seen = new Set<string>();
    rule.tiers.forEach((tier, i) => {
      const key = tier.name.toLowerCase();
      if (seen.has(key)) addError(`tiers.${i}.name`, msg("rules.kind.loyaltyTiers.error.tierNameTaken", { name: tier.name }));
      seen.add(key);
      const prev = rule.tiers[i - 1];
      if (prev && tier.threshold <= prev.threshold) {
        addError(
          `tiers.${i}.threshold`,
          msg("rules.kind.loyaltyTiers.error.thresholdNotHigher", { name: prev.name, threshold: prev.threshold }),
        );
      }
    });
  },
  decide(run, rule, input) {
    const candidates: Candidate[] = [];
    for (const customer of input.customers) {
      const before = customer.tierStates?.[rule.id] ?? NO_TIER;
      const result = evaluateTier(rule, before, customer.tierMetrics, customer.predictedClv, input.today);
      run.noteTier(customer.id, result.state.tier);
      if (result.state !== before) {
        run.tierUpdates.push({ ruleId: rule.id, customerId: customer.id, state: result.state, changes: result.changes });
      }
      const tierName = result.issueTierCode;
      const tier = rule.tiers.find((t) => t.name === tierName);
      if (!tier?.reward) continue;
      candidates.push({
        customerId: customer.id,
        period: rule.oncePerCustomer ? periods.tier(tier.name) : periods.tier(tier.name, input.today),
        explanation: `Reached ${tier.name}: ${rule.metric} ${result.value} ≥ ${tier.threshold}.`,
        ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
        ...offerFields({ reward: tier.reward, minimumSubtotal: tier.minimumSubtotal }, customer),
        tier: tier.name,
      });
    }
    run.grant(rule, candidates);
  },
  offerFor(rule, period) {
    const dated = /^tier:(.*):(\d{4}-\d{2}-\d{2})$/.exec(period);
    const name = !rule.oncePerCustomer && dated ? dated[1] : period.slice("tier:".length);
    const tier = rule.tiers.find((t) => t.name === name);
    return tier?.reward ? { reward: tier.reward, minimumSubtotal: tier.minimumSubtotal ?? null } : null;
  },
  // One reward per tier: there is no single reward to send as compensation.
  compensation: null,
  tierNames(config) {
    const tiers = config.tiers;
    if (!Array.isArray(tiers)) return [];
    return tiers.flatMap((t: unknown) =>
      t && typeof t === "object" && typeof (t as { name?: unknown }).name === "string" ? [(t as { name: string }).name.trim()] : [],
    );
  },
  formTexts: () => ({ "tiers.0.name": "bronze", "tiers.1.name": "silver", "tiers.2.name": "gold" }),
  formDefaults: (_today, { scale }) => {
    // Thresholds at the 50th / 80th / 95th percentile of the shop's customer spend, in its currency.
    const [bronze, silver, gold] = (scale?.tierThresholds ?? ["", "", ""]).map(String);
    return {
      metric: "netSpend",
      window: "lifetime",
      graceDays: "30",
      validityDays: "30",
      oncePerCustomer: "true",
      "tiers.0.threshold": bronze,
      "tiers.0.reward.type": "percentage",
      "tiers.0.reward.percentage": "5",
      "tiers.1.threshold": silver,
      "tiers.1.reward.type": "percentage",
      "tiers.1.reward.percentage": "10",
      "tiers.2.threshold": gold,
      "tiers.2.reward.type": "percentage",
      "tiers.2.reward.percentage": "15",
    };
  },
});
