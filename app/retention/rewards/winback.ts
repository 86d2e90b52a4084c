/**
 * Win-back: one offer per lapse (a lapse is identified by the date the customer entered the Lapsed
 * group), and never two offers within the cooldown, even if the customer came back and lapsed again.
 */
import { addDays, compareLocalDates, type LocalDate } from "../time";
import { periods } from "./codes";

/** Lifecycle group name (from the segments core) that makes a customer eligible for win-back. */
export const LAPSED_GROUP = "lapsed";

export interface WinbackCustomer {
  lifecycleGroup: string | null;
  lapsedSince: LocalDate | null;
}

export interface PreviousWinbackOffer {
  lapsedSince: LocalDate;
  /** Day the offer was decided (issued or held out). */
  decidedOn: LocalDate;
}

export type WinbackVerdict =
  | { due: true; lapsedSince: LocalDate; period: string }
  | { due: false; reason: "notLapsed" | "alreadyOfferedThisLapse" }
  | { due: false; reason: "coolingDown"; until: LocalDate };

export function isLapsed(customer: WinbackCustomer, today: LocalDate): customer is WinbackCustomer & { lapsedSince: LocalDate } {
  return (
    customer.lifecycleGroup?.toLowerCase() === LAPSED_GROUP &&
    customer.lapsedSince !== null &&
    compareLocalDates(customer.lapsedSince, today) <= 0
  );
}

export function winbackVerdict(
  customer: WinbackCustomer,
  previousOffers: readonly PreviousWinbackOffer[],
  today: LocalDate,
  cooldownDays: number,
): WinbackVerdict {
  if (!isLapsed(customer, today)) return { due: false, reason: "notLapsed" };
  if (previousOffers.some((o) => o.lapsedSince === customer.lapsedSince)) {
    return { due: false, reason: "alreadyOfferedThisLapse" };
  }
  const last = previousOffers.reduce<LocalDate | null>(
    (acc, o) => (acc === null || compareLocalDates(o.decidedOn, acc) > 0 ? o.decidedOn : acc),
    null,
  );
  if (last !== null) {
    const until = addDays(last, cooldownDays);
    if (compareLocalDates(today, until) < 0) return { due: false, reason: "coolingDown", until };
  }
  return { due: true, lapsedSince: customer.lapsedSince, period: periods.lapse(customer.lapsedSince) };
}
