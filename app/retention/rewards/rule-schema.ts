/**
 * What a merchant can configure, checked on the server. Each kind's zod schema (in `kinds/`) checks
 * its fields' shapes; the kind's cross-field and context checks (dates in order, tiers that exist)
 * run afterwards so every message can name the exact field (`reward.percentage`, `endsAt`,
 * `tiers.2.threshold`).
 */
import { z } from "zod";
import { isRuleKind, REWARD_KINDS, rewardKind, type RuleDraft, type RuleKind, type RuleValidationContext } from "./kinds";
import { MIN_OFFER_A_SHARE, msg } from "./rule-fields";

export { LAST_CHANCE_OFFSET } from "./birthdays";
export {
  MAX_HOLDOUT_SHARE,
  MIN_OFFER_A_SHARE,
  OFFER_B_SHARE,
  TIER_METRICS,
  TIER_WINDOWS,
  budgetSchema,
  combinesWithSchema,
  rewardSchema,
  type Budget,
  type CombinesWith,
  type OfferB,
  type Reward,
  type TierMetric,
  type TierWindow,
} from "./rule-fields";
export * from "./kinds";

/** Every kind's schema, by kind. */
export const ruleSchemas = Object.fromEntries(Object.entries(REWARD_KINDS).map(([k, m]) => [k, m.schema])) as {
  [K in RuleKind]: (typeof REWARD_KINDS)[K]["schema"];
};

type WithId<T> = T & { id: string };
/** A stored rule (a validated draft with its id). */
export type Rule = RuleDraft extends infer D ? (D extends RuleDraft ? WithId<D> : never) : never;
export type RuleOf<K extends RuleKind> = Extract<Rule, { kind: K }>;
export type TierProgramRule = RuleOf<"loyaltyTiers">;
export type BirthdayRule = RuleOf<"birthday">;
export type WinbackRule = RuleOf<"winback">;
export type HolidayCampaignRule = RuleOf<"holidayCampaign">;
export type FeedbackThanksRule = RuleOf<"feedbackThanks">;

export type FieldErrors = Record<string, string[]>;
export type RuleValidationResult = { ok: true; rule: RuleDraft } | { ok: false; fieldErrors: FieldErrors };

/** Key used for errors about the whole input rather than one field. */
export const FORM_ERROR_KEY = "form";

// Zod applies a parse-time map *after* messages bound to fields, so only replace its generic English.
const fallbackErrors: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === z.ZodIssueCode.invalid_type && ctx.defaultError === "Required") {
    return { message: "rules.error.thisFieldIsRequired" };
  }
  if (
    (issue.code === z.ZodIssueCode.invalid_type && /^Expected .+, received /.test(ctx.defaultError)) ||
    (issue.code === z.ZodIssueCode.invalid_literal && ctx.defaultError.startsWith("Invalid literal value"))
  ) {
    return { message: "rules.error.enterAValidValue" };
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

/**
 * Validate merchant input for any rule kind. Unknown keys are dropped; a kind may refuse some keys
 * outright (a feedback reward can never be made to depend on the score).
 */
export function validateRuleInput(raw: unknown, ctx: RuleValidationContext): RuleValidationResult {
  const errors: FieldErrors = {};
  const add = (path: string, message: string) => addError(errors, path, message);
  if (!isRecord(raw)) {
    add("", "rules.error.sendTheRuleAsASet");
    return { ok: false, fieldErrors: errors };
  }
  if (!isRuleKind(raw.kind)) {
    add("kind", "rules.error.chooseARuleTypeLoyaltyTiers");
    return { ok: false, fieldErrors: errors };
  }
  const kind = rewardKind(raw.kind);
  kind.checkRaw?.(raw, add);

  const parsed = kind.schema.safeParse(raw, { errorMap: fallbackErrors });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(issue.path.join("."), issue.message);
    return { ok: false, fieldErrors: errors };
  }

  let rule = (kind.finish ? kind.finish(parsed.data) : parsed.data) as RuleDraft;
  if (rule.budget && rule.budget.maxCount === undefined && rule.budget.maxAmount === undefined) {
    rule = { ...rule, budget: null };
  }
  kind.check?.(rule, ctx, add);
  checkOfferB(rule, kind.tierNames !== undefined, add);
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, rule };
}

/** An A/B test needs one reward to compare (not a tier programme) and leaves offer A some customers. */
function checkOfferB(rule: RuleDraft, rewardPerTier: boolean, add: (path: string, message: string) => void): void {
  if (!rule.offerB) return;
  if (rewardPerTier) {
    add("offerB", "rules.error.offerBNeedsOneReward");
    return;
  }
  const room = 1 - MIN_OFFER_A_SHARE - rule.holdoutShare;
  if (rule.offerB.share > room + 1e-9) add("offerB.share", msg("rules.error.offerBLeavesNoA", { max: Math.round(room * 100) }));
}
