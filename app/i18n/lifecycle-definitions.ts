/**
 * What each lifecycle group means, in the admin's language: one sentence of meaning ("Regular: steady, frequent
 * buyers") and the shop's own thresholds that put a customer there. Every page that shows a group shows these
 * (Segments, the customers list and the customer page, on hover and in full), so the words are built once here.
 */
import type { LifecycleGroup, LifecycleSettings } from "../retention/segments/lifecycle";
import type { ShopFormatter } from "../formatting";
import { translate, type Locale } from "./index";

export interface LifecycleDefinition {
  key: LifecycleGroup;
  label: string;
  /** What the group is, in the merchant's words. */
  meaning: string;
  /** The shop's thresholds that place a customer in it. */
  criteria: string;
}

export function lifecycleDefinitions(
  locale: Locale,
  settings: LifecycleSettings,
  typicalIntervalDays: number | null | undefined,
  format: Pick<ShopFormatter, "number" | "percent">,
): Record<LifecycleGroup, LifecycleDefinition> {
  const days = (n: number) => format.number(n, { maximumFractionDigits: 0 });
  const values = {
    threshold: format.percent(settings.pAliveThreshold, 0),
    multiple: format.number(settings.intervalMultiple, { maximumFractionDigits: 1 }),
    defaultDays: days(settings.defaultIntervalDays),
    minOrders: days(settings.regularMinOrders),
    minScore: String(settings.regularMinFrequencyScore),
    typical: typicalIntervalDays ? days(typicalIntervalDays) : "—",
  };
  const one = (key: LifecycleGroup): LifecycleDefinition => ({
    key,
    label: translate(locale, `lifecycle.${key}`),
    meaning: translate(locale, `lifecycle.meaning.${key}`),
    criteria: translate(locale, `lifecycle.definition.${key}`, values),
  });
  return { new: one("new"), loyal: one("loyal"), regular: one("regular"), lapsed: one("lapsed") };
}
