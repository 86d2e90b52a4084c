/**
 * A customer's lifecycle reason ("3 orders, last 212 days ago, usually buys every 40 days; …") in the
 * admin's language, built from the structured reason the scoring job stores, with each language's plurals.
 */
import type { LifecycleReason } from "../retention/segments/lifecycle";
import { translate, translatePlural, type Locale } from "./index";

function percent(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(value);
}

export function lifecycleReasonText(reason: LifecycleReason, locale: Locale): string {
  const days = (n: number) => translatePlural(locale, "reason.days", Math.round(n));
  const orders = translatePlural(locale, "reason.orders", reason.orders);
  const last = translate(locale, reason.orders === 1 ? "reason.ago" : "reason.lastAgo", { days: days(reason.daysSinceLastOrder) });
  const cadence = translate(
    locale,
    reason.intervalSource === "customer"
      ? "reason.cadenceCustomer"
      : reason.intervalSource === "shop"
        ? "reason.cadenceShop"
        : "reason.cadenceDefault",
    { days: days(reason.usualIntervalDays) },
  );
  const head = `${orders}, ${last}, ${cadence}`;
  switch (reason.rule) {
    case "p-alive-low":
      return translate(locale, "reason.pAliveLow", {
        head,
        chance: percent(reason.pAlive ?? 0, locale),
        threshold: percent(reason.pAliveThreshold, locale),
      });
    case "overdue":
      return translate(locale, "reason.overdue", { head, multiple: String(reason.intervalMultiple) });
    case "single-purchase":
      return translate(locale, "reason.singlePurchase", { head });
    case "cadence":
      return reason.shopTypicalIntervalDays === null
        ? translate(locale, "reason.cadenceNoShop", { head })
        : translate(locale, "reason.cadence", { head, typical: days(reason.shopTypicalIntervalDays) });
    case "returned":
      return reason.pAlive === null
        ? translate(locale, "reason.returned", { head })
        : translate(locale, "reason.returnedLikely", { head, chance: percent(reason.pAlive, locale) });
  }
}
