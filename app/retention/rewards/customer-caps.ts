/**
 * The per-customer cap across all rules: however many rules are due on one day, a customer gets at
 * most `perDay` codes that day and `per30Days` codes in any 30 shop-local days.
 */
import { compareLocalDates, daysBetween, type LocalDate } from "../time";

export interface CustomerCaps {
  perDay: number;
  per30Days: number;
}

export const DEFAULT_CUSTOMER_CAPS: CustomerCaps = { perDay: 1, per30Days: 2 };
export const CUSTOMER_CAP_BOUNDS = { perDay: { min: 1, max: 10 }, per30Days: { min: 1, max: 60 } } as const;

/** Which cap one more code today would exceed, given the days the customer was already issued codes; null when within both. */
export function customerCapLimit(
  caps: CustomerCaps | null | undefined,
  issuedOn: readonly LocalDate[],
  today: LocalDate,
): "day" | "30days" | null {
  if (!caps) return null;
  let sameDay = 0;
  let last30 = 0;
  for (const day of issuedOn) {
    if (compareLocalDates(day, today) > 0) continue;
    if (day === today) sameDay++;
    if (daysBetween(day, today) < 30) last30++;
  }
  if (sameDay >= caps.perDay) return "day";
  if (last30 >= caps.per30Days) return "30days";
  return null;
}
