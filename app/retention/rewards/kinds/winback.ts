/** Win-back: one offer per lapse to customers in the Lapsed group who agreed to marketing. */
import { z } from "zod";
import { lapseDateOfPeriod } from "../codes";
import { guardrails, minimumSubtotal, numeric, rewardSchema, wholeDays } from "../rule-fields";
import type { Candidate } from "../day-run";
import { winbackVerdict, type PreviousWinbackOffer } from "../winback";
import { daysValidFrom, defineKind, INCENTIVE_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

export const winbackSchema = z.object({
  kind: z.literal("winback"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  validityDays: numeric(wholeDays("rules.label.validity", 1, 366)).default(14),
  /** No second win-back offer within this many days of the previous one, even after a new lapse. */
  cooldownDays: numeric(wholeDays("rules.kind.winback.label.cooldown", 0, 730)).default(90),
});
export type WinbackDraft = z.infer<typeof winbackSchema>;

export const winback = defineKind<"winback", typeof winbackSchema, WinbackDraft>({
  kind: "winback",
  schema: winbackSchema,
  reason: "winback",
  issuedAs: "audience",
  channel: "promotional",
  combinesWith: INCENTIVE_COMBINES,
  notifyOnIssue: true,
  decide(run, rule, input) {
    const candidates: Candidate[] = [];
    for (const customer of input.customers) {
      const previous: PreviousWinbackOffer[] = [];
      for (const r of run.recordsFor(rule.id, customer.id)) {
        const lapsedSince = lapseDateOfPeriod(r.period);
        if (lapsedSince && r.kind !== "remind") previous.push({ lapsedSince, decidedOn: r.decidedOn });
      }
      const verdict = winbackVerdict(customer, previous, input.today, rule.cooldownDays);
      if (!verdict.due) continue;
      candidates.push({
        customerId: customer.id,
        period: verdict.period,
        explanation: `Lapsed since ${verdict.lapsedSince}.`,
        ...daysValidFrom(input.today, rule.validityDays, input.timeZone),
        ...offerFields(rule, customer),
      });
    }
    run.grant(rule, candidates);
  },
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: rule.validityDays }),
  formDefaults: () => ({ ...percentOff(15), validityDays: "14", cooldownDays: "90" }),
});
