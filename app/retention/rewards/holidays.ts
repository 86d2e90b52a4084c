/**
 * Holiday campaign calendar: presets a merchant adds with one click, and which campaigns run on a day.
 * Every campaign has an end date; presets propose one so nothing runs forever.
 */
import {
  addDays,
  compareLocalDates,
  daysBetween,
  daysInMonth,
  dayOfWeek,
  formatLocalDate,
  maxLocalDate,
  parseLocalDate,
  type LocalDate,
} from "../time";
import type { Reward } from "./rule-fields";
import type { Audience } from "./rule-fields";

export interface HolidayPreset {
  /** Stable id: stored on campaigns created from the preset, never renamed. */
  id: string;
  dateIn: (year: number) => LocalDate;
  /** Suggested campaign start, days before the holiday. */
  daysBefore: number;
  /** Suggested campaign end, days after the holiday (0 = ends on the day). */
  daysAfter: number;
  /**
   * Shop countries (ISO 3166-1 alpha-2) the preset is offered to; "*" for every market (also a shop
   * whose country is unknown). `except` removes countries from "*".
   */
  countries: readonly string[] | "*";
  except?: readonly string[];
}

const fixed = (month: number, day: number) => (year: number) => formatLocalDate({ year, month, day });

/** The `nth` (1-based) `weekday` (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): LocalDate {
  const first = formatLocalDate({ year, month, day: 1 });
  return addDays(first, ((weekday - dayOfWeek(first) + 7) % 7) + (nth - 1) * 7);
}

/** Black Friday: the day after US Thanksgiving (the fourth Thursday of November). */
export function blackFriday(year: number): LocalDate {
  return addDays(nthWeekday(year, 11, 4, 4), 1);
}

/** Mother's Day where it is the second Sunday of May. */
export function secondSundayOfMay(year: number): LocalDate {
  return nthWeekday(year, 5, 0, 2);
}

/**
 * Kept to dates that are stable and verified, per market:
 * - Christmas is 25 December in Ukraine since 2023 (the law moving it from 7 January); Russia and
 *   Belarus keep 7 January (Orthodox Christmas).
 * - Ukraine abolished 23 February (Defender of the Fatherland Day) in 2015; its Day of Defenders is
 *   14 October from 2015 and 1 October since 2023. 23 February is offered to Russia and Belarus only.
 * - St Nicholas' Day: 6 December in Croatia, Germany and Austria, and in Ukraine since 2023 (was 19 December).
 * - Mother's Day is the second Sunday of May in these countries (the UK's Mothering Sunday follows Easter: not offered).
 */
export const HOLIDAY_PRESETS: readonly HolidayPreset[] = [
  { id: "new-year", dateIn: fixed(1, 1), daysBefore: 14, daysAfter: 0, countries: "*" },
  { id: "orthodox-christmas", dateIn: fixed(1, 7), daysBefore: 7, daysAfter: 0, countries: ["RU", "BY"] },
  { id: "valentines-day", dateIn: fixed(2, 14), daysBefore: 7, daysAfter: 0, countries: "*" },
  { id: "defender-of-the-fatherland-day", dateIn: fixed(2, 23), daysBefore: 7, daysAfter: 0, countries: ["RU", "BY"] },
  { id: "international-womens-day", dateIn: fixed(3, 8), daysBefore: 7, daysAfter: 0, countries: ["UA", "HR", "RU", "BY", "IT"] },
  {
    id: "mothers-day",
    dateIn: secondSundayOfMay,
    daysBefore: 7,
    daysAfter: 0,
    countries: ["US", "CA", "AU", "NZ", "DE", "AT", "IT", "UA", "HR"],
  },
  { id: "defenders-of-ukraine-day", dateIn: fixed(10, 1), daysBefore: 5, daysAfter: 0, countries: ["UA"] },
  // Through Cyber Monday.
  { id: "black-friday", dateIn: blackFriday, daysBefore: 0, daysAfter: 3, countries: "*" },
  { id: "saint-nicholas-day", dateIn: fixed(12, 6), daysBefore: 5, daysAfter: 0, countries: ["UA", "HR", "DE", "AT"] },
  { id: "christmas", dateIn: fixed(12, 25), daysBefore: 10, daysAfter: 0, countries: "*", except: ["RU", "BY"] },
];

/**
 * The shop's market: its country (from its address in Shopify) or, when that is unknown, the region
 * of its primary locale ("en-US" → US). A bare language says nothing about the country (Russian is
 * written in many), so it gives no market.
 */
export function marketOf(countryCode: string | null | undefined, locale: string | null | undefined): string | null {
  const country = countryCode?.trim().toUpperCase();
  if (country && /^[A-Z]{2}$/.test(country)) return country;
  const region = /^[a-z]{2,3}[-_]([A-Za-z]{2})$/i.exec(locale?.trim() ?? "")?.[1];
  return region ? region.toUpperCase() : null;
}

/** The presets offered to a shop in `market` (null: only the ones every market shares), in calendar order. */
export function presetsForMarket(market: string | null): HolidayPreset[] {
  return HOLIDAY_PRESETS.filter((p) =>
    p.countries === "*" ? !(market && p.except?.includes(market)) : market !== null && p.countries.includes(market),
  );
}

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
    // The rules form names it in the admin's language; the core has no words.
    name: preset.id,
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

/** A campaign as stored: its first dates, the holiday they are built around, and whether it comes back every year. */
export interface RecurringCampaign extends DatedCampaign {
  presetId?: string | null;
  holidayDate?: LocalDate | null;
  recurrence?: "once" | "yearly";
}

/** One year's run of a campaign: its dates and the year of its holiday (null for a one-off campaign). */
export interface CampaignOccurrence extends DatedCampaign {
  year: number | null;
}

/** The holiday of a yearly campaign in `year`: the preset's rule (Black Friday moves), else the same day and month (29 Feb → 28 Feb). */
function holidayIn(campaign: RecurringCampaign, anchor: LocalDate, year: number): LocalDate {
  const preset = campaign.presetId ? HOLIDAY_PRESETS.find((p) => p.id === campaign.presetId) : undefined;
  if (preset) return preset.dateIn(year);
  const { month, day } = parseLocalDate(anchor);
  return formatLocalDate({ year, month, day: Math.min(day, daysInMonth(year, month)) });
}

/**
 * The run of the campaign that includes `date`, or null. A yearly campaign keeps its first run's
 * days before and after the holiday and comes back around the holiday every year from then on.
 */
export function campaignOccurrenceOn(campaign: RecurringCampaign, date: LocalDate): CampaignOccurrence | null {
  if (campaign.recurrence !== "yearly")
    return isCampaignActive(campaign, date) ? { startsAt: campaign.startsAt, endsAt: campaign.endsAt, year: null } : null;
  if (compareLocalDates(date, campaign.startsAt) < 0) return null;
  const anchor = campaign.holidayDate ?? campaign.startsAt;
  const before = daysBetween(campaign.startsAt, anchor);
  const after = daysBetween(anchor, campaign.endsAt);
  const { year } = parseLocalDate(date);
  // A run around 1 January starts in the year before its holiday.
  for (const y of [year, year + 1, year - 1]) {
    const holiday = holidayIn(campaign, anchor, y);
    const run = { startsAt: addDays(holiday, -before), endsAt: addDays(holiday, after) };
    if (isCampaignActive(run, date)) return { ...run, year: y };
  }
  return null;
}
