/**
 * What a merchant can configure, checked on the server. Zod checks each field's shape; cross-field
 * and context checks (dates in order, tiers that exist) run afterwards so every message can name
 * the exact field (`reward.percentage`, `endsAt`, `tiers.2.threshold`).
 */
import { z } from "zod";
import { compareLocalDates, isLocalDate } from "./local-date";

export const RULE_KINDS = ["loyaltyTiers", "birthday", "winback", "holidayCampaign", "feedbackThanks"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const TIER_METRICS = ["netSpend", "orderCount", "predictedClv"] as const;
export type TierMetric = (typeof TIER_METRICS)[number];
export const TIER_WINDOWS = ["lifetime", "rolling12m"] as const;
export type TierWindow = (typeof TIER_WINDOWS)[number];

export const DEFAULT_BIRTHDAY_REMINDERS = [-7, -3, 0] as const;
export const LAST_CHANCE_OFFSET = 2;
export const MAX_HOLDOUT_SHARE = 0.5;

// Form posts send numbers as strings; blank means "not given".
function numeric<T extends z.ZodTypeAny>(schema: T) {
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

function number(requiredMessage: string) {
  return z.number({ required_error: requiredMessage, invalid_type_error: "Enter a number." }).finite("Enter a number.");
}

function wholeDays(label: string, min: number, max: number) {
  return number(`Enter the ${label} in days.`)
    .int(`Enter the ${label} as a whole number of days.`)
    .min(min, `The ${label} can't be less than ${min} days.`)
    .max(max, `The ${label} can't be more than ${max} days.`);
}

const money = (label: string) =>
  number(`Enter the ${label}.`).superRefine((v, ctx) => {
    if (v < 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `The ${label} can't be negative.` });
  });

const percentage = number("Enter the percentage off.").superRefine((v, ctx) => {
  if (v < 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "A percentage can't be negative." });
  else if (v === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Enter a percentage above 0." });
  else if (v > 100) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "A percentage can't be more than 100." });
});

const positiveAmount = number("Enter the amount off.").superRefine((v, ctx) => {
  if (v < 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "An amount off can't be negative." });
  else if (v === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Enter an amount above 0." });
});

const localDate = (requiredMessage: string) =>
  z
    .string({ required_error: requiredMessage, invalid_type_error: requiredMessage })
    .refine((s) => s.trim() !== "", requiredMessage)
    .refine((s) => s.trim() === "" || isLocalDate(s), "Enter a date as YYYY-MM-DD.");

const name = z
  .string({ required_error: "Give the rule a name.", invalid_type_error: "Give the rule a name." })
  .trim()
  .min(1, "Give the rule a name.")
  .max(80, "Keep the name under 80 characters.");

/** percentage: 0 < x ≤ 100 (Kinship stores percent; Shopify wants a 0–1 fraction, converted at the edge). */
export const rewardSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("percentage"), percentage: numeric(percentage) }),
    z.object({ type: z.literal("fixedAmount"), amount: numeric(positiveAmount) }),
    z.object({ type: z.literal("freeShipping") }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator || issue.code === z.ZodIssueCode.invalid_type
        ? { message: "Choose a reward: percentage off, amount off or free shipping." }
        : { message: ctx.defaultError },
  },
);
export type Reward = z.infer<typeof rewardSchema>;

export const budgetSchema = z
  .object({
    maxCount: numeric(
      number("Enter how many codes a month at most.")
        .int("Enter a whole number of codes.")
        .min(1, "Allow at least 1 code a month, or remove the cap."),
    ).optional(),
    maxAmount: numeric(
      number("Enter the most the rule may cost a month.").positive("Enter an amount above 0, or remove the cap."),
    ).optional(),
  })
  .nullable()
  .optional();
export type Budget = NonNullable<z.infer<typeof budgetSchema>>;

const guardrails = {
  name,
  enabled: z.boolean({ invalid_type_error: "Choose on or off." }).default(true),
  /** Monthly cap (count and/or money); when reached the rule pauses until next month. */
  budget: budgetSchema,
  /** Share of eligible customers withheld for measurement, 0 – 0.5. */
  holdoutShare: numeric(
    number("Enter the holdout share.")
      .min(0, "The holdout share can't be negative.")
      .max(MAX_HOLDOUT_SHARE, "Hold out at most half of the customers."),
  ).default(0),
};

const minimumSubtotal = numeric(money("minimum subtotal")).nullable().optional();

const tierSchema = z.object({
  name: z
    .string({ required_error: "Name the tier.", invalid_type_error: "Name the tier." })
    .trim()
    .min(1, "Name the tier.")
    .max(40, "Keep tier names under 40 characters."),
  threshold: numeric(
    number("Enter the threshold to reach this tier.").min(0, "A threshold can't be negative."),
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
    errorMap: () => ({ message: "Choose what tiers are based on: net spend, order count or predicted CLV." }),
  }),
  /** Ignored for predictedClv, which is already a 12-month forecast. */
  window: z
    .enum(TIER_WINDOWS, { errorMap: () => ({ message: "Choose lifetime or the last 12 months." }) })
    .default("lifetime"),
  graceDays: numeric(wholeDays("grace period", 0, 730)).default(30),
  validityDays: numeric(wholeDays("validity", 1, 366)).default(30),
  /** One code per tier per customer, ever (moving down and back up again issues nothing). */
  oncePerCustomer: z.boolean().default(true),
  tiers: z
    .array(tierSchema, { required_error: "Add at least one tier.", invalid_type_error: "Add at least one tier." })
    .min(1, "Add at least one tier.")
    .max(10, "Use at most 10 tiers."),
});

export const birthdaySchema = z.object({
  kind: z.literal("birthday"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  windowDaysBefore: numeric(wholeDays("time before the birthday", 0, 31)).default(7),
  windowDaysAfter: numeric(wholeDays("time after the birthday", 0, 31)).default(3),
  /** Days relative to the birthday; defaults to −7, −3, 0 (those inside the window). */
  reminders: z
    .array(numeric(number("Enter the reminder day.").int("Reminders are on whole days.")))
    .max(6, "Use at most 6 reminders.")
    .optional(),
  /** Extra reminder at +2 days. */
  lastChance: z.boolean().default(false),
});

export const winbackSchema = z.object({
  kind: z.literal("winback"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  validityDays: numeric(wholeDays("validity", 1, 366)).default(14),
  /** No second win-back offer within this many days of the previous one, even after a new lapse. */
  cooldownDays: numeric(wholeDays("cooldown", 0, 730)).default(90),
});

export const audienceSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("segment"),
      segmentId: z.string({ required_error: "Choose a segment." }).trim().min(1, "Choose a segment."),
    }),
    z.object({
      type: z.literal("tier"),
      tier: z.string({ required_error: "Choose a tier." }).trim().min(1, "Choose a tier."),
    }),
    z.object({ type: z.literal("everyoneWithConsent") }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator || issue.code === z.ZodIssueCode.invalid_type
        ? { message: "Choose who gets it: a segment, a tier or everyone who agreed to marketing." }
        : { message: ctx.defaultError },
  },
);
export type Audience = z.infer<typeof audienceSchema>;

export const holidayCampaignSchema = z.object({
  kind: z.literal("holidayCampaign"),
  ...guardrails,
  /** Stable preset id when added from a preset (e.g. "international-womens-day"). */
  presetId: z.string().trim().min(1).nullable().optional(),
  holidayDate: localDate("Enter the holiday's date.").nullable().optional(),
  /** Shop-local calendar dates, both inclusive. */
  startsAt: localDate("Enter the start date."),
  endsAt: localDate("Campaigns need an end date."),
  audience: audienceSchema,
  reward: rewardSchema,
  minimumSubtotal,
});

export const feedbackThanksSchema = z.object({
  kind: z.literal("feedbackThanks"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  validityDays: numeric(wholeDays("validity", 1, 366)).default(30),
  /** One thank-you code per customer ever, instead of one per feedback response. */
  oncePerCustomer: z.boolean().default(true),
});

export const ruleSchemas = {
  loyaltyTiers: tierProgramSchema,
  birthday: birthdaySchema,
  winback: winbackSchema,
  holidayCampaign: holidayCampaignSchema,
  feedbackThanks: feedbackThanksSchema,
} as const;

export type TierProgramDraft = z.infer<typeof tierProgramSchema>;
export type BirthdayDraft = Omit<z.infer<typeof birthdaySchema>, "reminders"> & { reminders: number[] };
export type WinbackDraft = z.infer<typeof winbackSchema>;
export type HolidayCampaignDraft = z.infer<typeof holidayCampaignSchema>;
export type FeedbackThanksDraft = z.infer<typeof feedbackThanksSchema>;
/** A validated rule before the database gives it an id. */
export type RuleDraft = TierProgramDraft | BirthdayDraft | WinbackDraft | HolidayCampaignDraft | FeedbackThanksDraft;

type WithId<T> = T & { id: string };
export type TierProgramRule = WithId<TierProgramDraft>;
export type BirthdayRule = WithId<BirthdayDraft>;
export type WinbackRule = WithId<WinbackDraft>;
export type HolidayCampaignRule = WithId<HolidayCampaignDraft>;
export type FeedbackThanksRule = WithId<FeedbackThanksDraft>;
export type Rule = TierProgramRule | BirthdayRule | WinbackRule | HolidayCampaignRule | FeedbackThanksRule;

export interface RuleValidationContext {
  /** Tier names of the shop's loyalty program(s), for campaign audiences. */
  knownTiers: readonly string[];
  /** Segment ids the shop has; when given, campaign audiences must use one of them. */
  knownSegments?: readonly string[];
  /** Shop-local today; when given, a campaign that has already ended is rejected. */
  today?: string;
}

export type FieldErrors = Record<string, string[]>;
export type RuleValidationResult = { ok: true; rule: RuleDraft } | { ok: false; fieldErrors: FieldErrors };

/** Key used for errors about the whole input rather than one field. */
export const FORM_ERROR_KEY = "form";

// Zod applies a parse-time map *after* messages bound to fields, so only replace its generic English.
const fallbackErrors: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === z.ZodIssueCode.invalid_type && ctx.defaultError === "Required") {
    return { message: "This field is required." };
  }
  if (
    (issue.code === z.ZodIssueCode.invalid_type && /^Expected .+, received /.test(ctx.defaultError)) ||
    (issue.code === z.ZodIssueCode.invalid_literal && ctx.defaultError.startsWith("Invalid literal value"))
  ) {
    return { message: "Enter a valid value." };
  }
  return { message: ctx.defaultError };
};

function addError(errors: FieldErrors, path: string, message: string): void {
  const key = path === "" ? FORM_ERROR_KEY : path;
  const list = (errors[key] ??= []);
  if (!list.includes(message)) list.push(message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function crossFieldErrors(rule: RuleDraft, ctx: RuleValidationContext, errors: FieldErrors): void {
  switch (rule.kind) {
    case "loyaltyTiers": {
      const seen = new Set<string>();
      rule.tiers.forEach((tier, i) => {
        const key = tier.name.toLowerCase();
        if (seen.has(key)) addError(errors, `tiers.${i}.name`, `Another tier is already called “${tier.name}”.`);
        seen.add(key);
        const prev = rule.tiers[i - 1];
        if (prev && tier.threshold <= prev.threshold) {
          addError(errors, `tiers.${i}.threshold`, `Must be higher than ${prev.name}'s threshold (${prev.threshold}).`);
        }
      });
      break;
    }
    case "birthday": {
      const from = -rule.windowDaysBefore;
      const to = rule.windowDaysAfter;
      const seen = new Set<number>();
      rule.reminders.forEach((day, i) => {
        if (day < from || day > to) {
          addError(errors, `reminders.${i}`, `Day ${day} is outside the code's window (${rule.windowDaysBefore} days before to ${rule.windowDaysAfter} days after).`);
        }
        if (seen.has(day)) addError(errors, `reminders.${i}`, `There is already a reminder on day ${day}.`);
        seen.add(day);
      });
      if (rule.lastChance && LAST_CHANCE_OFFSET > to) {
        addError(errors, "lastChance", `A last-chance reminder ${LAST_CHANCE_OFFSET} days after the birthday needs the code to stay valid at least ${LAST_CHANCE_OFFSET} days after it.`);
      }
      break;
    }
    case "holidayCampaign": {
      if (compareLocalDates(rule.endsAt, rule.startsAt) < 0) {
        addError(errors, "endsAt", "The end date must be on or after the start date.");
      }
      if (ctx.today && isLocalDate(ctx.today) && compareLocalDates(rule.endsAt, ctx.today) < 0) {
        addError(errors, "endsAt", "This end date has already passed.");
      }
      if (rule.audience.type === "tier" && !ctx.knownTiers.includes(rule.audience.tier)) {
        const choices = ctx.knownTiers.length ? ` Choose one of: ${ctx.knownTiers.join(", ")}.` : " Set up loyalty tiers first.";
        addError(errors, "audience.tier", `There is no tier called “${rule.audience.tier}”.${choices}`);
      }
      if (rule.audience.type === "segment" && ctx.knownSegments && !ctx.knownSegments.includes(rule.audience.segmentId)) {
        addError(errors, "audience.segmentId", "That segment doesn't exist any more. Choose another one.");
      }
      break;
    }
    case "winback":
    case "feedbackThanks":
      break;
  }
}

function defaultReminders(windowDaysBefore: number, windowDaysAfter: number): number[] {
  return DEFAULT_BIRTHDAY_REMINDERS.filter((d) => d >= -windowDaysBefore && d <= windowDaysAfter);
}

/**
 * Validate merchant input for any rule kind. Unknown keys are dropped, except that a feedback
 * reward can never be made to depend on the score.
 */
export function validateRuleInput(raw: unknown, ctx: RuleValidationContext): RuleValidationResult {
  const errors: FieldErrors = {};
  if (!isRecord(raw)) {
    addError(errors, "", "Send the rule as a set of fields.");
    return { ok: false, fieldErrors: errors };
  }
  const kind = raw.kind;
  if (typeof kind !== "string" || !(RULE_KINDS as readonly string[]).includes(kind)) {
    addError(errors, "kind", "Choose a rule type: loyalty tiers, birthday, win-back, holiday campaign or feedback thanks.");
    return { ok: false, fieldErrors: errors };
  }
  if (kind === "feedbackThanks") {
    for (const key of Object.keys(raw)) {
      if (/score|rating|nps|csat/i.test(key)) {
        addError(errors, key, "Feedback rewards thank every response; they can't depend on the score.");
      }
    }
  }

  const parsed = ruleSchemas[kind as RuleKind].safeParse(raw, { errorMap: fallbackErrors });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) addError(errors, issue.path.join("."), issue.message);
    return { ok: false, fieldErrors: errors };
  }

  let rule: RuleDraft;
  if (parsed.data.kind === "birthday") {
    const b = parsed.data;
    rule = { ...b, reminders: b.reminders ?? defaultReminders(b.windowDaysBefore, b.windowDaysAfter) };
  } else {
    rule = parsed.data;
  }
  if (rule.budget && rule.budget.maxCount === undefined && rule.budget.maxAmount === undefined) {
    rule = { ...rule, budget: null };
  }
  crossFieldErrors(rule, ctx, errors);
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, rule };
}
