/**
 * Holiday campaigns: a code for an audience (everyone who agreed to marketing, a segment or a
 * loyalty tier) between two shop-local dates, optionally started from a holiday preset.
 */
import { z } from "zod";
import { idempotencyKey, periods } from "../codes";
import { campaignOccurrenceOn, HOLIDAY_PRESETS, presetCampaignDates } from "../holidays";
import { addDays, compareLocalDates, isLocalDate, validityInstants } from "../../time";
import {
  guardrails,
  localDate,
  minimumSubtotal,
  msg,
  numeric,
  rewardSchema,
  wholeDays,
  audienceSchema,
  type Audience,
} from "../rule-fields";
import type { Candidate, CustomerSnapshot, DayRun } from "../day-run";
import { defineKind, INCENTIVE_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

export { audienceSchema, type Audience };

export const holidayCampaignSchema = z.object({
  kind: z.literal("holidayCampaign"),
  ...guardrails,
  /** Stable preset id when added from a preset (e.g. "international-womens-day"). */
  presetId: z.string().trim().min(1).nullable().optional(),
  holidayDate: localDate("rules.kind.holidayCampaign.error.enterTheHolidaySDate").nullable().optional(),
  /** Shop-local calendar dates, both inclusive. */
  startsAt: localDate("rules.kind.holidayCampaign.error.enterTheStartDate"),
  endsAt: localDate("rules.kind.holidayCampaign.error.campaignsNeedAnEndDate"),
  /** "yearly": the campaign comes back around its holiday every year (same days before and after). */
  recurrence: z.enum(["once", "yearly"], { invalid_type_error: "rules.error.enterAValidValue" }).default("once"),
  /** A last-chance reminder this many days before each run ends (to customers holding its code); none when empty. */
  reminderDaysBeforeEnd: numeric(wholeDays("rules.kind.holidayCampaign.label.reminderDaysBeforeEnd", 1, 30))
    .nullable()
    .optional(),
  audience: audienceSchema,
  reward: rewardSchema,
  minimumSubtotal,
});
export type HolidayCampaignDraft = z.infer<typeof holidayCampaignSchema>;

function inAudience(run: DayRun, rule: HolidayCampaignDraft, customer: CustomerSnapshot): boolean {
  const a = rule.audience;
  switch (a.type) {
    case "everyoneWithConsent":
      return true;
    case "segment":
      return customer.segmentIds?.includes(a.segmentId) ?? false;
    case "tier":
      return run.tierOf(customer.id) === a.tier;
  }
}

/** Two audiences may share a customer unless they are different groups of one family (two tiers, two lifecycle groups, two RFM cells). */
function audiencesMayShare(a: Audience, b: Audience): boolean {
  if (a.type === "tier" && b.type === "tier") return a.tier === b.tier;
  if (a.type === "segment" && b.type === "segment") {
    const [familyA] = a.segmentId.split(":");
    const [familyB] = b.segmentId.split(":");
    return familyA !== familyB || a.segmentId === b.segmentId;
  }
  return true;
}

export const holidayCampaign = defineKind<"holidayCampaign", typeof holidayCampaignSchema, HolidayCampaignDraft>({
  kind: "holidayCampaign",
  schema: holidayCampaignSchema,
  reason: "campaign",
  issuedAs: "audience",
  channel: "promotional",
  combinesWith: INCENTIVE_COMBINES,
  notifyOnIssue: true,
  check(rule, ctx, addError) {
    if (compareLocalDates(rule.endsAt, rule.startsAt) < 0) {
      addError("endsAt", "rules.kind.holidayCampaign.error.theEndDateMustBeOn");
    }
    // A yearly campaign whose first run is over still has the next ones ahead.
    if (rule.recurrence !== "yearly" && ctx.today && isLocalDate(ctx.today) && compareLocalDates(rule.endsAt, ctx.today) < 0) {
      addError("endsAt", "rules.kind.holidayCampaign.error.thisEndDateHasAlreadyPassed");
    }
    if (rule.audience.type === "tier" && !ctx.knownTiers.includes(rule.audience.tier)) {
      addError(
        "audience.tier",
        ctx.knownTiers.length
          ? msg("rules.kind.holidayCampaign.error.unknownTierChoose", { tier: rule.audience.tier, tiers: ctx.knownTiers.join(", ") })
          : msg("rules.kind.holidayCampaign.error.unknownTierNoTiers", { tier: rule.audience.tier }),
      );
    }
    if (rule.audience.type === "segment" && ctx.knownSegments && !ctx.knownSegments.includes(rule.audience.segmentId)) {
      addError("audience.segmentId", "rules.kind.holidayCampaign.error.thatSegmentDoesnTExistAny");
    }
  },
  decide(run, rule, input) {
    const occurrence = campaignOccurrenceOn(rule, input.today);
    if (!occurrence) return;
    const candidates: Candidate[] = [];
    for (const customer of input.customers) {
      if (!inAudience(run, rule, customer)) continue;
      candidates.push({
        customerId: customer.id,
        period: periods.campaign(rule.id, occurrence.year),
        explanation: `${rule.name} runs ${occurrence.startsAt} to ${occurrence.endsAt}.`,
        ...validityInstants(occurrence.startsAt, occurrence.endsAt, input.timeZone),
        ...offerFields(rule, customer),
      });
    }
    run.grant(rule, candidates);

    const before = rule.reminderDaysBeforeEnd;
    if (!before || compareLocalDates(input.today, addDays(occurrence.endsAt, -before)) < 0) return;
    const issuedPeriod = periods.campaign(rule.id, occurrence.year);
    for (const c of candidates) {
      const period = periods.campaignReminder(rule.id, occurrence.year, before);
      // Only customers who hold this run's code, once each (a missed day is caught up while the run lasts).
      if (
        run.kindOf(idempotencyKey(rule.id, c.customerId, issuedPeriod)) !== "issue" ||
        run.has(idempotencyKey(rule.id, c.customerId, period))
      )
        continue;
      run.remind(rule, {
        ...c,
        period,
        explanation: `Last chance: ${rule.name} ends ${occurrence.endsAt}.`,
        moment: -before,
        lastChance: true,
      });
    }
  },
  isLastChance: () => true,
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: null }),
  dateRange: (rule) => ({ startsAt: rule.startsAt, endsAt: rule.endsAt }),
  // A campaign from a preset is named after its holiday.
  formTexts: (values): Record<string, string> => (values.presetId ? { name: `preset.${values.presetId}` } : {}),
  // Campaigns on different days, or for audiences that cannot share a customer, may run side by side.
  overlaps(a, b) {
    return (
      compareLocalDates(a.startsAt, b.endsAt) <= 0 &&
      compareLocalDates(b.startsAt, a.endsAt) <= 0 &&
      audiencesMayShare(a.audience, b.audience)
    );
  },
  overlapField: "startsAt",
  formDefaults(today, { presetId }) {
    const preset = HOLIDAY_PRESETS.find((p) => p.id === presetId);
    if (!preset) return { ...percentOff(10), startsAt: today, endsAt: addDays(today, 7), "audience.type": "everyoneWithConsent" };
    const dates = presetCampaignDates(preset.id, today);
    // A holiday comes back every year: so does a campaign started from its preset, unless the merchant says once.
    return { ...percentOff(10), presetId: preset.id, ...dates, recurrence: "yearly", "audience.type": "everyoneWithConsent" };
  },
});
