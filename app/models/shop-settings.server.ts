/**
 * Shop.settings, a JSON text column (decision 014): the one module that reads and writes it. Every key
 * is declared here with its bounds and default; nothing else parses the column.
 *   scoring.lifespanYears, scoring.lifecycle.*   Settings page → the recompute job
 *   consent.promotionalRequiresMarketingConsent  Settings page → the consent policy for promotional rewards
 *   consent.kindPurposes.<rule kind>             per rule kind: "promotional" (needs consent) or "service"
 *                                                (tier reached, feedback thanks); read by the daily decision
 *   feedback.lowScoreThreshold, feedback.firstResponseTargetHours   the feedback follow-up queue
 *   feedback.askAfterDays                        "ask after delivery" for untracked fulfilments (scheduler)
 *   rewards.averageShippingCost                  budget estimates for free shipping (else a tenth of AOV)
 *   segments.<segment key>                       Kinship's segments in Shopify: id, name and query last sent (decision 025)
 *   issuance.customerCaps.{perDay,per30Days}     codes one customer may get across all rules (the scheduler)
 *   issuance.pausedAt                            Pause all: while set, the scheduler issues nothing for the shop
 *   birthdays.minNoticeDays, birthdays.sendHour  the birthday anti-gaming rule and send hour (issuance, scheduler)
 * Reading is lenient: a missing or out-of-range value falls back to its default, key by key, so one bad
 * key never stops a page or a job. Writing validates and keeps every key it does not change.
 *
 * Forms arrive as strings; each form has a zod schema whose issues become per-field messages
 * (see app/i18n/form-errors.ts). Nothing invalid is ever written.
 */
import { z } from "zod";
import db from "../db.server";
import { isUniqueViolation } from "./sql/transient-errors.server";
import { DEFAULT_LIFECYCLE_SETTINGS, type LifecycleSettings } from "../retention/segments/lifecycle";
import { SEGMENT_KEY_PATTERN, type StoredSegment } from "../retention/segments/kinship-segments";
import { MAX_LIFESPAN_YEARS, MIN_LIFESPAN_YEARS } from "../retention/clv/historic";
import { DEFAULT_SCORING_SETTINGS, type ScoringSettings } from "../retention/score";
import { DEFAULT_LOW_SCORE_THRESHOLD } from "../retention/feedback/reasons";
import { DEFAULT_FIRST_RESPONSE_TARGET_MS, HOUR_MS } from "../retention/feedback/follow-up";
import { ASK_AFTER_DAYS_BOUNDS, DEFAULT_ASK_AFTER_DAYS } from "../retention/feedback/ask-after-delivery";
import { CUSTOMER_CAP_BOUNDS, DEFAULT_CUSTOMER_CAPS, type CustomerCaps } from "../retention/rewards/customer-caps";
import { REWARD_KINDS, RULE_KINDS, type RewardPurpose, type RuleKind } from "../retention/rewards";

export interface ConsentPolicy {
  /** Promotional rewards (and their reminders) only reach customers with marketing consent. */
  promotionalRequiresMarketingConsent: boolean;
  /** What each rule kind's rewards are, as the merchant sees them. */
  kindPurposes: Record<RuleKind, RewardPurpose>;
}

export const DEFAULT_KIND_PURPOSES = Object.fromEntries(
  RULE_KINDS.map((k) => [k, REWARD_KINDS[k].channel === "promotional" ? "promotional" : "service"]),
) as Record<RuleKind, RewardPurpose>;

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = { promotionalRequiresMarketingConsent: true, kindPurposes: DEFAULT_KIND_PURPOSES };

/** The rule kinds whose rewards need marketing consent under this policy (what the daily decision reads). */
export function kindsNeedingConsent(policy: ConsentPolicy): RuleKind[] {
  if (!policy.promotionalRequiresMarketingConsent) return [];
  return RULE_KINDS.filter((k) => policy.kindPurposes[k] === "promotional");
}

export interface BirthdaySettings {
  /** A birthday set or changed fewer days than this before it falls earns no code that year (0: off). */
  minNoticeDays: number;
  /** Shop-local hour (0–23) from which the day's birthday codes and reminders go out. */
  sendHour: number;
}

export const BIRTHDAY_BOUNDS = { minNoticeDays: { min: 0, max: 365 }, sendHour: { min: 0, max: 23 } } as const;
export const DEFAULT_BIRTHDAY_SETTINGS: BirthdaySettings = { minNoticeDays: 30, sendHour: 9 };

export interface FeedbackSettings {
  /** Scores at or below this are "low" and enter the follow-up queue. */
  lowScoreThreshold: number;
  firstResponseTargetMs: number;
  /** Fulfilments without tracking: the customer is asked this many shop-local days after fulfilment. */
  askAfterDays: number;
}

export interface ShopSettings {
  /** null: derived from the shop's own data by the scoring job. */
  lifespanYears: number | null;
  lifecycle: LifecycleSettings;
  consent: ConsentPolicy;
  feedback: FeedbackSettings;
  /** null: estimated from the average order value. */
  averageShippingCost: number | null;
  /** Kinship's segments in Shopify by segment key (kinship-segments.ts); empty until the merchant creates them. */
  segments: Record<string, StoredSegment>;
  /** Codes one customer may get across all rules, per day and per 30 days. */
  customerCaps: CustomerCaps;
  /** Pause all: while set, the scheduler issues nothing for the shop. */
  pausedAt: Date | null;
  birthdays: BirthdaySettings;
}

/** The parts a caller may change; each replaces the stored part (lifecycle and consent merge key by key). */
export type ShopSettingsPatch = Partial<Omit<ShopSettings, "lifecycle" | "consent" | "birthdays" | "feedback">> & {
  feedback?: Omit<FeedbackSettings, "askAfterDays"> & { askAfterDays?: number };
  lifecycle?: Partial<LifecycleSettings>;
  birthdays?: Partial<BirthdaySettings>;
  consent?: Partial<Omit<ConsentPolicy, "kindPurposes">> & { kindPurposes?: Partial<Record<RuleKind, RewardPurpose>> };
};

type Json = Record<string, unknown>;

function parseJsonObject(text: string | null | undefined): Json {
  try {
    return object(JSON.parse(text || "{}"));
  } catch {
    return {};
  }
}

const object = (value: unknown): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {});

// Bounds: generous enough for any real shop, tight enough that a typo cannot make every customer Lapsed.
export const LIFECYCLE_BOUNDS = {
  pAliveThresholdPercent: { min: 1, max: 95 },
  intervalMultiple: { min: 1, max: 10 },
  defaultIntervalDays: { min: 7, max: 730 },
  regularMinOrders: { min: 2, max: 100 },
  regularMinFrequencyScore: { min: 1, max: 5 },
} as const;

const MAX_FIRST_RESPONSE_TARGET_HOURS = 24 * 30;
/** The Settings form's bounds for the follow-up queue (the threshold's 0..9 keeps both survey branches reachable). */
export const FEEDBACK_BOUNDS = {
  lowScoreThreshold: { min: 0, max: 9 },
  firstResponseTargetHours: { min: 1, max: MAX_FIRST_RESPONSE_TARGET_HOURS },
  askAfterDays: ASK_AFTER_DAYS_BOUNDS,
} as const;

// What is stored, key by key (the JSON's own layout: scoring.*, consent.*, feedback.*, rewards.*, segments.*).
const stored = {
  lifecycle: z.object({
    pAliveThreshold: z
      .number()
      .min(LIFECYCLE_BOUNDS.pAliveThresholdPercent.min / 100)
      .max(LIFECYCLE_BOUNDS.pAliveThresholdPercent.max / 100),
    intervalMultiple: z.number().min(LIFECYCLE_BOUNDS.intervalMultiple.min).max(LIFECYCLE_BOUNDS.intervalMultiple.max),
    defaultIntervalDays: z.number().int().min(LIFECYCLE_BOUNDS.defaultIntervalDays.min).max(LIFECYCLE_BOUNDS.defaultIntervalDays.max),
    regularMinOrders: z.number().int().min(LIFECYCLE_BOUNDS.regularMinOrders.min).max(LIFECYCLE_BOUNDS.regularMinOrders.max),
    regularMinFrequencyScore: z.number().int().min(1).max(5),
  }),
  lifespanYears: z.number().min(MIN_LIFESPAN_YEARS).max(MAX_LIFESPAN_YEARS),
  promotionalRequiresMarketingConsent: z.boolean(),
  purpose: z.enum(["promotional", "service"]),
  lowScoreThreshold: z.number().int().min(0).max(9),
  firstResponseTargetHours: z.number().finite().gt(0).max(MAX_FIRST_RESPONSE_TARGET_HOURS),
  askAfterDays: z.number().int().min(ASK_AFTER_DAYS_BOUNDS.min).max(ASK_AFTER_DAYS_BOUNDS.max),
  averageShippingCost: z.number().finite().min(0),
  segment: z.object({ id: z.string().min(1).max(200), name: z.string().max(255), query: z.string().max(5000) }),
  segmentKey: z.string().regex(SEGMENT_KEY_PATTERN),
  customerCaps: z
    .object({
      perDay: z.number().int().min(CUSTOMER_CAP_BOUNDS.perDay.min).max(CUSTOMER_CAP_BOUNDS.perDay.max),
      per30Days: z.number().int().min(CUSTOMER_CAP_BOUNDS.per30Days.min).max(CUSTOMER_CAP_BOUNDS.per30Days.max),
    })
    .refine((c) => c.per30Days >= c.perDay),
  pausedAt: z
    .string()
    .datetime()
    .transform((text) => new Date(text)),
  birthdays: z.object({
    minNoticeDays: z.number().int().min(BIRTHDAY_BOUNDS.minNoticeDays.min).max(BIRTHDAY_BOUNDS.minNoticeDays.max),
    sendHour: z.number().int().min(BIRTHDAY_BOUNDS.sendHour.min).max(BIRTHDAY_BOUNDS.sendHour.max),
  }),
};

function valueOr<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

/** The stored JSON as typed settings, every missing or invalid key at its default. */
export function readShopSettings(settingsJson: string | null | undefined): ShopSettings {
  const root = parseJsonObject(settingsJson);
  const scoring = object(root.scoring);
  const storedLifecycle = object(scoring.lifecycle);
  const lifecycle = { ...DEFAULT_LIFECYCLE_SETTINGS };
  for (const key of Object.keys(stored.lifecycle.shape) as (keyof LifecycleSettings)[]) {
    (lifecycle as Record<string, number>)[key] = valueOr(stored.lifecycle.shape[key], storedLifecycle[key], lifecycle[key]);
  }
  const feedback = object(root.feedback);
  const targetHours = valueOr(stored.firstResponseTargetHours, feedback.firstResponseTargetHours, null);
  const storedSegments = object(root.segments);
  // Only keys of the segment-key pattern are read, so no stored key can become an object path.
  const segments: ShopSettings["segments"] = Object.fromEntries(
    Object.entries(storedSegments).flatMap(([key, value]) => {
      const segment = SEGMENT_KEY_PATTERN.test(key) ? valueOr(stored.segment, value, null) : null;
      return segment ? [[key, segment]] : [];
    }),
  );
  return {
    lifespanYears: valueOr(stored.lifespanYears, scoring.lifespanYears, null),
    lifecycle,
    consent: readConsent(object(root.consent)),
    feedback: {
      lowScoreThreshold: valueOr(stored.lowScoreThreshold, feedback.lowScoreThreshold, DEFAULT_LOW_SCORE_THRESHOLD),
      firstResponseTargetMs: targetHours === null ? DEFAULT_FIRST_RESPONSE_TARGET_MS : targetHours * HOUR_MS,
      askAfterDays: valueOr(stored.askAfterDays, feedback.askAfterDays, DEFAULT_ASK_AFTER_DAYS),
    },
    averageShippingCost: valueOr(stored.averageShippingCost, object(root.rewards).averageShippingCost, null),
    segments,
    customerCaps: valueOr(stored.customerCaps, object(root.issuance).customerCaps, { ...DEFAULT_CUSTOMER_CAPS }),
    pausedAt: valueOr(stored.pausedAt, object(root.issuance).pausedAt, null),
    birthdays: {
      minNoticeDays: valueOr(
        stored.birthdays.shape.minNoticeDays,
        object(root.birthdays).minNoticeDays,
        DEFAULT_BIRTHDAY_SETTINGS.minNoticeDays,
      ),
      sendHour: valueOr(stored.birthdays.shape.sendHour, object(root.birthdays).sendHour, DEFAULT_BIRTHDAY_SETTINGS.sendHour),
    },
  };
}

function readConsent(consent: Json): ConsentPolicy {
  const purposes = object(consent.kindPurposes);
  const kindPurposes = { ...DEFAULT_KIND_PURPOSES };
  for (const kind of RULE_KINDS) kindPurposes[kind] = valueOr(stored.purpose, purposes[kind], kindPurposes[kind]);
  return {
    promotionalRequiresMarketingConsent: valueOr(
      stored.promotionalRequiresMarketingConsent,
      consent.promotionalRequiresMarketingConsent,
      DEFAULT_CONSENT_POLICY.promotionalRequiresMarketingConsent,
    ),
    kindPurposes,
  };
}

/** What the scoring core runs with: the shop's choices over the core's defaults. */
export function scoringSettings(settings: ShopSettings): ScoringSettings {
  return { ...DEFAULT_SCORING_SETTINGS, lifespanYears: settings.lifespanYears, lifecycle: settings.lifecycle };
}

export async function getShopSettings(shop: string): Promise<ShopSettings> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true } });
  return readShopSettings(row?.settings);
}

/** The stored JSON with `patch` applied; keys this module does not know (older versions) are kept as they were. */
function applyPatch(root: Json, patch: ShopSettingsPatch): Json {
  const next: Json = { ...root };
  const part = (key: string, change: (current: Json) => Json) => {
    // Several parts may live under one key (issuance.*): each change starts from the previous one's result.
    next[key] = change(object(next[key]));
  };
  if (patch.lifecycle)
    part("scoring", (scoring) => ({
      ...scoring,
      lifecycle: { ...object(scoring.lifecycle), ...stored.lifecycle.partial().parse(patch.lifecycle) },
    }));
  if (patch.lifespanYears !== undefined) {
    const years = patch.lifespanYears === null ? undefined : stored.lifespanYears.parse(patch.lifespanYears);
    part("scoring", (scoring) => ({ ...scoring, lifespanYears: years }));
  }
  if (patch.consent) {
    const { kindPurposes, ...rest } = patch.consent;
    part("consent", (consent) => ({
      ...consent,
      ...rest,
      // Only the registry's kinds become keys, whatever the caller passed.
      ...(kindPurposes
        ? {
            kindPurposes: {
              ...object(consent.kindPurposes),
              ...Object.fromEntries(
                RULE_KINDS.filter((k) => kindPurposes[k] !== undefined).map((k) => [k, stored.purpose.parse(kindPurposes[k])]),
              ),
            },
          }
        : {}),
    }));
  }
  if (patch.feedback) {
    const { lowScoreThreshold, firstResponseTargetMs, askAfterDays } = patch.feedback;
    part("feedback", (feedback) => ({
      ...feedback,
      lowScoreThreshold: stored.lowScoreThreshold.parse(lowScoreThreshold),
      firstResponseTargetHours: stored.firstResponseTargetHours.parse(firstResponseTargetMs / HOUR_MS),
      ...(askAfterDays === undefined ? {} : { askAfterDays: stored.askAfterDays.parse(askAfterDays) }),
    }));
  }
  if (patch.averageShippingCost !== undefined) {
    const cost = patch.averageShippingCost === null ? undefined : stored.averageShippingCost.parse(patch.averageShippingCost);
    part("rewards", (rewards) => ({ ...rewards, averageShippingCost: cost }));
  }
  if (patch.segments) next.segments = z.record(stored.segmentKey, stored.segment).parse(patch.segments);
  if (patch.customerCaps) part("issuance", (issuance) => ({ ...issuance, customerCaps: stored.customerCaps.parse(patch.customerCaps) }));
  if (patch.pausedAt !== undefined) {
    const pausedAt = patch.pausedAt?.toISOString();
    part("issuance", (issuance) => ({ ...issuance, pausedAt }));
  }
  if (patch.birthdays) part("birthdays", (birthdays) => ({ ...birthdays, ...stored.birthdays.partial().parse(patch.birthdays) }));
  return next;
}

/**
 * Writes the given parts, keeping every other stored key; throws (nothing written) on an invalid value.
 * The write lands only on the settings it read (compare and swap), and reads again when another save came
 * between: two saves of different parts (Pause all during a settings save) both keep their part. A read and
 * a write in one transaction did not do that on PostgreSQL, whose default isolation lets both read the old
 * settings and the second write drop the first's part.
 */
export async function saveShopSettings(shop: string, patch: ShopSettingsPatch): Promise<ShopSettings> {
  for (let attempt = 1; ; attempt += 1) {
    const row = await db.shop.findUnique({ where: { shop }, select: { settings: true } });
    const settings = JSON.stringify(applyPatch(parseJsonObject(row?.settings), patch));
    const written = row
      ? (await db.shop.updateMany({ where: { shop, settings: row.settings }, data: { settings } })).count === 1
      : await db.shop.create({ data: { shop, settings } }).then(
          () => true,
          (error: unknown) => {
            if (isUniqueViolation(error)) return false;
            throw error;
          },
        );
    if (written) return readShopSettings(settings);
    // Each lost race means another save landed; a save that keeps losing is a fault, not contention.
    if (attempt >= SAVE_ATTEMPTS) throw new Error(`Settings of ${shop} changed under ${SAVE_ATTEMPTS} saves in a row`);
  }
}

const SAVE_ATTEMPTS = 50;

/** What a shop starts with, and returns to when its data is reset. */
export const EMPTY_SHOP_SETTINGS = "{}";

// ---------------------------------------------------------------------------------------------------------
// Pause all (issue #23): written by its own button, not by the settings form.

export interface IssuancePause {
  paused: boolean;
  pausedAt: Date | null;
}

const pauseOf = (settings: ShopSettings): IssuancePause => ({ paused: settings.pausedAt !== null, pausedAt: settings.pausedAt });

export async function getIssuancePause(shop: string): Promise<IssuancePause> {
  return pauseOf(await getShopSettings(shop));
}

/** Pauses (keeping the first pause's time) or resumes the shop's issuance. */
export async function setIssuancePaused(shop: string, paused: boolean, now = new Date()): Promise<IssuancePause> {
  const current = await getShopSettings(shop);
  return pauseOf(await saveShopSettings(shop, { pausedAt: paused ? (current.pausedAt ?? now) : null }));
}

// ---------------------------------------------------------------------------------------------------------
// Forms

/** Form numbers: blank is "missing", a comma decimal separator is accepted (uk/ru/hr keyboards). */
const formNumber = z.preprocess(
  (value) => {
    if (typeof value !== "string") return value;
    const text = value.trim().replace(",", ".");
    if (text === "") return undefined;
    return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  },
  z.number({ required_error: "required", invalid_type_error: "number" }),
);

const bounded = (b: { min: number; max: number }, integer = false) =>
  formNumber.pipe(integer ? z.number().int().min(b.min).max(b.max) : z.number().min(b.min).max(b.max));

export const lifecycleFormSchema = z.object({
  pAliveThreshold: bounded(LIFECYCLE_BOUNDS.pAliveThresholdPercent),
  intervalMultiple: bounded(LIFECYCLE_BOUNDS.intervalMultiple),
  defaultIntervalDays: bounded(LIFECYCLE_BOUNDS.defaultIntervalDays, true),
  regularMinOrders: bounded(LIFECYCLE_BOUNDS.regularMinOrders, true),
  regularMinFrequencyScore: bounded(LIFECYCLE_BOUNDS.regularMinFrequencyScore, true),
});

export type LifecycleFormField = keyof z.infer<typeof lifecycleFormSchema>;

/** The form shows P(alive) in percent; storage keeps the fraction the scoring core uses. */
export function lifecycleFromForm(values: z.infer<typeof lifecycleFormSchema>): LifecycleSettings {
  return {
    pAliveThreshold: Math.round(values.pAliveThreshold * 100) / 10_000,
    intervalMultiple: values.intervalMultiple,
    defaultIntervalDays: values.defaultIntervalDays,
    regularMinOrders: values.regularMinOrders,
    regularMinFrequencyScore: values.regularMinFrequencyScore as LifecycleSettings["regularMinFrequencyScore"],
  };
}

export function lifecycleToForm(settings: LifecycleSettings): Record<LifecycleFormField, string> {
  return {
    pAliveThreshold: String(Math.round(settings.pAliveThreshold * 10_000) / 100),
    intervalMultiple: String(settings.intervalMultiple),
    defaultIntervalDays: String(settings.defaultIntervalDays),
    regularMinOrders: String(settings.regularMinOrders),
    regularMinFrequencyScore: String(settings.regularMinFrequencyScore),
  };
}

export const lifespanFormSchema = z.discriminatedUnion("lifespanMode", [
  z.object({ lifespanMode: z.literal("auto") }),
  z.object({ lifespanMode: z.literal("fixed"), lifespanYears: bounded({ min: MIN_LIFESPAN_YEARS, max: MAX_LIFESPAN_YEARS }) }),
]);

export const consentFormSchema = z.object({
  promotionalRequiresMarketingConsent: z.enum(["on", "off"]),
});

export const customerCapsFormSchema = z
  .object({
    perDay: bounded(CUSTOMER_CAP_BOUNDS.perDay, true),
    per30Days: bounded(CUSTOMER_CAP_BOUNDS.per30Days, true),
  })
  .refine((c) => c.per30Days >= c.perDay, { path: ["per30Days"], message: "capsOrder" });

/** One purpose per rule kind; the keys are the registry's kinds only (no outside key becomes a path). */
export const kindPurposesFormSchema = z.object(
  Object.fromEntries(RULE_KINDS.map((k) => [k, stored.purpose])) as Record<RuleKind, typeof stored.purpose>,
);

/** The low-score threshold (the survey asks why at or below it, the queue takes the same scores) and the first-response target. */
export const feedbackFormSchema = z.object({
  lowScoreThreshold: bounded(FEEDBACK_BOUNDS.lowScoreThreshold, true),
  firstResponseTargetHours: bounded(FEEDBACK_BOUNDS.firstResponseTargetHours),
  askAfterDays: bounded(FEEDBACK_BOUNDS.askAfterDays, true),
});

export function feedbackFromForm(values: z.infer<typeof feedbackFormSchema>): FeedbackSettings {
  return {
    lowScoreThreshold: values.lowScoreThreshold,
    firstResponseTargetMs: values.firstResponseTargetHours * HOUR_MS,
    askAfterDays: values.askAfterDays,
  };
}

export function feedbackToForm(settings: FeedbackSettings): {
  lowScoreThreshold: string;
  firstResponseTargetHours: string;
  askAfterDays: string;
} {
  return {
    lowScoreThreshold: String(settings.lowScoreThreshold),
    firstResponseTargetHours: String(Math.round((settings.firstResponseTargetMs / HOUR_MS) * 100) / 100),
    askAfterDays: String(settings.askAfterDays),
  };
}

export const birthdaysFormSchema = z.object({
  minNoticeDays: bounded(BIRTHDAY_BOUNDS.minNoticeDays, true),
  sendHour: bounded(BIRTHDAY_BOUNDS.sendHour, true),
});
