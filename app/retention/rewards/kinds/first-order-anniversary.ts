/**
 * First-order anniversary: the birthday window engine with the day of the customer's first order as the
 * date (a code valid from some days before to some days after it, reminders on chosen days), from the
 * first anniversary on, once a year, to customers who agreed to marketing.
 */
import { z } from "zod";
import { LAST_CHANCE_OFFSET, parseBirthday } from "../birthdays";
import { parseLocalDate } from "../../time";
import { checkWindow, decideWindows, defaultReminders, windowFields, type CelebratedDate, type WindowTexts } from "./birthday";
import { defineKind, EARNED_COMBINES, percentOff, ruleOffer } from "./kind";

const TEXTS: WindowTexts = {
  timeBefore: "rules.kind.firstOrderAnniversary.label.timeBefore",
  timeAfter: "rules.kind.firstOrderAnniversary.label.timeAfter",
  lastChanceOutsideWindow: "rules.kind.firstOrderAnniversary.error.lastChanceOutsideWindow",
  reminderOutsideWindow: "rules.kind.firstOrderAnniversary.error.reminderOutsideWindow",
};

export const firstOrderAnniversarySchema = z.object({ kind: z.literal("firstOrderAnniversary"), ...windowFields(TEXTS) });
export type FirstOrderAnniversaryDraft = Omit<z.infer<typeof firstOrderAnniversarySchema>, "reminders"> & { reminders: number[] };

export const firstOrderAnniversary = defineKind<"firstOrderAnniversary", typeof firstOrderAnniversarySchema, FirstOrderAnniversaryDraft>({
  kind: "firstOrderAnniversary",
  schema: firstOrderAnniversarySchema,
  finish: (b) => ({ ...b, reminders: b.reminders ?? defaultReminders(b.windowDaysBefore, b.windowDaysAfter) }),
  reason: "firstOrderAnniversary",
  issuedAs: "personal",
  channel: "promotional",
  // As for birthdays, the reminders carry the message.
  combinesWith: EARNED_COMBINES,
  notifyOnIssue: false,
  check: (rule, _ctx, addError) => checkWindow(rule, TEXTS, addError),
  decide(run, rule, input) {
    const dates: CelebratedDate[] = [];
    for (const customer of input.customers) {
      const date = parseBirthday(customer.firstOrderOn);
      if (!date || !customer.firstOrderOn) continue;
      const firstYear = parseLocalDate(customer.firstOrderOn).year;
      // The window around the first order itself is no anniversary.
      dates.push({ customer, date, tooLate: (w) => w.year <= firstYear });
    }
    decideWindows(run, rule, input, dates, "first-order anniversary");
  },
  offerFor: (rule) => ruleOffer(rule),
  isLastChance: (rule, moment) => rule.lastChance && moment === LAST_CHANCE_OFFSET,
  compensation: (rule) => ({ ...ruleOffer(rule), validityDays: null }),
  formDefaults: () => ({ ...percentOff(10), windowDaysBefore: "7", windowDaysAfter: "3", reminders: "-7, 0", lastChance: "false" }),
});
