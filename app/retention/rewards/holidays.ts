/**
 * Holiday campaign calendar: presets a merchant adds with one click, and which campaigns run on a day.
 * Every campaign has an end date; presets propose one so nothing runs forever.
 */
import {
  addDays,
  compareLocalDates,
  dayOfWeek,
  formatLocalDate,
  maxLocalDate,
  parseLocalDate,
  type LocalDate,
} from "../time";
import type { Audience, Reward } from "./rule-schema";

export interface HolidayPreset {
  /** Stable id: stored on campaigns created from the preset, never renamed. */
  id: string;
  name: string;
  dateIn: (year: number) => LocalDate;
  /** Suggested campaign start, days before the holiday. */
  daysBefore: number;
  /** Suggested campaign end, days after the holiday (0 = ends on the day). */
  daysAfter: number;
}

const fixed = (month: number, day: number) => (year: number) => formatLocalDate({ year, month, day });

/** Black Friday: the day after US Thanksgiving (the fourth Thursday of November). */
export function blackFriday(year: number): LocalDate {
  const first = formatLocalDate({ year, month: 11, day: 1 });
  const firstThursday = addDays(first, (4 - dayOfWeek(first) + 7) % 7);
  return addDays(firstThursday, 3 * 7 + 1);
}

export const HOLIDAY_PRESETS: readonly HolidayPreset[] = [
  { id: "new-year", name: "New Year", dateIn: fixed(1, 1), daysBefore: 14, daysAfter: 0 },
  { id: "valentines-day", name: "Valentine's Day", dateIn: fixed(2, 14), daysBefore: 7, daysAfter: 0 },
  { id: "defender-of-the-fatherland-day", name: "Defender of the Fatherland Day (23 February)", dateIn: fixed(2, 23), daysBefore: 7, daysAfter: 0 },
  { id: "international-womens-day", name: "International Women's Day (8 March)", dateIn: fixed(3, 8), daysBefore: 7, daysAfter: 0 },
  // Through Cyber Monday.
  { id: "black-friday", name: "Black Friday", dateIn: blackFriday, daysBefore: 0, daysAfter: 3 },
  { id: "christmas", name: "Christmas", dateIn: fixed(12, 25), daysBefore: 10, daysAfter: 0 },
];

export function findPreset(presetId: string): HolidayPreset {
  const preset = HOLIDAY_PRESETS.find((p) => p.id === presetId);
  if (!preset) throw new RangeError(`Unknown holiday preset: ${presetId}`);
  return preset;
}

export interface CampaignDates {
  holidayDate: LocalDate;
  startsAt: LocalDate;
  endsAt: LocalDate;
}

/**
 * Dates for the next campaign of a preset whose end is still ahead of `from`; the start is never
 * before `from` (a campaign added late starts today).
 */
export function presetCampaignDates(presetId: string, from: LocalDate): CampaignDates {
  const preset = findPreset(presetId);
  const { year } = parseLocalDate(from);
  for (const y of [year, year + 1]) {
    const holidayDate = preset.dateIn(y);
    const endsAt = addDays(holidayDate, preset.daysAfter);
    if (compareLocalDates(endsAt, from) >= 0) {
      return { holidayDate, startsAt: maxLocalDate(addDays(holidayDate, -preset.daysBefore), from), endsAt };
    }
  }
  throw new Error("unreachable: every preset occurs once a year");
}

/** Input for `validateRuleInput`, pre-filled from a preset; the merchant supplies the reward. */
export function campaignInputFromPreset(
  presetId: string,
  from: LocalDate,
  reward: Reward,
  audience: Audience = { type: "everyoneWithConsent" },
) {
  const preset = findPreset(presetId);
  return {
    kind: "holidayCampaign" as const,
    name: preset.name,
    presetId: preset.id,
    ...presetCampaignDates(presetId, from),
    audience,
    reward,
  };
}

export interface DatedCampaign {
  startsAt: LocalDate;
  endsAt: LocalDate;
}

/** Both ends inclusive, in shop-local dates. */
export function isCampaignActive(campaign: DatedCampaign, date: LocalDate): boolean {
  return compareLocalDates(campaign.startsAt, date) <= 0 && compareLocalDates(date, campaign.endsAt) <= 0;
}

export function activeCampaigns<T extends DatedCampaign>(campaigns: readonly T[], date: LocalDate): T[] {
  return campaigns.filter((c) => isCampaignActive(c, date));
}

/** Campaigns starting after `date` and within `horizonDays`, soonest first. */
export function upcomingCampaigns<T extends DatedCampaign>(campaigns: readonly T[], date: LocalDate, horizonDays: number): T[] {
  const until = addDays(date, horizonDays);
  return campaigns
    .filter((c) => compareLocalDates(c.startsAt, date) > 0 && compareLocalDates(c.startsAt, until) <= 0)
    .sort((a, b) => compareLocalDates(a.startsAt, b.startsAt));
}
