/**
 * The pieces every reward kind's rule schema is built from: numbers posted as strings, money,
 * percentages, the reward and budget shapes, the guardrails every rule has. Each kind's module
 * (`kinds/*.ts`) composes its schema from these; `rule-schema.ts` validates any kind through them.
 */
import { z } from "zod";
import { isLocalDate } from "../time";

export const TIER_METRICS = ["netSpend", "orderCount", "predictedClv"] as const;
export type TierMetric = (typeof TIER_METRICS)[number];
export const TIER_WINDOWS = ["lifetime", "rolling12m"] as const;
export type TierWindow = (typeof TIER_WINDOWS)[number];

export const MAX_HOLDOUT_SHARE = 0.5;

// Form posts send numbers as strings; blank means "not given".
export function numeric<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v === "string") {
      const t = v.trim();
      if (t === "") return undefined;
      const n = Number(t);
      return Number.isNaN(n) ? v : n;
    }
    return v === null ? undefined : v;
  }, schema);
}

export function number(requiredMessage: string) {
  return z.number({ required_error: requiredMessage, invalid_type_error: "rules.error.enterANumber" }).finite("rules.error.enterANumber");
}

/**
 * A message for the merchant, written as a catalog key (`app/i18n/catalogs/rules/*.json`) with its values:
 * the core has no words of its own; the edge translates (`ruleErrorText`).
 */
export function msg(key: string, values?: Record<string, string | number>): string {
  return values ? `${key}|${JSON.stringify(values)}` : key;
}

/** `label` is the field's name as a catalog key (`rules.label.*`). */
export function wholeDays(label: string, min: number, max: number) {
  return number(msg("rules.error.daysRequired", { label }))
    .int(msg("rules.error.daysWhole", { label }))
    .min(min, msg("rules.error.daysMin", { label, min }))
    .max(max, msg("rules.error.daysMax", { label, max }));
}

export const money = (label: string) =>
  number(msg("rules.error.moneyRequired", { label })).superRefine((v, ctx) => {
    if (v < 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg("rules.error.moneyNegative", { label }) });
  });

const percentage = number("rules.error.enterThePercentageOff").superRefine((v, ctx) => {
  if (v < 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "rules.error.aPercentageCanTBeNegative" });
  else if (v === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "rules.error.enterAPercentageAbove0" });
  else if (v > 100) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "rules.error.aPercentageCanTBeMore" });
});

const creditAmount = number("rules.error.enterTheCreditAmount").superRefine((v, ctx) => {
  if (v <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "rules.error.enterAnAmountAbove0" });
});

const positiveAmount = number("rules.error.enterTheAmountOff").superRefine((v, ctx) => {
  if (v < 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "rules.error.anAmountOffCanTBe" });
  else if (v === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "rules.error.enterAnAmountAbove0" });
});

export const localDate = (requiredMessage: string) =>
  z
    .string({ required_error: requiredMessage, invalid_type_error: requiredMessage })
    .refine((s) => s.trim() !== "", requiredMessage)
    .refine((s) => s.trim() === "" || isLocalDate(s), "rules.error.enterADateAsYyyyMm");

const name = z
  .string({ required_error: "rules.error.giveTheRuleAName", invalid_type_error: "rules.error.giveTheRuleAName" })
  .trim()
  .min(1, "rules.error.giveTheRuleAName")
  .max(80, "rules.error.keepTheNameUnder80Characters");

/**
 * percentage: 0 < x ≤ 100 (Kinship stores percent; Shopify wants a 0–1 fraction, converted at the edge).
 * storeCredit: an amount in the shop's currency added to the customer's Shopify store credit, which
 * Shopify announces itself and which stacks with any discount at checkout (no code).
 */
export const rewardSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("percentage"), percentage: numeric(percentage) }),
    z.object({ type: z.literal("fixedAmount"), amount: numeric(positiveAmount) }),
    z.object({ type: z.literal("freeShipping") }),
    z.object({ type: z.literal("storeCredit"), amount: numeric(creditAmount) }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator || issue.code === z.ZodIssueCode.invalid_type
        ? { message: "rules.error.chooseARewardPercentageOffAmount" }
        : { message: ctx.defaultError },
  },
);
export type Reward = z.infer<typeof rewardSchema>;

export const budgetSchema = z
  .object({
    maxCount: numeric(
      number("rules.error.enterHowManyCodesAMonth").int("rules.error.enterAWholeNumberOfCodes").min(1, "rules.error.allowAtLeast1CodeA"),
    ).optional(),
    maxAmount: numeric(number("rules.error.enterTheMostTheRuleMay").positive("rules.error.enterAnAmountAbove0Or")).optional(),
  })
  .nullable()
  .optional();
export type Budget = NonNullable<z.infer<typeof budgetSchema>>;

/**
 * Which of a shop's other discount classes a rule's codes may be used with at checkout (Shopify's
 * `combinesWith`). Absent: the kind's own default (`RewardKind.combinesWith`).
 */
export const combinesWithSchema = z.object({
  orderDiscounts: z.boolean({ invalid_type_error: "rules.error.chooseOnOrOff", required_error: "rules.error.chooseOnOrOff" }),
  productDiscounts: z.boolean({ invalid_type_error: "rules.error.chooseOnOrOff", required_error: "rules.error.chooseOnOrOff" }),
  shippingDiscounts: z.boolean({ invalid_type_error: "rules.error.chooseOnOrOff", required_error: "rules.error.chooseOnOrOff" }),
});
export type CombinesWith = z.infer<typeof combinesWithSchema>;

/** Offer B of an A/B test takes between 5% and 90% of the eligible customers; A keeps at least 5%. */
export const OFFER_B_SHARE = { min: 0.05, max: 0.9 } as const;
export const MIN_OFFER_A_SHARE = 0.05;

/**
 * A/B between two offers in one rule: `share` of the eligible customers get `reward` (offer B), the
 * held-out share gets nothing, the rest get the rule's own reward (offer A). Minimum subtotal and
 * dates are the rule's.
 */
export const offerBSchema = z
  .object({
    reward: rewardSchema,
    share: numeric(
      number("rules.error.enterTheOfferBShare")
        .min(OFFER_B_SHARE.min, msg("rules.error.offerBShareRange", { min: OFFER_B_SHARE.min * 100, max: OFFER_B_SHARE.max * 100 }))
        .max(OFFER_B_SHARE.max, msg("rules.error.offerBShareRange", { min: OFFER_B_SHARE.min * 100, max: OFFER_B_SHARE.max * 100 })),
    ),
  })
  .nullable()
  .optional();
export type OfferB = NonNullable<z.infer<typeof offerBSchema>>;

export const guardrails = {
  name,
  enabled: z.boolean({ invalid_type_error: "rules.error.chooseOnOrOff" }).default(true),
  /** Monthly cap (count and/or money); when reached the rule pauses until next month. */
  budget: budgetSchema,
  combinesWith: combinesWithSchema.optional(),
  /** Share of eligible customers withheld for measurement, 0 – 0.5. */
  holdoutShare: numeric(
    number("rules.error.enterTheHoldoutShare")
      .min(0, "rules.error.theHoldoutShareCanTBe")
      .max(MAX_HOLDOUT_SHARE, "rules.error.holdOutAtMostHalfOf"),
  ).default(0),
  offerB: offerBSchema,
};

export const minimumSubtotal = numeric(money("rules.label.minimumSubtotal")).nullable().optional();

/** A cross-field error: the field's dotted path and the message shown next to it. */
export type AddError = (path: string, message: string) => void;

/** Who a campaign reaches: one Shopify segment, one loyalty tier, or everyone with marketing consent. */
export const audienceSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("segment"),
      segmentId: z
        .string({ required_error: "rules.kind.holidayCampaign.error.chooseASegment" })
        .trim()
        .min(1, "rules.kind.holidayCampaign.error.chooseASegment"),
    }),
    z.object({
      type: z.literal("tier"),
      tier: z
        .string({ required_error: "rules.kind.holidayCampaign.error.chooseATier" })
        .trim()
        .min(1, "rules.kind.holidayCampaign.error.chooseATier"),
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
