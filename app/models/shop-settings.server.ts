/**
 * The merchant-editable part of Shop.settings (a JSON text column shared by several features):
 *   scoring.lifespanYears, scoring.lifecycle.*   read by the recompute job (app/jobs/recompute.server.ts)
 *   consent.promotionalRequiresMarketingConsent  the consent policy for promotional reminders
 *   birthdays.minNoticeDays, birthdays.sendHour  the birthday anti-gaming rule and send hour (issuance, scheduler)
 * Other keys (rewards, segments, …) belong to other features: every write keeps them untouched.
 *
 * Forms arrive as strings; each form has a zod schema whose issues become per-field messages
 * (see app/i18n/form-errors.ts). Nothing invalid is ever written.
 */
import { z } from "zod";
import db from "../db.server";
import { DEFAULT_LIFECYCLE_SETTINGS, type LifecycleSettings } from "../retention/segments/lifecycle";
import { MAX_LIFESPAN_YEARS, MIN_LIFESPAN_YEARS } from "../retention/clv/historic";

export interface ConsentPolicy {
  /** Promotional reminders (birthday, win-back, campaigns) only reach customers with marketing consent. */
  promotionalRequiresMarketingConsent: boolean;
}

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = { promotionalRequiresMarketingConsent: true };

export interface BirthdaySettings {
  /** A birthday set or changed fewer days than this before it falls earns no code that year (0: off). */
  minNoticeDays: number;
  /** Shop-local hour (0–23) from which the day's birthday codes and reminders go out. */
  sendHour: number;
}

export const BIRTHDAY_BOUNDS = { minNoticeDays: { min: 0, max: 365 }, sendHour: { min: 0, max: 23 } } as const;
export const DEFAULT_BIRTHDAY_SETTINGS: BirthdaySettings = { minNoticeDays: 30, sendHour: 9 };

const birthdaysStored = z.object({
  minNoticeDays: z.number().int().min(BIRTHDAY_BOUNDS.minNoticeDays.min).max(BIRTHDAY_BOUNDS.minNoticeDays.max),
  sendHour: z.number().int().min(BIRTHDAY_BOUNDS.sendHour.min).max(BIRTHDAY_BOUNDS.sendHour.max),
});

export interface EditableSettings {
  /** null: derived from the shop's own data by the scoring job. */
  lifespanYears: number | null;
  lifecycle: LifecycleSettings;
  consent: ConsentPolicy;
  birthdays: BirthdaySettings;
}

type Json = Record<string, unknown>;

function parseJsonObject(text: string | null | undefined): Json {
  try {
    const value = JSON.parse(text || "{}") as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
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

const lifecycleStored = z.object({
  pAliveThreshold: z.number().min(LIFECYCLE_BOUNDS.pAliveThresholdPercent.min / 100).max(LIFECYCLE_BOUNDS.pAliveThresholdPercent.max / 100),
  intervalMultiple: z.number().min(LIFECYCLE_BOUNDS.intervalMultiple.min).max(LIFECYCLE_BOUNDS.intervalMultiple.max),
  defaultIntervalDays: z.number().int().min(LIFECYCLE_BOUNDS.defaultIntervalDays.min).max(LIFECYCLE_BOUNDS.defaultIntervalDays.max),
  regularMinOrders: z.number().int().min(LIFECYCLE_BOUNDS.regularMinOrders.min).max(LIFECYCLE_BOUNDS.regularMinOrders.max),
  regularMinFrequencyScore: z.number().int().min(1).max(5),
});

/** What is stored, read leniently: a missing or out-of-range value falls back to its default, field by field. */
export function readEditableSettings(settingsJson: string | null | undefined): EditableSettings {
  const root = parseJsonObject(settingsJson);
  const scoring = object(root.scoring);
  const storedLifecycle = object(scoring.lifecycle);
  const lifecycle = { ...DEFAULT_LIFECYCLE_SETTINGS };
  for (const key of Object.keys(lifecycleStored.shape) as (keyof LifecycleSettings)[]) {
    const parsed = lifecycleStored.shape[key].safeParse(storedLifecycle[key]);
    if (parsed.success) (lifecycle as Record<string, number>)[key] = parsed.data;
  }
  const lifespan = z.number().min(MIN_LIFESPAN_YEARS).max(MAX_LIFESPAN_YEARS).safeParse(scoring.lifespanYears);
  const consent = z.boolean().safeParse(object(root.consent).promotionalRequiresMarketingConsent);
  const storedBirthdays = object(root.birthdays);
  const birthdays = { ...DEFAULT_BIRTHDAY_SETTINGS };
  for (const key of Object.keys(birthdaysStored.shape) as (keyof BirthdaySettings)[]) {
    const parsed = birthdaysStored.shape[key].safeParse(storedBirthdays[key]);
    if (parsed.success) birthdays[key] = parsed.data;
  }
  return {
    lifespanYears: lifespan.success ? lifespan.data : null,
    lifecycle,
    consent: { promotionalRequiresMarketingConsent: consent.success ? consent.data : DEFAULT_CONSENT_POLICY.promotionalRequiresMarketingConsent },
    birthdays,
  };
}

export async function getEditableSettings(shop: string): Promise<EditableSettings> {
  const row = await db.shop.findUnique({ where: { shop }, select: { settings: true } });
  return readEditableSettings(row?.settings);
}

/** Writes the given parts, keeping every other key of the stored JSON (other features' settings). */
export async function saveEditableSettings(shop: string, patch: Partial<EditableSettings>): Promise<EditableSettings> {
  return db.$transaction(async (tx) => {
    const row = await tx.shop.findUnique({ where: { shop }, select: { settings: true } });
    const root = parseJsonObject(row?.settings);
    const scoring = object(root.scoring);
    if (patch.lifecycle) scoring.lifecycle = { ...object(scoring.lifecycle), ...patch.lifecycle };
    if (patch.lifespanYears !== undefined) {
      if (patch.lifespanYears === null) delete scoring.lifespanYears;
      else scoring.lifespanYears = patch.lifespanYears;
    }
    const next: Json = { ...root, scoring };
    if (patch.consent) next.consent = { ...object(root.consent), ...patch.consent };
    if (patch.birthdays) next.birthdays = { ...object(root.birthdays), ...birthdaysStored.partial().parse(patch.birthdays) };
    const settings = JSON.stringify(next);
    await tx.shop.upsert({ where: { shop }, create: { shop, settings }, update: { settings } });
    return readEditableSettings(settings);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Forms

/** Form numbers: blank is "missing", a comma decimal separator is accepted (uk/ru/hr keyboards). */
const formNumber = z.preprocess((value) => {
  if (typeof value !== "string") return value;
  const text = value.trim().replace(",", ".");
  if (text === "") return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
}, z.number({ required_error: "required", invalid_type_error: "number" }));

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

export const birthdaysFormSchema = z.object({
  minNoticeDays: bounded(BIRTHDAY_BOUNDS.minNoticeDays, true),
  sendHour: bounded(BIRTHDAY_BOUNDS.sendHour, true),
});
