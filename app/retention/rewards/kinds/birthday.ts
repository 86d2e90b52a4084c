/**
 * Birthday: a code valid for a window around the customer's birthday, announced by reminders on
 * chosen days (and an optional last-chance one) to customers who agreed to marketing.
 */
import { z } from "zod";
import {
  changedTooLate,
  dueMoments,
  LAST_CHANCE_OFFSET,
  parseBirthday,
  reminderMoments,
  windowContaining,
  windowInstants,
  type Birthday,
  type BirthdayWindow,
  type BirthdayWindowConfig,
} from "../birthdays";
import { idempotencyKey, periods } from "../codes";
import { guardrails, minimumSubtotal, msg, number, numeric, rewardSchema, wholeDays, type AddError, type Reward } from "../rule-fields";
import type { Candidate, CustomerSnapshot, DayInput, DayRun, GrantingRule } from "../day-run";
import { defineKind, EARNED_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

export const DEFAULT_BIRTHDAY_REMINDERS = [-7, -3, 0] as const;

/** Words a windowed kind's fields and checks name its date with (catalog keys). */
export interface WindowTexts {
  timeBefore: string;
  timeAfter: string;
  lastChanceOutsideWindow: string;
  reminderOutsideWindow: string;
}

const BIRTHDAY_TEXTS: WindowTexts = {
  timeBefore: "rules.kind.birthday.label.timeBeforeBirthday",
  timeAfter: "rules.kind.birthday.label.timeAfterBirthday",
  lastChanceOutsideWindow: "rules.kind.birthday.error.lastChanceOutsideWindow",
  reminderOutsideWindow: "rules.kind.birthday.error.reminderOutsideWindow",
};

/** The fields of a rule built on the birthday window engine: the reward, the window and its reminders. */
export function windowFields(texts: WindowTexts) {
  return {
    ...guardrails,
    reward: rewardSchema,
    minimumSubtotal,
    windowDaysBefore: numeric(wholeDays(texts.timeBefore, 0, 31)).default(7),
    windowDaysAfter: numeric(wholeDays(texts.timeAfter, 0, 31)).default(3),
    /** Days relative to the date; defaults to −7, −3, 0 (those inside the window). */
    reminders: z
      .array(numeric(number("rules.kind.birthday.error.enterTheReminderDay").int("rules.kind.birthday.error.remindersAreOnWholeDays")))
      .max(6, "rules.kind.birthday.error.useAtMost6Reminders")
      .optional(),
    /** Extra reminder at +2 days. */
    lastChance: z.boolean().default(false),
  };
}

export const birthdaySchema = z.object({ kind: z.literal("birthday"), ...windowFields(BIRTHDAY_TEXTS) });
export type BirthdayDraft = Omit<z.infer<typeof birthdaySchema>, "reminders"> & { reminders: number[] };

/** The default reminder days that fall inside the window. */
export function defaultReminders(windowDaysBefore: number, windowDaysAfter: number): number[] {
  return DEFAULT_BIRTHDAY_REMINDERS.filter((d) => d >= -windowDaysBefore && d <= windowDaysAfter);
}

/** Reminders inside the window, each day once, and a last-chance reminder only while the code is valid. */
export function checkWindow(rule: BirthdayWindowConfig, texts: WindowTexts, addError: AddError): void {
  const from = -rule.windowDaysBefore;
  const to = rule.windowDaysAfter;
  const seen = new Set<number>();
  rule.reminders.forEach((day, i) => {
    if (day < from || day > to) {
      addError(`reminders.${i}`, msg(texts.reminderOutsideWindow, { day, before: rule.windowDaysBefore, after: rule.windowDaysAfter }));
    }
    if (seen.has(day)) addError(`reminders.${i}`, msg("rules.kind.birthday.error.reminderTwice", { day }));
    seen.add(day);
  });
  if (rule.lastChance && LAST_CHANCE_OFFSET > to) {
    addError("lastChance", msg(texts.lastChanceOutsideWindow, { days: LAST_CHANCE_OFFSET }));
  }
}

export const birthday = defineKind<"birthday", typeof birthdaySchema, BirthdayDraft>({
  kind: "birthday",
  schema: birthdaySchema,
  finish: (b) => ({ ...b, reminders: b.reminders ?? defaultReminders(b.windowDaysBefore, b.windowDaysAfter) }),
  reason: "birthday",
  issuedAs: "personal",
  channel: "promotional",
  // The reminders carry the message; issuing alone only creates the code.
  combinesWith: EARNED_COMBINES,
  notifyOnIssue: false,
  check: (rule, _ctx, addError) => checkWindow(rule, BIRTHDAY_TEXTS, addError),
  decide(run, rule, input) {
    // Before the shop's send hour nothing of today's birthday moments goes out; a later run does it.
    if (input.birthdays && !input.birthdays.momentsDue) return;
    const minNoticeDays = input.birthdays?.minNoticeDays ?? 0;
    const dates: CelebratedDate[] = [];
    for (const customer of input.customers) {
      const date = parseBirthday(customer.birthday);
      if (date) dates.push({ customer, date, tooLate: (w) => changedTooLate(customer.birthdayChangedOn, w.birthday, minNoticeDays) });
    }
    decideWindows(run, rule, input, dates, "birthday");
  },
  offerFor: (rule) => ruleOffer(rule),
  isLastChance: (rule, moment) => rule.lastChance && moment === LAST_CHANCE_OFFSET,
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: null }),
  formDefaults: () => ({ ...percentOff(15), windowDaysBefore: "7", windowDaysAfter: "3", reminders: "-7, -3, 0", lastChance: "false" }),
});

/** A customer's yearly date a windowed rule celebrates: their birthday, their first order's anniversary. */
export interface CelebratedDate {
  customer: CustomerSnapshot;
  date: Birthday;
  /** This year's window earns nothing (a birthday set too late, the first order's own year). */
  tooLate?(window: BirthdayWindow): boolean;
}

/**
 * The birthday window engine, for any yearly date: a code valid around the date (one per year), then
 * the reminder moments due today to customers who may be contacted and whose code was granted.
 * `occasion` names the date in the merchant's explanations.
 */
export function decideWindows(
  run: DayRun,
  rule: GrantingRule & BirthdayWindowConfig & { reward: Reward; minimumSubtotal?: number | null },
  input: DayInput,
  dates: readonly CelebratedDate[],
  occasion: string,
): void {
  const candidates: Candidate[] = [];
  const inWindow: { customer: CustomerSnapshot; window: BirthdayWindow }[] = [];
  for (const { customer, date, tooLate } of dates) {
    const window = windowContaining(date, input.today, rule);
    if (!window || tooLate?.(window)) continue;
    inWindow.push({ customer, window });
    candidates.push({
      customerId: customer.id,
      period: periods.birthday(window.year),
      explanation: `${occasion.charAt(0).toUpperCase()}${occasion.slice(1)} on ${window.birthday}; code valid ${window.startsOn} to ${window.endsOn}.`,
      ...windowInstants(window, input.timeZone),
      ...offerFields(rule, customer),
    });
  }
  run.grant(rule, candidates);

  for (const { customer, window } of inWindow.sort((a, b) => (a.customer.id < b.customer.id ? -1 : 1))) {
    if (!run.mayContact(rule, customer)) continue;
    if (!run.granted(idempotencyKey(rule.id, customer.id, periods.birthday(window.year)))) continue;
    const moments = reminderMoments(window, rule);
    const sent = moments
      .filter((m) => run.has(idempotencyKey(rule.id, customer.id, periods.birthdayReminder(window.year, m.offset))))
      .map((m) => m.offset);
    for (const m of dueMoments(moments, input.today, sent)) {
      run.remind(rule, {
        customerId: customer.id,
        period: periods.birthdayReminder(window.year, m.offset),
        explanation: m.lastChance
          ? `Last chance: ${occasion} code ends ${window.endsOn}.`
          : `Reminder ${m.offset === 0 ? `on the ${occasion}` : `${Math.abs(m.offset)} days ${m.offset < 0 ? "before" : "after"} the ${occasion}`} (${window.birthday}).`,
        ...windowInstants(window, input.timeZone),
        ...ruleOffer(rule),
        moment: m.offset,
        lastChance: m.lastChance,
      });
    }
  }
}
