/**
 * Holiday campaigns: a code for an audience (everyone who agreed to marketing, a segment or a
 * loyalty tier) between two shop-local dates, optionally started from a holiday preset.
 */
import { z } from "zod";
import { periods } from "../codes";
import { HOLIDAY_PRESETS, isCampaignActive, presetCampaignDates } from "../holidays";
import { addDays, compareLocalDates, isLocalDate } from "../local-date";
import { guardrails, localDate, minimumSubtotal, msg, rewardSchema } from "../rule-fields";
import type { Candidate, CustomerSnapshot, DayRun } from "../schedule";
import { validityInstants } from "../time-zone";
import { defineKind, offerFields, percentOff, ruleOffer } from "./kind";

export const audienceSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("segment"),
      segmentId: z.string({ required_error: "rules.kind.holidayCampaign.error.chooseASegment" }).trim().min(1, "rules.kind.holidayCampaign.error.chooseASegment"),
    }),
    z.object({
      type: z.literal("tier"),
      tier: z.string({ required_error: "rules.kind.holidayCampaign.error.chooseATier" }).trim().min(1, "rules.kind.holidayCampaign.error.chooseATier"),
    }),
    z.object({ type: z.literal("everyoneWithConsent") }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator || issue.code === z.ZodIssueCode.invalid_type
        ? { message: "rules.kind.holidayCampaign.error.chooseWhoGetsItASegment" }
        : { message: ctx.defaultError },
  },
);
export type Audience = z.infer<typeof audienceSchema>;


export const holidayCampaignSchema = z.object({
  kind: z.literal("holidayCampaign"),
  ...guardrails,
  /** Stable preset id when added from a preset (e.g. "international-womens-day"). */
  presetId: z.string().trim().min(1).nullable().optional(),
  holidayDate: localDate("rules.kind.holidayCampaign.error.enterTheHolidaySDate").nullable().optional(),
  /** Shop-local calendar dates, both inclusive. */
  startsAt: localDate("rules.kind.holidayCampaign.error.enterTheStartDate"),
  endsAt: localDate("rules.kind.holidayCampaign.error.campaignsNeedAnEndDate"),
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

export const holidayCampaign = defineKind<"holidayCampaign", typeof holidayCampaignSchema, HolidayCampaignDraft>({
  kind: "holidayCampaign",
  schema: holidayCampaignSchema,
  reason: "campaign",
  channel: "promotional",
  notifyOnIssue: true,
  check(rule, ctx, addError) {
    if (compareLocalDates(rule.endsAt, rule.startsAt) < 0) {
      addError("endsAt", "rules.kind.holidayCampaign.error.theEndDateMustBeOn");
    }
    if (ctx.today && isLocalDate(ctx.today) && compareLocalDates(rule.endsAt, ctx.today) < 0) {
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
    if (!isCampaignActive(rule, input.today)) return;
    const candidates: Candidate[] = [];
    for (const customer of input.customers) {
      if (!inAudience(run, rule, customer)) continue;
      candidates.push({
        customerId: customer.id,
        period: periods.campaign(rule.id),
        explanation: `${rule.name} runs ${rule.startsAt} to ${rule.endsAt}.`,
        ...validityInstants(rule.startsAt, rule.endsAt, input.timeZone),
        ...offerFields(rule, customer),
      });
    }
    run.grant(rule, candidates);
  },
  offerFor: (rule) => ruleOffer(rule),
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: null }),
  dateRange: (rule) => ({ startsAt: rule.startsAt, endsAt: rule.endsAt }),
  // A campaign from a preset is named after its holiday.
  formTexts: (values): Record<string, string> => (values.presetId ? { name: `preset.${values.presetId}` } : {}),
  formDefaults(today, { presetId }) {
    const preset = HOLIDAY_PRESETS.find((p) => p.id === presetId);
    if (!preset) return { ...percentOff(10), startsAt: today, endsAt: addDays(today, 7), "audience.type": "everyoneWithConsent" };
    const dates = presetCampaignDates(preset.id, today);
    return { ...percentOff(10), presetId: preset.id, ...dates, "audience.type": "everyoneWithConsent" };
  },
});
