/**
 * The pieces every reward kind's rule schema is built from: numbers posted as strings, money,
 * percentages, the reward and budget shapes, the guardrails every rule has. Each kind's module
 * (`kinds/*.ts`) composes its schema from these; `rule-schema.ts` validates any kind through them.
 */
import { z } from "zod";
import { isLocalDate } from "./local-date";

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
  return z.number({ required_error: requiredMessage, invalid_type_error: "Enter a number." }).finite("Enter a number.");
}

export function wholeDays(label: string, min: number, max: number) {
  return number(`Enter the ${label} in days.`)
    .int(`Enter the ${label} as a whole number of days.`)
    .min(min, `The ${label} can't be less than ${min} days.`)
    .max(max, `The ${label} can't be more than ${max} days.`);
}

export const money = (label: string) =>
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

export const localDate = (requiredMessage: string) =>
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

export const guardrails = {
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

export const minimumSubtotal = numeric(money("minimum subtotal")).nullable().optional();

/** A cross-field error: the field's dotted path and the message shown next to it. */
export type AddError = (path: string, message: string) => void;
