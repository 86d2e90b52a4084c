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
  type BirthdayWindow,
} from "../birthdays";
import { idempotencyKey, periods } from "../codes";
import { guardrails, minimumSubtotal, msg, number, numeric, rewardSchema, wholeDays } from "../rule-fields";
import type { Candidate, CustomerSnapshot } from "../day-run";
import { defineKind, EARNED_COMBINES, offerFields, percentOff, ruleOffer } from "./kind";

export const DEFAULT_BIRTHDAY_REMINDERS = [-7, -3, 0] as const;

export const birthdaySchema = z.object({
  kind: z.literal("birthday"),
  ...guardrails,
  reward: rewardSchema,
  minimumSubtotal,
  windowDaysBefore: numeric(wholeDays("rules.kind.birthday.label.timeBeforeBirthday", 0, 31)).default(7),
  windowDaysAfter: numeric(wholeDays("rules.kind.birthday.label.timeAfterBirthday", 0, 31)).default(3),
  /** Days relative to the birthday; defaults to −7, −3, 0 (those inside the window). */
  reminders: z
    .array(numeric(number("rules.kind.birthday.error.enterTheReminderDay").int("rules.kind.birthday.error.remindersAreOnWholeDays")))
    .max(6, "rules.kind.birthday.error.useAtMost6Reminders")
    .optional(),
  /** Extra reminder at +2 days. */
  lastChance: z.boolean().default(false),
});
export type BirthdayDraft = Omit<z.infer<typeof birthdaySchema>, "reminders"> & { reminders: number[] };

function defaultReminders(windowDaysBefore: number, windowDaysAfter: number): number[] {
  return DEFAULT_BIRTHDAY_REMINDERS.filter((d) => d >= -windowDaysBefore && d <= windowDaysAfter);
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
  check(rule, _ctx, addError) {
    const from = -rule.windowDaysBefore;
    const to = rule.windowDaysAfter;
    const seen = new Set<number>();
    rule.reminders.forEach((day, i) => {
      if (day < from || day > to) {
        addError(
          `reminders.${i}`,
          msg("rules.kind.birthday.error.reminderOutsideWindow", { day, before: rule.windowDaysBefore, after: rule.windowDaysAfter }),
        );
      }
      if (seen.has(day)) addError(`reminders.${i}`, msg("rules.kind.birthday.error.reminderTwice", { day }));
      seen.add(day);
    });
    if (rule.lastChance && LAST_CHANCE_OFFSET > to) {
      addError("lastChance", msg("rules.kind.birthday.error.lastChanceOutsideWindow", { days: LAST_CHANCE_OFFSET }));
    }
  },
  decide(run, rule, input) {
    const candidates: Candidate[] = [];
    const inWindow: { customer: CustomerSnapshot; window: BirthdayWindow }[] = [];
    // Before the shop's send hour nothing of today's birthday moments goes out; a later run does it.
    if (input.birthdays && !input.birthdays.momentsDue) return;
    const minNoticeDays = input.birthdays?.minNoticeDays ?? 0;
    for (const customer of input.customers) {
      const date = parseBirthday(customer.birthday);
      if (!date) continue;
      const window = windowContaining(date, input.today, rule);
      if (!window) continue;
      if (changedTooLate(customer.birthdayChangedOn, window.birthday, minNoticeDays)) continue;
      inWindow.push({ customer, window });
      candidates.push({
        customerId: customer.id,
        period: periods.birthday(window.year),
        explanation: `Birthday on ${window.birthday}; code valid ${window.startsOn} to ${window.endsOn}.`,
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
        const period = periods.birthdayReminder(window.year, m.offset);
        run.remind(rule, {
          customerId: customer.id,
          period,
          explanation: m.lastChance
            ? `Last chance: birthday code ends ${window.endsOn}.`
            : `Reminder ${m.offset === 0 ? "on the birthday" : `${Math.abs(m.offset)} days ${m.offset < 0 ? "before" : "after"} the birthday`} (${window.birthday}).`,
          ...windowInstants(window, input.timeZone),
          ...ruleOffer(rule),
          moment: m.offset,
          lastChance: m.lastChance,
        });
      }
    }
  },
  offerFor: (rule) => ruleOffer(rule),
  isLastChance: (rule, moment) => rule.lastChance && moment === LAST_CHANCE_OFFSET,
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: null }),
  formDefaults: () => ({ ...percentOff(15), windowDaysBefore: "7", windowDaysAfter: "3", reminders: "-7, -3, 0", lastChance: "false" }),
});
